import ArgumentParser
import VCCCredentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `vcc-creds` command: subcommands only; the work is in `VCCCredentials`.
@main
struct VCCCreds: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcc-creds",
        abstract: "Manage Vonage Contact Center API credentials as code.",
        discussion: """
            Declare users and API credentials in YAML manifests, plan the changes against a \
            JSON state file as a given user, and review what that user's licence permits.
            """,
        version: VCCCredentials.version,
        subcommands: [
            InitCommand.self, ValidateCommand.self, PlanCommand.self, ShowCommand.self, ApplyCommand.self,
            ExportCommand.self, SchemaCommand.self, KeygenCommand.self, UnsealCommand.self, VerifyCommand.self,
        ]
    )

    /// Runs the command line. Errors are one line on stderr; bad flags exit 1, not 64,
    /// so every kind of bad input has the same exit code.
    static func main() {
        // A file-size limit must be a write error we report, not a signal that kills the
        // run between two writes.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as any VCCError {
            Output.error(labelled(error.description))
            Glibc.exit(error.exitStatus.rawValue)
        } catch let status as ExitCode {
            Glibc.exit(status.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                Output.standardOutput(fullMessage(for: error) + "\n")
                Glibc.exit(0)
            }
            Output.error("error: \(message(for: error))")
            Glibc.exit(ExitStatus.failure.rawValue)
        }
    }

    /// Every diagnostic line says `error:`: `file: error: message` when it starts with a
    /// file name, `error: message` otherwise.
    static func labelled(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.isEmpty || line.contains("error:") || line.contains("warning:") || line.contains("note:") {
                return String(line)
            }
            if let colon = line.range(of: ": "), !line[..<colon.lowerBound].contains(" ") {
                return line[..<colon.lowerBound] + ": error: " + line[colon.upperBound...]
            }
            return "error: " + line
        }.joined(separator: "\n")
    }
}
