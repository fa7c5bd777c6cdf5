import Foundation
import Testing

/// "Nobody can apply this" says why: for each who could otherwise have made the change
/// (its owner, the admins), the rule that refuses them too, in text, Markdown and JSON
/// (`alsoRefused`), and in saved plans, read back strictly.
@Suite struct RefusalExplanationTests {
    static let alice = "alice@acme.example"
    static let statsDashboard = "credential:sam@acme.example/stats-dashboard"
    static let ownerRefused =
        "nobody can apply this: the owner, sam@acme.example, is refused as well by scope-not-allowed-for-license (a "
        + "supervisor licence cannot grant stats); fix the manifests"
    static let adminsRefused =
        "nobody can apply this: the admins, alice@acme.example and bob@acme.example, are refused as well by "
        + "not-owner (only the owner, sam@acme.example, may create this user-level credential); fix the manifests"

    static func plan(_ sandbox: Sandbox, as actor: String, _ format: String) throws -> CLI.Result {
        try CLI.run(["plan", "--state", "state.json", "--as", actor, "--format", format], in: sandbox.url)
    }

    static func changes(_ json: String) throws -> [[String: Any]] {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return plan["changes"] as? [[String: Any]] ?? []
    }

    static func change(_ json: String, _ id: String) throws -> [String: Any] {
        try #require(try changes(json).first { $0["id"] as? String == id }, "no change \(id)")
    }

    /// The admin's plan: Sam's create is refused by not-owner, and Sam cannot make it
    /// either: his licence cannot grant stats.
    @Test func theAdminIsToldWhyTheOwnerCannotEither() throws {
        let sandbox = try Sandbox.acme()
        let text = try Self.plan(sandbox, as: Self.alice, "text")
        #expect(text.status == 3)
        let lines = text.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let refusal = try #require(lines.firstIndex(of: "! + credential sam@acme.example/stats-dashboard"))
        #expect(lines[refusal...].prefix(10).contains(Self.ownerRefused), "\(text.stdout)")

        let markdown = try Self.plan(sandbox, as: Self.alice, "markdown").stdout
        #expect(
            markdown.contains(
                "| only the owner, sam@acme.example, may create this user-level credential | nobody: the owner, "
                    + "sam@acme.example, is refused as well by scope-not-allowed-for-license (a supervisor licence "
                    + "cannot grant stats); fix the manifests |"
            ),
            "\(markdown)")
        #expect(markdown.contains("      " + Self.ownerRefused + "\n"))

