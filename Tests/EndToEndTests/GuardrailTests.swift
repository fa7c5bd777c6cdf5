import Foundation
import Testing

/// The manifests' own guardrails (`policy:`): each refuses with its rule id, citing
/// where the guardrail is declared, with nobody to apply it; none ever permits what the
/// licence rules refuse.
@Suite struct GuardrailTests {
    static let alice = "alice@small.example"

    static func plan(_ sandbox: Sandbox, as actor: String = alice) throws -> [String: Any] {
        let result = try CLI.run(["plan", "--state", "state.json", "--as", actor, "--format", "json"], in: sandbox.url)
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func change(_ plan: [String: Any], named name: String) -> [String: Any]? {
        (plan["changes"] as? [[String: Any]])?.first { ($0["target"] as? [String: Any])?["name"] as? String == name }
    }

    @Test func eachGuardrailRefusesWithItsRuleAndWhereItIsDeclared() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("guardrails")
        let plan = try Self.plan(sandbox)
        let expected: [(String, String, String)] = [
            (
                "purge", "policy-forbidden-scope",
                "policy.forbidScopes (manifests/account.yaml:10:7) forbids granting interaction-content:delete"
            ),
            (
                "payments", "policy-max-credentials",
                "policy.maxCredentialsPerUser (manifests/account.yaml:11:26) is 1; the plan would leave "
                    + "alice@small.example with 2"
            ),
            ("crm-sync", "policy-max-credentials", "policy.maxCredentialsPerUser (manifests/account.yaml:11:26) is 1"),
            ("qa", "policy-description-required", "policy.requireDescription (manifests/account.yaml:12:23)"),
            (
                "Reporting_Old", "policy-name-pattern",
                "policy.namePattern (manifests/account.yaml:13:16) is '[a-z][a-z0-9-]*', which the name "
                    + "'Reporting_Old' does not match"
            ),
        ]
        for (name, rule, reason) in expected {
            let change = try #require(Self.change(plan, named: name), "no change for \(name)")
            #expect(change["decision"] as? String == "refused")
            #expect(change["rule"] as? String == rule, "\(name): \(change)")
            #expect((change["reason"] as? String)?.contains(reason) == true, "\(name): \(change["reason"] ?? "")")
            #expect(change["appliableBy"] as? [String] == [], "a guardrail is fixed in the manifests, by nobody's run")
            #expect((change["location"] as? String)?.hasPrefix("manifests/account.yaml:") == true)
        }
        // The exception lets Alice's payments through the scope guardrail (the limit refuses it).
        #expect(Self.change(plan, named: "payments")?["rule"] as? String != "policy-forbidden-scope")
    }

    @Test func aGuardrailNeverTurnsARefusalIntoAPermit() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            policy:
              forbidScopes:
                - scope: stats
                  except: [sam@small.example]
            users:
              - id: alice@small.example
                name: Alice
                license: admin
              - id: sam@small.example
                name: Sam
                license: supervisor
            credentials:
              - name: dashboard
                owner: sam@small.example
                scopes: [stats]
              - name: report
                owner: alice@small.example
                scopes: [stats]

            """)
        let plan = try Self.plan(sandbox, as: Small.sam)
        // Excepted from the guardrail, Sam still may not grant stats: the licence rule refuses.
        #expect(Self.change(plan, named: "dashboard")?["rule"] as? String == "scope-not-allowed-for-license")
        let asAdmin = try Self.plan(sandbox)
        #expect(Self.change(asAdmin, named: "report")?["rule"] as? String == "policy-forbidden-scope")
        // Without policy the same admin plan permits the report: the guardrail only refused.
        let text = try sandbox.read("manifests/account.yaml")
        try sandbox.write(
            "manifests/account.yaml",
            text.replacingOccurrences(
                of: "policy:\n  forbidScopes:\n    - scope: stats\n      except: [sam@small.example]\n", with: ""))
        #expect(Self.change(try Self.plan(sandbox), named: "report")?["decision"] as? String == "permitted")
    }

    /// `([a-z0-9]+-?)+` against a name that almost matches took a backtracking engine
    /// 71 seconds at 20 letters, and doubled with each letter: one manifest could stall
    /// every plan and apply of an account. The automaton answers at once.
    @Test func aPatternThatBacktracksCannotHangAPlan() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let almost = String(repeating: "a", count: 40) + "_"
        try sandbox.write(
            "manifests/account.yaml",
            try sandbox.read("manifests/account.yaml")
                .replacingOccurrences(of: "users:\n", with: "policy:\n  namePattern: \"([a-z0-9]+-?)+\"\nusers:\n")
                .replacingOccurrences(of: "name: reporting", with: "name: \(almost)"))
        let run = try Hostile.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox)
        #expect(!run.hung, "the plan did not finish in \(Hostile.hangLimit) s")
        #expect(run.status == 3, "\(run.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(Self.change(plan, named: almost)?["rule"] as? String == "policy-name-pattern")
    }

    @Test func thePolicyIsCheckedStrictly() throws {
        for (yaml, message) in [
            ("policy:\n  namePattern: \"([\"\n", "policy.namePattern '([': a '[' that never closes (at character 2)"),
            // Patterns a backtracking engine would take hours on, or only it could decide.
            ("policy:\n  namePattern: \"((a{0,20}){0,20}){0,20}\"\n", "needs more than 1000 states"),
            ("policy:\n  namePattern: \"(a)\\\\1\"\n", "back-references are not supported"),
            ("policy:\n  maxCredentials: 3\n", "unknown key 'maxCredentials' in policy"),
            ("policy:\n  forbidScopes:\n    - scope: globalpcy\n", "globalpcy"),
            ("policy:\n  requireDescription: yes\n", "policy.requireDescription must be true or false"),
        ] {
            let sandbox = try Sandbox()
            try sandbox.copyFixture("small")
            let manifests = try sandbox.read("manifests/account.yaml")
            try sandbox.write(
                "manifests/account.yaml", manifests.replacingOccurrences(of: "users:\n", with: yaml + "users:\n"))
            let result = try CLI.run(["validate"], in: sandbox.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains(#/manifests/account\.yaml:\d+:\d+: error: /#), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test func theGuardrailPlanAsReviewersReadIt() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("guardrails")
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "markdown"], in: sandbox.url)
        #expect(markdown.status == 3)
        try Golden.check(markdown.stdout, "guardrails.md")
    }
}
