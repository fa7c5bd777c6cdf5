import Foundation
import Testing

/// `vcc-creds plan` run as a user runs it.
@Suite struct PlanCommandTests {
    /// The README's quick start command, from the repository root. `DocExampleTests`
    /// checks that the README shows its output, line for line.
    @Test func theQuickStartPlanShowsEveryKindOfChange() throws {
        let result = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "sam@acme.example"], in: Repository.root)
        #expect(result.status == 3)
        #expect(result.stderr == "")
        try Golden.check(result.stdout, "acme-sam.txt")
        for expected in ["  + credential", "  ~ credential", "  - credential", "  ! ", "Hidden"] {
            #expect(result.stdout.contains(expected), "quick start plan lacks \(expected)")
        }
    }

    @Test func theQuickStartPlanAsJSON() throws {
        let result = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "sam@acme.example", "--format", "json"],
            in: Repository.root, environment: Golden.clock)
        #expect(result.status == 3)
        try Golden.check(result.stdout, "acme-sam.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(
            Set(json.keys) == [
                "formatVersion", "account", "actors", "state", "manifestsDigest", "toolVersion", "changes", "hidden",
                "unmanaged", "summary", "plannedAt",
            ])
        #expect(json["formatVersion"] as? Int == 3)
        #expect(json["plannedAt"] as? String == "2026-12-01T09:00:00Z")
        #expect(json["actors"] as? [[String: String]] == [["id": "sam@acme.example", "license": "supervisor"]])
    }

    @Test func anAdminPlanOfTheExample() throws {
        let text = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "alice@acme.example"], in: Repository.root)
        #expect(text.status == 3)
        try Golden.check(text.stdout, "acme-alice.txt")
        let json = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "alice@acme.example", "--format", "json"],
            in: Repository.root, environment: Golden.clock)
        try Golden.check(json.stdout, "acme-alice.json")
    }

    @Test func detailedExitCodeIsTwoOnlyForPermittedChanges() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let plain = try CLI.run(["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("Plan: 1 to create, 0 to update, 0 to delete, 0 refused."))
        let detailed = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--detailed-exitcode"], in: sandbox.url)
        #expect(detailed.status == 2)
        try Golden.check(detailed.stdout, "small-alice.txt")
    }

    @Test func noChangesExitsZeroEvenWithDetailedExitCode() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            users:
              - {id: alice@small.example, name: Alice, license: admin}
              - {id: sam@small.example, name: Sam, license: supervisor}
            """)
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--detailed-exitcode"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("No changes."))
    }

    @Test func refusalsExitThree() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write("manifests/new.yaml", "users:\n  - {id: nia@small.example, name: Nia, license: agent}\n")
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "sam@small.example", "--detailed-exitcode"], in: sandbox.url)
        #expect(result.status == 3)
        #expect(result.stdout.contains("refused by admin-only"))
        #expect(result.stdout.contains("can be applied by alice@small.example"))
    }

    @Test func planWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let before = try sandbox.snapshot()
        try CLI.run(["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(try sandbox.snapshot() == before)
    }

    @Test func manifestsFolderIsAFlag() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small", to: "elsewhere")
        let result = try CLI.run(
            [
                "plan", "--manifests", "elsewhere/manifests", "--state", "elsewhere/state.json", "--as",
                "alice@small.example",
            ], in: sandbox.url)
        #expect(result.status == 0)
    }

    @Test func noColourWhenNotATerminal() throws {
        let result = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "sam@acme.example"], in: Repository.root)
        #expect(!result.stdout.contains("\u{1B}["))
    }

    /// `script` gives the command a pseudo-terminal: colour there, unless NO_COLOR.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func colourOnATerminalUnlessNoColor() throws {
        let command = "\(CLI.executable.path) plan --state examples/acme/state.json --as sam@acme.example"
        let coloured = try CLI.runShell(["script", "-qec", command, "/dev/null"], in: Repository.root)
        #expect(coloured.contains("\u{1B}[32m+\u{1B}[0m"))
        let plain = try CLI.runShell(
            ["script", "-qec", command, "/dev/null"], in: Repository.root, environment: ["NO_COLOR": "1"])
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("  + credential"))
    }
}

extension CLI {
    /// Runs another program (not vcc-creds) and returns its stdout.
    static func runShell(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