        let json = try Self.plan(sandbox, as: Self.alice, "json").stdout
        let change = try Self.change(json, Self.statsDashboard)
        #expect(change["rule"] as? String == "not-owner")
        #expect(change["appliableBy"] as? [String] == [])
        #expect(
            change["alsoRefused"] as? [[String: String]] == [
                [
                    "user": Acme.sam, "rule": "scope-not-allowed-for-license",
                    "reason": "a supervisor licence cannot grant stats",
                ]
            ])
        // Only where nobody can apply the change.
        for other in try Self.changes(json) where other["id"] as? String != Self.statsDashboard {
            #expect(other["alsoRefused"] == nil, "\(other["id"] ?? "")")
        }
    }

    /// Sam's own plan: his refusal is his licence's, and the admins cannot make it for
    /// him. It names the admins and a rule about his own change, nothing else.
    @Test func theOwnerIsToldWhyTheAdminsCannotEither() throws {
        let sandbox = try Sandbox.acme()
        let text = try Self.plan(sandbox, as: Acme.sam, "text").stdout
        #expect(text.contains("        " + Self.adminsRefused + "\n"), "\(text)")
        let json = try Self.plan(sandbox, as: Acme.sam, "json").stdout
        let also = try Self.change(json, Self.statsDashboard)["alsoRefused"] as? [[String: String]]
        #expect(also?.map { $0["user"] } == [Self.alice, "bob@acme.example"])
        #expect(Set(also?.compactMap { $0["rule"] } ?? []) == ["not-owner"])
        // The plan's other changes are as they were, and nothing is explained twice.
        #expect(try Self.changes(json).filter { $0["alsoRefused"] != nil }.count == 1)
        // Acting as both, the explanation leaves out what the refusal shown says already.
        let both = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--format", "json"], in: sandbox.url
        )
        let shared = try Self.change(both.stdout, Self.statsDashboard)
        #expect(shared["rule"] as? String == "scope-not-allowed-for-license")
        #expect((shared["alsoRefused"] as? [[String: String]])?.map { $0["rule"] } == ["not-owner", "not-owner"])
    }

    /// A guardrail refuses everyone alike: the refusal shown already says it all.
    @Test func aGuardrailRefusalKeepsItsPlainNobody() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("guardrails")
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--format", "json"], in: sandbox.url
        ).stdout
        let purge = try #require(
            try Self.changes(json).first { ($0["target"] as? [String: Any])?["name"] as? String == "purge" })
        #expect(purge["rule"] as? String == "policy-forbidden-scope")
        #expect(purge["appliableBy"] as? [String] == [])
        #expect(purge["alsoRefused"] == nil)
        #expect(!json.contains("alsoRefused"))
        let text = try CLI.run(["plan", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url).stdout
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(
            lines.filter { $0.hasPrefix("nobody can apply this") }.allSatisfy {
                $0 == "nobody can apply this: fix the manifests"
            })
        #expect(lines.contains("nobody can apply this: fix the manifests"))
    }

    /// A saved plan keeps the explanation: shown again, and applied without being
    /// stale.
    @Test func aSavedPlanRoundTripsIt() throws {
        let sandbox = try Sandbox.acme()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"], in: sandbox.url)
        #expect(saved.status == 3, "\(saved.stderr)")
        #expect(try sandbox.read("plan.json").contains("\"alsoRefused\""))
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(shown.stderr == "", "\(shown.stderr)")
        #expect(shown.stdout == saved.stdout)
        let json = try CLI.run(["show", "plan.json", "--format", "json"], in: sandbox.url)
        #expect(try Self.change(json.stdout, Self.statsDashboard)["alsoRefused"] != nil)
        let applied = try CLI.run(["apply", "plan.json", "--as", Self.alice], in: sandbox.url)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.stdout.contains(Self.ownerRefused))
        // apply's JSON result names who else is refused the same way.
        let other = try Sandbox.acme()
        let result = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: other.url)
        let refused = try #require(
            (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["refused"]
                as? [[String: Any]])
        let stats = try #require(refused.first { $0["id"] as? String == Self.statsDashboard })
        #expect((stats["alsoRefused"] as? [[String: String]])?.map { $0["user"] } == [Acme.sam])
        #expect(refused.filter { $0["alsoRefused"] != nil }.count == 1)
    }

    enum Edit: String, CaseIterable, Sendable {
        case dropped, empty, onAppliableChange, unknownKey, unknownRule, missingReason, twice, onPermittedChange
    }

    /// A saved plan is read as strictly as it is written: without the field (a plan made
    /// before it) it reads; anything the writer would not write is an error.
    @Test(arguments: Edit.allCases)
    func aSavedPlanIsCheckedStrictly(_ edit: Edit) throws {
        let sandbox = try Sandbox.acme()
        let json = try Self.plan(sandbox, as: Self.alice, "json").stdout
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var changes = try #require(plan["changes"] as? [[String: Any]])
        let index = try #require(changes.firstIndex { $0["id"] as? String == Self.statsDashboard })
        let appliable = try #require(changes.firstIndex { ($0["appliableBy"] as? [String])?.isEmpty == false })
        let permitted = try #require(changes.firstIndex { $0["decision"] as? String == "permitted" })
        let entry = ["user": Acme.sam, "rule": "scope-not-allowed-for-license", "reason": "r"]
        let expected: String?
        switch edit {
        case .dropped:
            changes[index]["alsoRefused"] = nil
            expected = nil
        case .empty:
            changes[index]["alsoRefused"] = [Any]()
            expected = "alsoRefused, when present, names someone"
        case .onAppliableChange:
            changes[appliable]["alsoRefused"] = [entry]
            expected = "alsoRefused is for a change nobody can apply, but appliableBy names someone"
        case .unknownKey:
            changes[index]["alsoRefused"] = [entry.merging(["licence": "supervisor"]) { $1 }]
            expected = "unknown key 'licence' in alsoRefused entry"
        case .unknownRule:
            changes[index]["alsoRefused"] = [entry.merging(["rule": "not-an-owner"]) { $1 }]
            expected = "unknown rule 'not-an-owner'; did you mean 'not-owner'?"
        case .missingReason:
            changes[index]["alsoRefused"] = [entry.filter { $0.key != "reason" }]
            expected = "alsoRefused entry is missing 'reason'"
        case .twice:
            changes[index]["alsoRefused"] = [entry, entry]
            expected = "alsoRefused names 'sam@acme.example' twice"
        case .onPermittedChange:
            changes[permitted]["alsoRefused"] = [entry]
            expected = "a permitted change has no alsoRefused"
        }
        plan["changes"] = changes
        try sandbox.write(
            "plan.json", String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self))
        let before = try sandbox.snapshot()
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        if let expected {
            #expect(shown.status == 1, "\(edit)")
            #expect(shown.stdout == "")
            #expect(shown.stderr.hasPrefix("plan.json:"), "\(shown.stderr)")
            #expect(shown.stderr.contains(expected), "\(edit): \(shown.stderr)")
            let applied = try CLI.run(
                ["apply", "plan.json", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
            #expect(applied.status == 1, "\(edit)")
            #expect(try sandbox.snapshot() == before)
        } else {
            // It reads; with no recorded inputs it is not checked for staleness.
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("nobody can apply this: fix the manifests"))
        }
    }
}
