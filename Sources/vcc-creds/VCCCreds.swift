import ArgumentParser
import Glibc
import VCCCredentials

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
        version: VCCCredentials.versionLine,
        subcommands: [
            InitCommand.self, ValidateCommand.self, PlanCommand.self, ShowCommand.self, ApplyCommand.self,
            ActorsCommand.self,
            RotateCommand.self, ScopesCommand.self, RecordCommand.self, PendingCommand.self, ImportCommand.self,
            ForgetCommand.self, RefreshCommand.self, AccountCommand.self, RekeyCommand.self, ReadersCommand.self,
            ExportCommand.self, SchemaCommand.self, KeygenCommand.self, UnsealCommand.self, VerifyCommand.self,
            ProbeCommand.self,
        ]
    )

    /// Runs the command line. Errors are one line on stderr; bad flags exit 1, not 64,
    /// so every kind of bad input has the same exit code.
    static func main() async {
        // A file-size limit must be a write error we report, not a signal that kills the
        // run between two writes.
        signal(SIGXFSZ, SIG_IGN)
        // Nor may a reader that closed stdout early (`apply | head`) kill an apply after
        // its state is committed: a write to a closed pipe just fails.
        signal(SIGPIPE, SIG_IGN)
        // Without /proc, the Swift runtime cannot read the command line, and libdispatch's
        // thread monitor traps at random: stop at once, with one line, never run half-blind.
        guard access("/proc/self/stat", R_OK) == 0 else {
            Output.print(
                .error(
                    "cannot read /proc/self: mount /proc (the Swift runtime reads the command line and its threads' "
                        + "states there)"))
            Glibc.exit(ExitStatus.failure.rawValue)
        }
        // Arguments that cannot be read must never look like none given (the help, exit 0).
        let arguments = ProcessArguments.current
        guard !arguments.isEmpty else {
            Output.print(
                .error("cannot read the command line (no /proc/self/cmdline, and no arguments from the loader)"))
            Glibc.exit(ExitStatus.failure.rawValue)
        }
        // A mistyped command gets a suggestion, as a mistyped flag does from the parser.
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        if let unknown = UnknownCommand.message(arguments: Array(arguments.dropFirst()), commands: commands) {
            Output.print(.error(unknown))
            Glibc.exit(ExitStatus.failure.rawValue)
        }
        do {
            var command = try parseAsRoot(Array(arguments.dropFirst()))
            // A clock that is not a time stops every command before it reads anything.
            _ = try ClockOverride.clock(variables: SystemEnvironment.live.variables)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as any VCCError {
            for diagnostic in error.diagnostics { Output.print(diagnostic) }
            Glibc.exit(error.exitStatus.rawValue)
        } catch let status as ExitCode {
            Glibc.exit(status.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                // Help, or the version: the parser leaves a long usage line unwrapped.
                Output.standardOutput(HelpLayout.wrappingUsage(fullMessage(for: error), columns: Output.columns) + "\n")
                Glibc.exit(0)
            }
            Output.print(.error(message(for: error)))
            Glibc.exit(ExitStatus.failure.rawValue)
        }
    }
}
