import Foundation
import Testing

/// `VCC_CREDS_STATE` and `VCC_CREDS_MANIFESTS`: the defaults of `--state` and
/// `--manifests` on every command that takes them. A flag wins, a saved plan's own paths
/// come before the environment, and an empty variable is unset.
@Suite struct EnvironmentDefaultsTests {
    static let alice = "alice@acme.example"
    static let recipient = "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s"
    /// Where the example account lives here: nowhere a command looks by default.
    static let variables = ["VCC_CREDS_STATE": "acct/state.json", "VCC_CREDS_MANIFESTS": "desired"]

    /// The example account at acct/state.json and desired/, so only the environment
    /// (or a flag) finds it.
    private func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(
            at: sandbox.url.appendingPathComponent("acct"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("desired"))
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: sandbox.url.appendingPathComponent("acct/state.json"))
        return sandbox
    }

    private func serial(_ sandbox: Sandbox, _ path: String = "acct/state.json") throws -> Int? {
        let json = try JSONSerialization.jsonObject(with: Data(try sandbox.read(path).utf8)) as? [String: Any]
        return json?["serial"] as? Int
    }

    @Test func planReadsBothFromTheEnvironment() throws {
        let sandbox = try sandbox()
        let flags = try CLI.run(
            ["plan", "--state", "acct/state.json", "--manifests", "desired", "--as", Acme.sam], in: sandbox.url)
        let environment = try CLI.run(["plan", "--as", Acme.sam], in: sandbox.url, environment: Self.variables)
        #expect(flags.status == 3)
        #expect(environment.status == 3, "\(environment.stderr)")
        #expect(environment.stdout == flags.stdout)
        #expect(environment.stderr == "")
    }

    @Test func flagsWinOverTheEnvironment() throws {
        let sandbox = try sandbox()
        let wrong = ["VCC_CREDS_STATE": "missing.json", "VCC_CREDS_MANIFESTS": "missing"]
        let plan = try CLI.run(
            ["plan", "--state", "acct/state.json", "--manifests", "desired", "--as", Acme.sam], in: sandbox.url,
            environment: wrong)
        #expect(plan.status == 3, "\(plan.stderr)")
        let validate = try CLI.run(["validate", "--manifests", "desired"], in: sandbox.url, environment: wrong)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.hasPrefix("desired: valid"))
        let export = try CLI.run(
            ["export", "--state", "acct/state.json", "--as", Self.alice], in: sandbox.url, environment: wrong)
        #expect(export.status == 0, "\(export.stderr)")
    }

    /// `VAR=` turns a default off: --state is missing again, and the manifests are the
    /// default folder.
    @Test func anEmptyVariableIsUnset() throws {
        let sandbox = try sandbox()
        let empty = ["VCC_CREDS_STATE": "", "VCC_CREDS_MANIFESTS": ""]
        for command in [["plan", "--as", Acme.sam], ["export", "--as", Acme.sam], ["apply", "--as", Acme.sam]] {
            let result = try CLI.run(command, in: sandbox.url, environment: empty)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "error: no state file: give --state FILE or set VCC_CREDS_STATE\n", "\(command)")
        }
        let validate = try CLI.run(["validate"], in: sandbox.url, environment: empty)
        #expect(validate.status == 1)
        #expect(validate.stderr.hasPrefix("manifests: error: "), "\(validate.stderr)")
    }

    /// Every command that needs a state, run with neither --state nor the variable (other
    /// required arguments given): one line naming both ways to give it, exit 1, nothing
    /// written.
    @Test(arguments: [
        ["plan", "--as", "sam@acme.example"], ["apply", "--as", "sam@acme.example"],
        ["rotate", "--as", "sam@acme.example", "sam@acme.example/team-dashboard"],
        ["export", "--as", "alice@acme.example"], ["import", "--as", "alice@acme.example", "listing.csv"],
        ["forget", "--as", "alice@acme.example", "--reason", "gone", "36f675cc-81e7-4ef5-a8e2-5d940ed90475"],
        ["init", "--account", "fresh"], ["verify", "--client-id", "36f675cc-81e7-4ef5-a8e2-5d940ed90475"],
        ["pending"], ["readers"], ["rekey", "--dry-run"], ["record", "user:andy@acme.example", "--done"],
    ])
    func aMissingStateNamesTheFlagAndTheVariable(_ command: [String]) throws {
        let sandbox = try sandbox()
        let before = try sandbox.snapshot()
        for environment in [[:], ["VCC_CREDS_STATE": ""]] {
            let result = try CLI.run(command, in: sandbox.url, environment: environment)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "error: no state file: give --state FILE or set VCC_CREDS_STATE\n", "\(command)")
            #expect(result.stdout == "", "\(command)")
        }
        #expect(try sandbox.snapshot() == before)
    }

    @Test func validateReadsTheManifestsFolder() throws {
        let sandbox = try sandbox()
        let result = try CLI.run(["validate"], in: sandbox.url, environment: Self.variables)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("desired: valid ("))
    }

    @Test func initExportAndVerifyReadTheState() throws {
        let sandbox = try sandbox()
        let created = try CLI.run(
            ["init", "--account", "fresh", "--admin", "root@fresh.example"], in: sandbox.url,
            environment: ["VCC_CREDS_STATE": "fresh.json"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try serial(sandbox, "fresh.json") == 1)
        let export = try CLI.run(["export", "--as", Self.alice], in: sandbox.url, environment: Self.variables)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("team-dashboard"))
        let verify = try CLI.run(
            ["verify", "--client-id", "36f675cc-81e7-4ef5-a8e2-5d940ed90475"], in: sandbox.url,
            environment: Self.variables, stdin: "not-the-secret")
        #expect(verify.status == 1)
        #expect(verify.stderr == "error: the secret does not match credential 36f675cc-81e7-4ef5-a8e2-5d940ed90475\n")
    }

    /// export shows one user's view: VCC_CREDS_AS may name one, not several.
    @Test func exportActsAsTheOneUserTheVariableNames() throws {
        let sandbox = try sandbox()
        let one = try CLI.run(
            ["export"], in: sandbox.url, environment: Self.variables.merging(["VCC_CREDS_AS": Acme.sam]) { $1 })
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("team-dashboard"))
        let several = try CLI.run(
            ["export"], in: sandbox.url,
            environment: Self.variables.merging(["VCC_CREDS_AS": "\(Acme.sam),\(Self.alice)"]) { $1 })
        #expect(several.status == 1)
        #expect(
            several.stderr == "error: --as: export shows one user's view, but VCC_CREDS_AS names 2; give --as USER\n")
        let nobody = try CLI.run(["export"], in: sandbox.url, environment: Self.variables)
        #expect(nobody.status == 1)
        #expect(nobody.stderr == "error: --as: no user to act as; give --as USER or set VCC_CREDS_AS\n")
    }

    @Test func applyReadsBothFromTheEnvironment() throws {
        let sandbox = try sandbox()
        let result = try CLI.run(
            ["apply", "--as", Acme.sam, "--recipient", Self.recipient], in: sandbox.url, environment: Self.variables)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("State serial 8 committed."))
        #expect(try serial(sandbox) == 8)
    }

    /// A saved plan applies what it was planned from: the paths it records come before
    /// the environment's, and are checked against it as ever.
    @Test func aSavedPlansPathsComeBeforeTheEnvironment() throws {
        let sandbox = try sandbox()
        try FileManager.default.copyItem(
            at: sandbox.url.appendingPathComponent("acct/state.json"),
            to: sandbox.url.appendingPathComponent("other.json"))
        let saved = try CLI.run(
            ["plan", "--out", "plan.json", "--as", Acme.sam], in: sandbox.url, environment: Self.variables)
        #expect(saved.status == 3, "\(saved.stderr)")
        let elsewhere = ["VCC_CREDS_STATE": "other.json", "VCC_CREDS_MANIFESTS": "missing"]
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url, environment: elsewhere)
        #expect(shown.status == 0)
        #expect(shown.stderr == "", "\(shown.stderr)")
        let applied = try CLI.run(
            ["apply", "plan.json", "--as", Acme.sam, "--recipient", Self.recipient], in: sandbox.url,
            environment: elsewhere)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(try serial(sandbox) == 8)
        #expect(try serial(sandbox, "other.json") == 7)
    }

    /// A plan that records no paths (`--format json` redirected) is checked against the
    /// environment's.
    @Test func showChecksAnUnrecordedPlanAgainstTheEnvironment() throws {
        let sandbox = try sandbox()
        let json = try CLI.run(
            ["plan", "--as", Acme.sam, "--format", "json"], in: sandbox.url, environment: Self.variables)
        try sandbox.write("plan.json", json.stdout)
        let unchecked = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(
            unchecked.stderr
                == "plan.json: warning: not checked for staleness: give --state FILE or set VCC_CREDS_STATE\n")
        let checked = try CLI.run(["show", "plan.json"], in: sandbox.url, environment: Self.variables)
        #expect(checked.status == 0)
        #expect(checked.stderr == "", "\(checked.stderr)")
    }

    @Test func helpNamesTheVariables() throws {
        let sandbox = try Sandbox()
        for command in ["init", "plan", "show", "apply", "export", "verify"] {
            let help = try CLI.run([command, "--help"], in: sandbox.url)
            #expect(help.stdout.contains("$VCC_CREDS_STATE"), "\(command) --help")
        }
        for command in ["validate", "plan", "show", "apply"] {
            let help = try CLI.run([command, "--help"], in: sandbox.url)
            #expect(help.stdout.contains("$VCC_CREDS_MANIFESTS"), "\(command) --help")
        }
    }
}
