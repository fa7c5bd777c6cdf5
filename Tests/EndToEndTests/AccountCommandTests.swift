import Foundation
import Testing

/// `vcc-creds account`: the account's settings shown, and its user executor switched by
/// an admin, audited, through the state's one transaction.
@Suite struct AccountCommandTests {
    @Test func anAdminSwitchesTheUserExecutorAndTheAuditSaysWho() throws {
        let sandbox = try Sandbox.acme()
        let shown = try CLI.run(["account", "--state", "state.json"], in: sandbox.url)
        #expect(shown.stdout == "account acme: API credentials enabled, executor local, user executor local\n")
        let switched = try CLI.run(
            ["account", "--state", "state.json", "--user-executor", "api", "--as", Acme.alice], in: sandbox.url)
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stdout == "User executor of account acme is now api. State serial 8 committed.\n")
        let state = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as! [String: Any]
        #expect((state["account"] as! [String: Any])["userExecutor"] as? String == "api")
        #expect(state["formatVersion"] as? Int == 6)
        let audit = try sandbox.read("state.json.audit.jsonl").split(separator: "\n").last.map(String.init)
        #expect(
            audit
                == "{\"action\":\"update\",\"actor\":\"alice@acme.example\",\"change\":\"account\",\"event\":\"configured\","
                + "\"kind\":\"account\",\"reason\":\"userExecutor local -> api\",\"serial\":8,\"target\":{\"id\":\"acme\"},"
                + "\"time\":\"2026-12-01T09:00:00Z\"}")
        // Again: nothing to do, nothing written.
        let before = try sandbox.snapshot()
        let again = try CLI.run(
            ["account", "--state", "state.json", "--user-executor", "api", "--as", Acme.alice], in: sandbox.url)
        #expect(again.stdout.contains("already api: nothing written"))
        #expect(try sandbox.snapshot() == before)
        // And back; every later command reads the state it left.
        let back = try CLI.run(
            ["account", "--state", "state.json", "--user-executor", "local", "--as", Acme.alice], in: sandbox.url)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try CLI.run(["plan", "--state", "state.json", "--as", Acme.alice], in: sandbox.url).status == 3)
    }

    @Test(arguments: [
        (
            ["--user-executor", "api", "--as", "sam@acme.example"],
            "error: account --user-executor acts for the account and only an admin may run it; "
                + "'sam@acme.example' is a supervisor; nothing was written\n"
        ),
        (
            ["--user-executor", "portal", "--as", "alice@acme.example"],
            "error: --user-executor portal: a local account's user changes go as its credential changes do "
                + "(local), or through the API (api)\n"
        ),
        (["--user-executor", "web", "--as", "alice@acme.example"], nil),
    ])
    func whatMayNotSwitchIsOneLineAndWritesNothing(_ arguments: [String], _ expected: String?) throws {
        let sandbox = try Sandbox.acme()
        let before = try sandbox.snapshot()
        let result = try CLI.run(["account", "--state", "state.json"] + arguments, in: sandbox.url)
        #expect(result.status != 0)
        if let expected { #expect(result.stderr == expected) }
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
        #expect(try sandbox.snapshot() == before)
    }
}
