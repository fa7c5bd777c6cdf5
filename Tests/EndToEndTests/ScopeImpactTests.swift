import Foundation
import Testing

/// What a change unlocks: the scope catalogue (`vcc-creds scopes`), the APIs each create
/// and scope update gains and loses, and the sensitive scopes it grants, in every format.
@Suite struct ScopeImpactTests {
    static let alice = "alice@small.example"

    static func sandbox(settings: String = "", credentials: String) throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            settings:
              recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]
            \(settings)
            users:
              - id: alice@small.example
                name: Alice
                license: admin
              - id: sam@small.example
                name: Sam
                license: supervisor
            credentials:
            \(credentials)

            """)
        return sandbox
    }

    static let payments = """
          - name: payments
            owner: alice@small.example
            scopes: [globalpci, stats]
        """

    @Test func theCatalogueNamesWhatEachScopeUnlocks() throws {
        let text = try CLI.run(["scopes"], in: FileManager.default.temporaryDirectory)
        #expect(text.status == 0)
        #expect(
            text.stdout.contains(
                "globalpci  (sensitive)\n  label: Create secure payment sessions\n  admin: yes, supervisor: no\n  "
                    + "unlocks: Payment API (secure payment sessions)\n"
            ))
        #expect(
            text.stdout.contains(
                "users:read\n  label: Read VCC user details, settings, and presences\n  admin: yes, supervisor: "
                    + "yes\n  unlocks: Agents API (read)\n  unlocks: User Admin API (read)\n"
            ))
        let json = try CLI.run(["scopes", "--format", "json"], in: FileManager.default.temporaryDirectory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let scopes = try #require(object["scopes"] as? [[String: Any]])
        #expect(scopes.count == 10)
        let byId = Dictionary(uniqueKeysWithValues: scopes.map { ($0["id"] as! String, $0) })
        #expect(
            byId["interaction-content:read"]?["apis"] as? [String] == [
                "Content Export API (read and export)", "Conversation Analyzer API (read and export)",
                "Interaction Content API (read and export)",
            ])
        #expect(
            scopes.filter { $0["sensitive"] as? Bool == true }.map { $0["id"] as? String } == [
                "admin:write", "globalpci", "interaction-content:delete", "interactions:write", "users:write",
            ])
        #expect(byId["stats"]?["grantableBy"] as? [String] == ["admin"])
        // The Webhooks API's scopes: an admin's only; writing is sensitive.
        #expect(byId["admin:read"]?["grantableBy"] as? [String] == ["admin"])
        #expect(byId["admin:write"]?["grantableBy"] as? [String] == ["admin"])
        #expect(byId["admin:write"]?["apis"] as? [String] == ["Webhooks API (create, change and delete subscriptions)"])
        // The manifests may choose their own sensitive set.
        let sandbox = try Self.sandbox(settings: "  sensitiveScopes: [stats]", credentials: Self.payments)
        let own = try CLI.run(["scopes", "--manifests", "manifests", "--format", "json"], in: sandbox.url)
        let ownScopes = try #require(
            (try JSONSerialization.jsonObject(with: Data(own.stdout.utf8)) as? [String: Any])?["scopes"]
                as? [[String: Any]])
        #expect(ownScopes.filter { $0["sensitive"] as? Bool == true }.map { $0["id"] as? String } == ["stats"])
    }

    @Test func aCreateWithGlobalpciShowsThePaymentAPIAndTheSensitiveBannerInEveryFormat() throws {
        let sandbox = try Self.sandbox(credentials: Self.payments)
        let text = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(
            text.stdout.contains("      unlocks: Insights Stats API (read), Payment API (secure payment sessions)\n"))
        #expect(text.stdout.contains("      sensitive: globalpci\n"))
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let change = try #require(
            (plan["changes"] as? [[String: Any]])?.first { $0["kind"] as? String == "credential" })
        #expect(change["sensitive"] as? [String] == ["globalpci"])
        #expect(
            (change["apis"] as? [String: [String]])?["gained"] == [
                "Insights Stats API (read)", "Payment API (secure payment sessions)",
            ])
        #expect((change["apis"] as? [String: [String]])?["lost"] == [])
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "markdown"], in: sandbox.url)
        let lines = markdown.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 4)
        #expect(lines[2] == "> [!CAUTION]")
        #expect(lines[3] == "> **Sensitive scopes granted**: `globalpci` (1 change):")
        #expect(markdown.stdout.contains("Payment API (secure payment sessions)"))
        try Golden.check(markdown.stdout, "sensitive.md")
        // A saved plan keeps it, and applies as planned.
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"], in: sandbox.url)
        #expect(saved.status == 0)
        let shown = try CLI.run(["show", "plan.json", "--format", "markdown"], in: sandbox.url)
        #expect(shown.stdout == markdown.stdout)
    }

    @Test func aScopeUpdateListsWhatItGainsAndLoses() throws {
        let sandbox = try Self.sandbox(credentials: Self.payments)
        #expect(
            try CLI.run(["apply", "--state", "state.json", "--as", Self.alice, "--auto-approve"], in: sandbox.url)
                .status == 0)
        let narrowed = try Self.sandbox(
            credentials: """
                      - name: payments
                        owner: alice@small.example
                        scopes: [stats, users:write]
                """)
        try FileManager.default.removeItem(at: narrowed.url.appendingPathComponent("state.json"))
        try FileManager.default.copyItem(
            at: sandbox.url.appendingPathComponent("state.json"), to: narrowed.url.appendingPathComponent("state.json"))
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: narrowed.url)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let change = try #require((plan["changes"] as? [[String: Any]])?.first)
        #expect(change["action"] as? String == "update")
        #expect((change["apis"] as? [String: [String]])?["gained"] == ["Agents API (write)", "User Admin API (write)"])
        #expect((change["apis"] as? [String: [String]])?["lost"] == ["Payment API (secure payment sessions)"])
        #expect(change["sensitive"] as? [String] == ["users:write"])
        let text = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: narrowed.url)
        #expect(text.stdout.contains("      locks:   Payment API (secure payment sessions)\n"))
    }

    /// The Webhooks API's scopes (`admin:read`, `admin:write`): an admin may grant them,
    /// a supervisor may not, and granting `admin:write` is sensitive.
    @Test func theWebhooksScopesAreAnAdminsOnly() throws {
        let sandbox = try Self.sandbox(
            credentials: """
                      - name: hooks
                        owner: alice@small.example
                        scopes: [admin:read, admin:write]
                      - name: peek
                        owner: sam@small.example
                        scopes: [admin:read, users:read]
                """)
        let alice = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(alice.stdout.utf8)) as? [String: Any])
        let hooks = try #require(
            (plan["changes"] as? [[String: Any]])?.first {
                ($0["target"] as? [String: Any])?["name"] as? String == "hooks"
            })
        #expect(hooks["decision"] as? String == "permitted", "\(hooks)")
        #expect(hooks["sensitive"] as? [String] == ["admin:write"])
        #expect(
            (hooks["apis"] as? [String: [String]])?["gained"] == [
                "Webhooks API (create, change and delete subscriptions)", "Webhooks API (read subscriptions)",
            ])
        let sam = try CLI.run(["plan", "--state", "state.json", "--as", "sam@small.example"], in: sandbox.url)
        #expect(sam.status == 3, "\(sam.stderr)")
        #expect(sam.stdout.contains("refused by scope-not-allowed-for-license"), "\(sam.stdout)")
        #expect(sam.stdout.contains("admin:read"))
    }
}
