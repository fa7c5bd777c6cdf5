import Foundation
import Testing

/// One diagnostics path: every line vcc-creds writes to stderr about a problem is
/// `[file[:line:column]: ]severity: message`, severities are the ones meant (a check
/// `show` could not make is a warning with notes, not an error), and refusals point at
/// the manifest entry they refuse.
@Suite struct DiagnosticsTests {
    static let alice = "alice@small.example"

    /// The small account, with a credential for Sam that Alice may not create (not-owner)
    /// on line 13 of `manifests/account.yaml`.
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let manifest = try sandbox.read("manifests/account.yaml")
        try sandbox.write(
            "manifests/account.yaml",
            manifest + "  - name: sams-export\n    owner: sam@small.example\n    scopes: [users:read]\n")
        return sandbox
    }

    /// `[location: ]severity: message`, severity one of error, warning, note.
    static func isDiagnostic(_ line: Substring) -> Bool {
        line.wholeMatch(of: /(?:[^ ]+: )?(?:error|warning|note): .+/) != nil
    }

    @Test func refusalsNameTheManifestEntryInTextAndJSON() throws {
        let sandbox = try Self.sandbox()
        let lines = try sandbox.read("manifests/account.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[12].contains("name: sams-export"), "the fixture moved: fix the test")

        let text = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        #expect(text.status == 3, "\(text.stderr)")
        #expect(text.stdout.contains("refused by not-owner"))
        #expect(text.stdout.contains("        declared at manifests/account.yaml:13:5\n"))

        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        let changes = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["changes"]
                as? [[String: Any]])
        let refused = try #require(changes.first { $0["decision"] as? String == "refused" })
        #expect(refused["location"] as? String == "manifests/account.yaml:13:5")
        // Only refusals say where: a permitted change needs no pointer.
        #expect(changes.filter { $0["decision"] as? String == "permitted" }.allSatisfy { $0["location"] == nil })
    }

    /// Locations name files as the run spells the folder; a saved plan made with
    /// `manifests` still applies with `--manifests ./manifests`, and has the same digest.
    @Test func aLocationSpelledAnotherWayIsNotAChange() throws {
        let sandbox = try Self.sandbox()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json", "--format", "markdown"],
            in: sandbox.url)
        try #require(saved.status == 3, "\(saved.stderr)")
        let other = try CLI.run(
            [
                "plan", "--manifests", "./manifests", "--state", "state.json", "--as", Self.alice, "--format",
                "markdown",
            ],
            in: sandbox.url)
        #expect(other.stdout.contains("declared at ./manifests/account.yaml:13:5"))
        let footer = { (text: String) in text.split(separator: "\n").last { $0.contains("plan `sha256:") } }
        #expect(footer(other.stdout) == footer(saved.stdout), "the plan digest saw how the folder was spelled")

        let applied = try CLI.run(
            [
                "apply", "plan.json", "--manifests", "./manifests", "--as", Self.alice, "--recipient",
                "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s",
            ],
            in: sandbox.url)
        #expect(applied.status == 3, "the saved plan was refused: \(applied.stderr)")
        #expect(try sandbox.read("state.json").contains(#""serial": 2,"#))
    }

    /// A check `show` cannot make is a warning, and why is told in notes at their own
    /// locations: nothing on stderr says `error:` while the plan is shown, exit 0.
    @Test func showTellsWhyItCouldNotCheckInNotes() throws {
        let sandbox = try Self.sandbox()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"], in: sandbox.url)
        try #require(saved.status == 3, "\(saved.stderr)")
        try sandbox.write("state.json", "{\"serial\": }\n")

        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(shown.stdout == saved.stdout)
        let lines = shown.stderr.split(separator: "\n")
        #expect(lines.first == "plan.json: warning: could not check for staleness")
        #expect(lines.dropFirst().first?.hasPrefix("state.json:1:") == true, "\(shown.stderr)")
        #expect(lines.dropFirst().allSatisfy { $0.contains(": note: ") }, "\(shown.stderr)")
        #expect(!shown.stderr.contains("error:"))
    }

    /// A plan that records no manifests (`--format json` redirected) can only be checked
    /// against the state: `show` says so, since an edited change would otherwise pass
    /// unnoticed; given the manifests, the edit is found.
    @Test func showSaysWhatItCouldNotCheckWithoutTheManifests() throws {
        let sandbox = try Self.sandbox()
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        try #require(json.status == 3, "\(json.stderr)")
        let reason = try #require(json.stdout.firstMatch(of: /"reason": "([^"]+)"/)?.1)
        try sandbox.write("p.json", json.stdout.replacingOccurrences(of: String(reason), with: "edited by hand"))

        let stateOnly = try CLI.run(["show", "p.json", "--state", "state.json"], in: sandbox.url)
        #expect(stateOnly.status == 0)
        #expect(
            stateOnly.stderr
                == "p.json: warning: checked against the state only, not the manifests (the plan records none): pass "
                + "--manifests\n"
        )
        let full = try CLI.run(
            ["show", "p.json", "--state", "state.json", "--manifests", "manifests"], in: sandbox.url)
        #expect(full.status == 0)
        #expect(full.stderr.hasPrefix("p.json: warning: stale plan: its changes differ"), "\(full.stderr)")
    }

    /// `apply PLANFILE` without `--state` takes the plan's; a plan that records none (a
    /// redirected `--format json`) names itself as the file to fix.
    @Test func applyingAPlanThatRecordsNoStateAsksForOne() throws {
        let sandbox = try Self.sandbox()
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        try sandbox.write("p.json", json.stdout)
        let before = try sandbox.snapshot()
        let applied = try CLI.run(["apply", "p.json", "--as", Self.alice], in: sandbox.url)
        #expect(applied.status == 1)
        #expect(
            applied.stderr
                == "p.json: error: the plan records no state: give --state FILE or set VCC_CREDS_STATE; nothing was "
                + "written\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    /// Failures of every kind, each line a diagnostic in the one shape.
    @Test(arguments: [
        ["plan", "--state", "state.json", "--as", "nobody@small.example"],
        ["plan", "--state", "missing.json", "--as", alice],
        ["plan", "--manifests", "nowhere", "--state", "state.json", "--as", alice],
        ["apply", "--state", "state.json", "--as", alice, "--lock-timeout", "-1"],
        ["apply", "--state", "state.json", "--as", alice, "--recipient", "age1nope"],
        ["show", "nothing.json"],
        ["verify", "--state", "state.json", "--client-id", "00000000-0000-4000-8000-000000000000"],
        ["plan", "--no-such-flag"],
    ])
    func everyFailureLineIsADiagnostic(_ arguments: [String]) throws {
        let sandbox = try Self.sandbox()
        let result = try CLI.run(arguments, in: sandbox.url, stdin: "secret\n")
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines { #expect(Self.isDiagnostic(line), "not a diagnostic: \(line)") }
        #expect(lines.contains { $0.contains("error: ") })
    }

    /// An error about a file names the file where editors look (`FILE[:LINE:COLUMN]:`
    /// before the severity), never inside the message; one about a flag names the flag.
    @Test(arguments: [
        (
            ["verify", "--state", "state.json", "--client-id", "00000000-0000-4000-8000-000000000000"],
            "state.json: error: no credential with clientId '00000000-0000-4000-8000-000000000000'\n"
        ),
        (
            ["apply", "--state", "state.json", "--as", alice, "--recipients-file", "nope.txt"],
            "nope.txt: error: cannot read: No such file or directory; nothing was changed\n"
        ),
        (
            ["apply", "--state", "state.json", "--as", alice, "--recipients-file", "recipients.txt"],
            "recipients.txt:2:3: error: 'age1bad' is not an age X25519 recipient (age1..., as age-keygen prints)\n"
        ),
        (
            ["init", "--state", "new.json", "--account", "small", "--admin", "bad id"],
            "error: --admin: user id 'bad id' contains whitespace or a control character\n"
        ),
    ])
    func errorsAboutFilesAreLocatedAtTheFile(_ arguments: [String], _ expected: String) throws {
        let sandbox = try Self.sandbox()
        try sandbox.write("recipients.txt", "# the team\n  age1bad\n")
        let before = try sandbox.snapshot()
        let result = try CLI.run(arguments, in: sandbox.url, stdin: "secret\n")
        #expect(result.status == 1)
        #expect(result.stderr == expected)
        #expect(try sandbox.snapshot() == before)
    }
}
