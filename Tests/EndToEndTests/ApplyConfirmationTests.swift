import Foundation
import Testing

/// `apply` typed at a terminal: the plan, then "Do you want to perform these actions?";
/// only `yes` applies. Run in a pseudo-terminal made by util-linux `script`, the way a
/// person runs it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: PseudoTerminal.script), "needs util-linux script"))
struct ApplyConfirmationTests {
    static let recipient = "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s"
    static let question = "Do you want to perform these actions? Only 'yes' will be accepted: "

    private var apply: [String] { ["apply", "--state", "state.json", "--as", Acme.sam, "--recipient", Self.recipient] }

    private func serial(_ sandbox: Sandbox) throws -> Int? {
        (try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as? [String: Any])?["serial"]
            as? Int
    }

    @Test func yesAppliesThePlanShownOnce() throws {
        let sandbox = try Sandbox.acme()
        let plan = try CLI.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox.url)
        let run = try PseudoTerminal.run(apply, in: sandbox, answer: "yes")
        #expect(run.status == 3, "\(run.shown)")
        #expect(run.shown.contains(plan.stdout + "\n" + Self.question), "\(run.shown)")
        #expect(run.shown.components(separatedBy: "vcc-creds plan for account").count == 2, "the plan is shown twice")
        #expect(
            run.shown.contains(
                "\nApply complete! 1 created, 1 updated, 1 deleted, 2 refused.\nState serial 8 committed.\n"))
        #expect(try serial(sandbox) == 8)
    }

    @Test(arguments: ["no", "y", "YES", ""])
    func anythingElseCancels(_ answer: String) throws {
        let sandbox = try Sandbox.acme()
        let before = try sandbox.snapshot()
        let run = try PseudoTerminal.run(apply, in: sandbox, answer: answer)
        #expect(run.status == 1)
        #expect(run.shown.contains(Self.question))
        #expect(run.shown.hasSuffix("\nApply cancelled.\n"), "\(run.shown)")
        #expect(!run.shown.contains("Apply complete!"))
        #expect(try sandbox.snapshot() == before, "a cancelled apply wrote files")
    }

    /// The end of input (Ctrl-D) is no answer: cancelled.
    @Test func endOfInputCancels() throws {
        let sandbox = try Sandbox.acme()
        let run = try PseudoTerminal.run(apply, in: sandbox, answer: nil)
        #expect(run.status == 1, "\(run.shown)")
        #expect(run.shown.hasSuffix("Apply cancelled.\n"), "\(run.shown)")
        #expect(try serial(sandbox) == 7)
    }

    @Test func autoApproveDoesNotAsk() throws {
        let sandbox = try Sandbox.acme()
        let run = try PseudoTerminal.run(apply + ["--auto-approve"], in: sandbox, answer: nil)
        #expect(run.status == 3, "\(run.shown)")
        #expect(!run.shown.contains("Do you want"))
        #expect(run.shown.contains("State serial 8 committed."))
    }

    /// A saved plan was reviewed when it was saved: applying it asks nothing.
    @Test func aSavedPlanIsNotAsked() throws {
        let sandbox = try Sandbox.acme()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--out", "plan.json"], in: sandbox.url)
        #expect(saved.status == 3)
        let run = try PseudoTerminal.run(
            ["apply", "plan.json", "--as", Acme.sam, "--recipient", Self.recipient], in: sandbox, answer: nil)
        #expect(run.status == 3, "\(run.shown)")
        #expect(!run.shown.contains("Do you want"))
        #expect(try serial(sandbox) == 8)
    }

    /// stdin a pipe (CI): no question, as ever.
    @Test func aPipelineIsNotAsked() throws {
        let sandbox = try Sandbox.acme()
        let run = try CLI.run(apply, in: sandbox.url, stdin: "no\n")
        #expect(run.status == 3)
        #expect(!run.stdout.contains("Do you want"))
        #expect(try serial(sandbox) == 8)
    }

    /// Someone else applies while the question is open: the plan under the lock is not
    /// the one approved, so nothing is applied (exit 4, like a stale plan).
    @Test func aStateThatChangedWhileAskedIsRefused() throws {
        let sandbox = try Sandbox.acme()
        let session = try PseudoTerminal.Session(apply, in: sandbox)
        #expect(session.waitFor(Self.question), "\(session.shown)")
        let other = try CLI.run(
            [
                "apply", "--state", "state.json", "--as", "alice@acme.example", "--recipient", Self.recipient,
                "--sealed-out", "alice.age",
            ], in: sandbox.url)
        #expect(other.status == 3, "\(other.stderr)")
        #expect(try serial(sandbox) == 8)
        let after = try sandbox.snapshot()
        session.answer("yes")
        let run = try session.finish()
        #expect(run.status == 4, "\(run.shown)")
        #expect(
            run.shown.contains(
                "state.json: error: the plan changed after it was shown: the state serial changed since it was "
                    + "planned (planned 7, now 8); nothing was applied. Run apply again to review the new plan\n"
            ),
            "\(run.shown)")
        #expect(!run.shown.contains("Apply complete!"))
        #expect(try sandbox.snapshot() == after, "the refused apply wrote files")
    }
}

/// vcc-creds in a pseudo-terminal (stdin and stdout a tty), through `script`.
enum PseudoTerminal {
    static let script = "/usr/bin/script"

    /// A started run; `answer` types a line, `finish` waits and returns everything the
    /// terminal showed (line ends as `\n`) and the exit status.
    final class Session {
        let process = Process()
        let input = Pipe()
        let output: URL

        init(_ arguments: [String], in sandbox: Sandbox) throws {
            output = sandbox.url.appendingPathComponent("../\(sandbox.url.lastPathComponent).tty").standardized
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let command = ([CLI.executable.path] + arguments).map {
                "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
            }
            .joined(separator: " ")
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-qec", command, "/dev/null"]
            process.currentDirectoryURL = sandbox.url
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            for name in ["VCC_CREDS_STATE", "VCC_CREDS_MANIFESTS"] { environment.removeValue(forKey: name) }
            // The time every other run of the binary uses: a plan saved by CLI.run is then
            // neither from the future nor out of date here, whatever the real clock says.
            environment["VCC_CREDS_NOW"] = Golden.clock["VCC_CREDS_NOW"]
            process.environment = environment
            process.standardInput = input
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: output)
            try process.run()
        }

        deinit { try? FileManager.default.removeItem(at: output) }

        var shown: String {
            String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
                .replacingOccurrences(of: "\r\n", with: "\n")
        }

        /// Waits (up to 20 s) until the terminal shows `text`.
        func waitFor(_ text: String) -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline && process.isRunning {
                if shown.contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return shown.contains(text)
        }

        func answer(_ line: String) {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
        }

        func finish() throws -> (status: Int32, shown: String) {
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            return (process.terminationStatus, shown)
        }
    }

    static func run(_ arguments: [String], in sandbox: Sandbox, answer: String?) throws -> (
        status: Int32, shown: String
    ) {
        let session = try Session(arguments, in: sandbox)
        if let answer { session.answer(answer) }
        return try session.finish()
    }
}
