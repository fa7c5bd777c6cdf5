import Foundation
import Testing

/// `settings.scopes`: a scope VCC added after a release, declared in the manifests, is
/// planned, refused and shown like VCC's own; the state keeps its declaration; an
/// undeclared unknown scope stays an error with a did-you-mean.
@Suite struct DeclaredScopeTests {
    static let declarations = """
          scopes:
            - id: reports:read
              label: Read scheduled reports
              unlocks: [Reports API (read)]
              licenses: [admin, supervisor]
            - id: recordings:export
              label: Export call recordings in bulk
              unlocks: [Recordings Export API (export)]
              sensitive: true
        """

    /// The small account (Alice an admin, Sam a supervisor) with `credentials`, and the
    /// declarations in `settings` (or none).
    static func sandbox(credentials: String, declarations: String = declarations, executor: String? = nil) throws
        -> Sandbox
    {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        if let executor {
            let state = try sandbox.read("state.json")
            try sandbox.write(
                "state.json",
                state.replacingOccurrences(of: "\"formatVersion\": 1,", with: "\"formatVersion\": 2,")
                    .replacingOccurrences(
                        of: "\"apiCredentialsEnabled\": true,",
                        with: "\"apiCredentialsEnabled\": true,\n    \"executor\": \"\(executor)\","))
        }
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            settings:
              recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]
            \(declarations)
            users:
              - {id: alice@small.example, name: Alice, license: admin}
              - {id: sam@small.example, name: Sam, license: supervisor}
            credentials:
            \(credentials)

