import Foundation
import Testing

/// Bad input of every kind: a one-line error per problem naming file and position,
/// exit 1, nothing written.
@Suite struct BadInputTests {
    private func expectFailure(
        _ arguments: [String], in sandbox: Sandbox, stderr expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try sandbox.snapshot()
        let result = try CLI.run(arguments, in: sandbox.url)
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stdout == "", sourceLocation: sourceLocation)
        #expect(result.stderr == expected, sourceLocation: sourceLocation)
        #expect(try sandbox.snapshot() == before, "a failed run wrote files", sourceLocation: sourceLocation)
    }

    @Test func invalidManifestsReportEveryProblemSorted() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("invalid")
        try sandbox.copyFixture("small", to: "ok")
        let expected = """
            manifests/a.yaml:6:5: error: user 'bob@small.example' is missing 'license'
            manifests/a.yaml:8:5: error: unknown key 'licence' in user; did you mean 'license'?
            manifests/a.yaml:12:21: error: unknown scope 'user:read'; did you mean 'users:read'?
            manifests/nested/b.yml:2:10: error: prune must be true or false, not 'yes'
            manifests/nested/b.yml:4:5: error: duplicate user 'alice@small.example' (first declared at \
            manifests/a.yaml:3:5)

            """
        try expectFailure(["validate"], in: sandbox, stderr: expected)
        try expectFailure(
            ["plan", "--state", "ok/state.json", "--as", "alice@small.example"], in: sandbox, stderr: expected)
    }

    @Test func validManifestsValidate() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let result = try CLI.run(["validate"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout == "manifests: valid (1 file, 2 users, 1 credential, account small)\n")
    }

    @Test func theRepositoryManifestsValidate() throws {
        let result = try CLI.run(["validate"], in: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func yamlSyntaxErrorsCarryTheirPosition() throws {
        let sandbox = try Sandbox()
        try sandbox.write("manifests/m.yaml", "account: small\nusers:\n  - id: a\n   name: b\n")
        try expectFailure(
            ["validate"], in: sandbox,
            stderr:
                "manifests/m.yaml:4:4: error: did not find expected '-' indicator while parsing a block collection\n")
    }

    @Test func aliasesAreRefusedNotExpanded() throws {
        let sandbox = try Sandbox()
        try sandbox.write(
            "manifests/m.yaml", "account: small\nusers:\n  - &u {id: a, name: b, license: admin}\n  - *u\n")
        try expectFailure(
            ["validate"], in: sandbox, stderr: "manifests/m.yaml:3:5: error: anchors (&u) are not allowed\n")
    }

    @Test func aBadStateNamesTheFileAndPosition() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let state = try sandbox.read("state.json").replacingOccurrences(of: "\"supervisor\"", with: "\"supervisr\"")
        try sandbox.write("state.json", state)
        try expectFailure(
            ["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox,
            stderr: "state.json:18:18: error: unknown license 'supervisr'; did you mean 'supervisor'?\n")
    }

    @Test func aStateThatIsNotJSONNamesTheFileAndPosition() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write("state.json", "{\n  \"account\": {},\n}\n")
        try expectFailure(
            ["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox,
            stderr: "state.json:3:1: error: expected a string key, found '}'\n")
    }

    @Test func aMissingStateSaysHowToCreateOne() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try expectFailure(
            ["plan", "--state", "nope.json", "--as", "alice@small.example"], in: sandbox,
            stderr:
                "nope.json: error: no such state file; create one with 'vcc-creds init --state nope.json --account "
                + "ID'\n"
        )
    }

    @Test func anUnknownActorIsAnError() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try expectFailure(
            ["plan", "--state", "state.json", "--as", "alice@smal.example"], in: sandbox,
            stderr: "error: --as alice@smal.example: not a user in state.json; did you mean 'alice@small.example'?\n")
    }

    @Test func manifestsForAnotherAccountPlanNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let manifest = try sandbox.read("manifests/account.yaml").replacingOccurrences(
            of: "account: small", with: "account: large")
        try sandbox.write("manifests/account.yaml", manifest)
        try expectFailure(
            ["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox,
            stderr:
                "manifests/account.yaml:1:10: error: manifests are for account 'large', but state.json is account "
                + "'small'; nothing was planned\n"
        )
    }

    @Test func badFlagsAreOneLineAndExitOne() throws {
        let sandbox = try Sandbox()
        try expectFailure(
            ["plan", "--as", "x"], in: sandbox,
            stderr: "error: no state file: give --state FILE or set VCC_CREDS_STATE\n")
        try expectFailure(
            ["plan", "--state", "s", "--as", "x", "--format", "yaml"], in: sandbox,
            stderr:
                "error: The value 'yaml' is invalid for '--format <format>'. Please provide one of 'text', 'json' or "
                + "'markdown'.\n"
        )
        try expectFailure(
            ["frobnicate"], in: sandbox,
            stderr: "error: unknown command 'frobnicate'; run 'vcc-creds --help' to list the commands\n")
    }

    /// A mistyped command gets the suggestion a mistyped flag gets from the parser; help
    /// and the version still work.
    @Test func aMistypedCommandIsNamedWithTheClosestOne() throws {
        let sandbox = try Sandbox()
        try expectFailure(["pln"], in: sandbox, stderr: "error: unknown command 'pln'; did you mean 'plan'?\n")
        try expectFailure(
            ["exprot", "--as", "x"], in: sandbox, stderr: "error: unknown command 'exprot'; did you mean 'export'?\n")
        try expectFailure(
            ["xyz"], in: sandbox, stderr: "error: unknown command 'xyz'; run 'vcc-creds --help' to list the commands\n")
        try expectFailure(["help", "pln"], in: sandbox, stderr: "error: unknown command 'pln'; did you mean 'plan'?\n")
        let help = try CLI.run(["--help"], in: sandbox.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS:"))
        let planHelp = try CLI.run(["help", "plan"], in: sandbox.url)
        #expect(planHelp.status == 0)
        #expect(planHelp.stdout.hasPrefix("OVERVIEW: Show what would change"))
        let version = try CLI.run(["--version"], in: sandbox.url)
        #expect(version.status == 0)
        #expect(version.stdout.split(separator: "\n").count == 1)
        #expect(version.stderr == "")
    }

    @Test(arguments: ["init", "validate", "plan", "show", "apply", "export", "schema", "keygen", "unseal", "verify"])
    func everyCommandsHelpShowsAnExample(_ command: String) throws {
        let sandbox = try Sandbox()
        let result = try CLI.run([command, "--help"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"))
        #expect(result.stdout.contains("vcc-creds \(command)"))
        #expect(result.stderr == "")
    }
}