            """)
        return sandbox
    }

    @Test func aDeclaredScopeIsPlannedRefusedAndShownLikeVCCsOwn() throws {
        let sandbox = try Self.sandbox(
            credentials: """
                  - {name: reporting, owner: sam@small.example, scopes: [reports:read, users:read]}
                  - {name: archive, owner: sam@small.example, scopes: [recordings:export]}
                  - {name: archive, owner: alice@small.example, scopes: [recordings:export, stats]}
                """)
        let sam = try CLI.run(["plan", "--state", "state.json", "--as", "sam@small.example"], in: sandbox.url)
        #expect(sam.status == 3, "\(sam.stderr)")
        #expect(sam.stdout.contains("      unlocks: Agents API (read), Reports API (read), User Admin API (read)\n"))
        #expect(
            sam.stdout.contains(
                "refused by scope-not-allowed-for-license: a supervisor licence cannot grant recordings:export"),
            "\(sam.stdout)")
        let json = try CLI.run(
            [
                "plan", "--state", "state.json", "--as", "alice@small.example", "--as", "sam@small.example", "--format",
                "json",
            ], in: sandbox.url)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let changes = try #require(plan["changes"] as? [[String: Any]])
        let alices = try #require(
            changes.first { ($0["target"] as? [String: Any])?["owner"] as? String == "alice@small.example" })
        #expect(alices["decision"] as? String == "permitted")
        #expect(alices["sensitive"] as? [String] == ["recordings:export"])
        // Applied as both: the state keeps what each declared scope is (format 7).
        let applied = try CLI.run(
            [
                "apply", "--state", "state.json", "--as", "alice@small.example", "--as", "sam@small.example",
                "--auto-approve",
            ], in: sandbox.url)
        #expect(applied.status == 3, "\(applied.stderr)")
        let state = try #require(
            try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as? [String: Any])
        #expect(state["formatVersion"] as? Int == 7)
        let kept = try #require(state["scopes"] as? [[String: Any]])
        #expect(kept.map { $0["id"] as? String } == ["recordings:export", "reports:read"])
        #expect(kept.last?["label"] as? String == "Read scheduled reports")
        #expect(kept.last?["licenses"] as? [String] == ["admin", "supervisor"])
        // The state reads back without the manifests, and plans no change.
        let again = try CLI.run(
            [
                "plan", "--state", "state.json", "--as", "alice@small.example", "--as", "sam@small.example",
                "--detailed-exitcode",
            ], in: sandbox.url)
        #expect(again.status == 3, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 refused."), "\(again.stdout)")
        let scopes = try CLI.run(["scopes", "--manifests", "manifests"], in: sandbox.url)
        #expect(
            scopes.stdout.contains(
                "reports:read  (declared in settings.scopes)\n  label: Read scheduled reports\n"
                    + "  admin: yes, supervisor: yes\n  unlocks: Reports API (read)\n"), "\(scopes.stdout)")
        #expect(scopes.stdout.contains("recordings:export  (sensitive)  (declared in settings.scopes)\n"))
    }

    @Test func thePortalRunbookUsesTheDeclaredLabel() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: sam@small.example, scopes: [reports:read]}",
            executor: "portal")
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", "sam@small.example", "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("   - Read scheduled reports (`reports:read`)\n"), "\(applied.stdout)")
        let pending = try CLI.run(["pending", "--state", "state.json", "--format", "markdown"], in: sandbox.url)
        #expect(pending.stdout.contains("   - Read scheduled reports (`reports:read`)\n"), "\(pending.stdout)")
    }

    @Test func anUndeclaredScopeIsAnErrorWithADidYouMean() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: sam@small.example, scopes: [report:read]}")
        let result = try CLI.run(["validate"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "manifests/account.yaml:17:62: error: unknown scope 'report:read'; did you mean 'reports:read'?"),
            "\(result.stderr)")
    }

    @Test func badDeclarationsAreRefusedWithTheirPlace() throws {
        let cases: [(declaration: String, message: String)] = [
            ("{id: users:read, label: x, unlocks: [y]}", "'users:read' is one of VCC's own scopes"),
            ("{id: Reports, label: x, unlocks: [y]}", "is not a scope identifier"),
            ("{id: 'a::b', label: x, unlocks: [y]}", "at most one ':'"),
            ("{id: r:read, label: x, unlocks: []}", "unlocks lists 1 to 16 APIs"),
            (
                "{id: r:read, label: x, unlocks: [y], licenses: [agent]}",
                "licenses lists agent, which has no API access"
            ),
            ("{id: r:read, label: '', unlocks: [y]}", "label is empty"),
            ("{id: r:read, label: x, unlocks: [y], extra: 1}", "extra"),
        ]
        for (declaration, message) in cases {
            let sandbox = try Self.sandbox(
                credentials: "      - {name: reporting, owner: sam@small.example, scopes: [users:read]}",
                declarations: "  scopes:\n    - \(declaration)")
            let result = try CLI.run(["validate"], in: sandbox.url)
            #expect(result.status == 1, "\(declaration)")
            #expect(result.stderr.contains(message), "\(declaration): \(result.stderr)")
            #expect(result.stderr.contains("manifests/account.yaml:"), "\(result.stderr)")
        }
        // Bounded: at most 32.
        let many = (1...33).map { "    - {id: s\($0):read, label: x, unlocks: [y]}" }.joined(separator: "\n")
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: sam@small.example, scopes: [users:read]}",
            declarations: "  scopes:\n" + many)
        let result = try CLI.run(["validate"], in: sandbox.url)
        #expect(result.stderr.contains("settings.scopes declares 33 scopes; at most 32"), "\(result.stderr)")
    }

    @Test func aStateScopeWithoutItsDeclarationIsRefused() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: alice@small.example, scopes: [reports:read]}")
        #expect(
            try CLI.run(
                ["apply", "--state", "state.json", "--as", "alice@small.example", "--auto-approve"], in: sandbox.url
            )
            .status == 0)
        var text = try sandbox.read("state.json")
        let start = try #require(text.range(of: "  \"scopes\": [\n    {"))
        let end = try #require(text.range(of: "  ],\n  \"serial\"", range: start.upperBound..<text.endIndex))
        text.replaceSubrange(start.lowerBound..<end.upperBound, with: "  \"serial\"")
        try sandbox.write("state.json", text)
        let result = try CLI.run(["pending", "--state", "state.json"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: unknown scope 'reports:read'"), "\(result.stderr)")
    }

    /// The manifests' declaration wins over the state's copy: a licence taken away there
    /// is what the licence rules decide by, and a new label is what runbooks show.
    @Test func aChangedDeclarationIsWhatPlansDecideBy() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: bob@small.example, scopes: [reports:read]}")
        let manifest = try sandbox.read("manifests/account.yaml").replacingOccurrences(
            of: "  - {id: sam@small.example, name: Sam, license: supervisor}",
            with:
                "  - {id: sam@small.example, name: Sam, license: supervisor}\n  - {id: bob@small.example, name: Bob, license: admin}"
        )
        try sandbox.write("manifests/account.yaml", manifest)
        _ = try CLI.run(
            ["apply", "--state", "state.json", "--as", "alice@small.example", "--auto-approve"], in: sandbox.url)
        let byBob = try CLI.run(
            ["apply", "--state", "state.json", "--as", "bob@small.example", "--auto-approve"], in: sandbox.url)
        #expect(byBob.status == 0, "\(byBob.stderr)")
        // Supervisors may no longer grant (or hold) it, and Bob becomes one.
        try sandbox.write(
            "manifests/account.yaml",
            manifest.replacingOccurrences(of: "licenses: [admin, supervisor]", with: "licenses: [admin]")
                .replacingOccurrences(of: "name: Bob, license: admin", with: "name: Bob, license: supervisor"))
        let plan = try CLI.run(["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(plan.status == 3, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("refused by license-change-strands-scopes"), "\(plan.stdout)")
    }

    @Test func exportWritesTheDeclarationsItsCredentialsNeed() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: alice@small.example, scopes: [recordings:export, stats]}")
        #expect(
            try CLI.run(
                ["apply", "--state", "state.json", "--as", "alice@small.example", "--auto-approve"], in: sandbox.url
            )
            .status == 0)
        let exported = try CLI.run(["export", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("  scopes:\n    - id: recordings:export\n"), "\(exported.stdout)")
        #expect(!exported.stdout.contains("reports:read"))
        try sandbox.write("exported/all.yaml", exported.stdout)
        let planned = try CLI.run(
            [
                "plan", "--state", "state.json", "--as", "alice@small.example", "--manifests", "exported",
                "--detailed-exitcode",
            ], in: sandbox.url)
        #expect(planned.status == 0, "\(planned.stdout)\(planned.stderr)")
    }

    /// The state's declarations are checked as the manifests' are; one that a release
    /// has made VCC's own is dropped, not refused; a label is never markup in a runbook.
    @Test func theStatesDeclarationsAreCheckedAndItsLabelsEscaped() throws {
        let sandbox = try Self.sandbox(
            credentials: "      - {name: reporting, owner: alice@small.example, scopes: [reports:read]}")
        #expect(
            try CLI.run(
                ["apply", "--state", "state.json", "--as", "alice@small.example", "--auto-approve"], in: sandbox.url
            )
            .status == 0)
        let good = try sandbox.read("state.json")
        try sandbox.write(
            "state.json",
            good.replacingOccurrences(
                of: "\"licenses\": [\n        \"admin\",\n        \"supervisor\"\n      ]",
                with: "\"licenses\": [\n        \"agent\"\n      ]"))
        let bad = try CLI.run(["pending", "--state", "state.json"], in: sandbox.url)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains("scope 'reports:read': licenses lists agent, which has no API access"), "\(bad.stderr)")
        // A declaration of what is now one of VCC's own scopes: ignored.
        try sandbox.write(
            "state.json",
            good.replacingOccurrences(
                of: "\"scopes\": [\n    {\n      \"id\": \"reports:read\"",
                with:
                    "\"scopes\": [\n    {\n      \"id\": \"admin:read\",\n      \"label\": \"x\",\n      \"licenses\": [\"admin\"],\n      \"sensitive\": false,\n      \"unlocks\": [\"y\"]\n    },\n    {\n      \"id\": \"reports:read\""
            ))
        let upgraded = try CLI.run(["pending", "--state", "state.json"], in: sandbox.url)
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        // Markup in a label is shown as text in the runbook.
        let marked = try Self.sandbox(
            credentials: "      - {name: reporting, owner: sam@small.example, scopes: [reports:read]}",
            declarations: Self.declarations.replacingOccurrences(
                of: "label: Read scheduled reports", with: "label: '[click](https://evil.example) <b>x</b>'"),
            executor: "portal")
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", "sam@small.example", "--auto-approve"], in: marked.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(
            applied.stdout.contains("   - \\[click\\](https://evil.example) &lt;b&gt;x&lt;/b&gt; (`reports:read`)"),
            "\(applied.stdout)")
    }
}
