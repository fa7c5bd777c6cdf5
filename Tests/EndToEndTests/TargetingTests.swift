import Foundation
import Testing

/// `--target` and `--exclude`: a partial plan plans only what is named (and what it
/// needs), says so in every format and in the saved plan, and applies only that.
@Suite struct TargetingTests {
    static let alice = "alice@small.example"

    /// Alice's three credentials, a new supervisor Bob with one of his own, and two
    /// deletions under a delete guard of one.
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let state = try sandbox.read("state.json")
        let old = (1...2).map { index in
            """
            {"clientId": "0000000\(index)-0000-4000-8000-000000000000", "createdAt": "2026-01-01T00:00:00Z", \
            "createdBy": "alice@small.example",
             "level": "user", "name": "old-\(index)", "owner": "alice@small.example", "scopes": ["stats"],
             "secretSha256": "0def15e4814b2f62eb85b080d8f1a266e61ea6008bd4d9dab87ee66ca4884319", "updatedAt": \
            "2026-01-01T00:00:00Z"}
            """
        }
        try sandbox.write(
            "state.json",
            state.replacingOccurrences(
                of: "\"credentials\": [],", with: "\"credentials\": [\(old.joined(separator: ","))],"))
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            settings:
              recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]
              maxDeletes: 1
              prune: true
            users:
              - id: alice@small.example
                name: Alice
                license: admin
              - id: sam@small.example
                name: Sam
                license: supervisor
              - id: bob@small.example
                name: Bob
                license: supervisor
            credentials:
              - {name: one, owner: alice@small.example, scopes: [stats]}
              - {name: two, owner: alice@small.example, scopes: [stats]}
              - {name: three, owner: alice@small.example, scopes: [stats]}
              - {name: reports, owner: bob@small.example, scopes: [users:read]}

            """)
        return sandbox
    }

    static func plan(_ sandbox: Sandbox, _ flags: [String], as actors: [String] = [alice]) throws -> (
        Int32, [String: Any]
    ) {
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--format", "json"] + actors.flatMap { ["--as", $0] } + flags,
            in: sandbox.url)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return (result.status, json)
    }

    static func ids(_ plan: [String: Any]) -> [String] {
        (plan["changes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func aTargetPlansOnlyItAndWhatItNeeds() throws {
        let sandbox = try Self.sandbox()
        let (_, whole) = try Self.plan(sandbox, [])
        #expect(Self.ids(whole).count == 7, "\(Self.ids(whole))")
        #expect(whole["targeting"] == nil)
        let (status, one) = try Self.plan(sandbox, ["--target", "alice@small.example/two"])
        #expect(status == 0)
        #expect(Self.ids(one) == ["credential:alice@small.example/two"])
        let targeting = one["targeting"] as? [String: Any]
        #expect(targeting?["targets"] as? [String] == ["alice@small.example/two"])
        #expect(targeting?["excludes"] as? [String] == [])
        #expect(targeting?["leftOut"] as? Int == 6)
        // Bob's credential needs Bob: targeting it plans him too (an admin run, so the
        // credential is refused not-owner, but the user create is there).
        let (_, bob) = try Self.plan(sandbox, ["--target", "credential:bob@small.example/reports"])
        #expect(Self.ids(bob) == ["user:bob@small.example", "credential:bob@small.example/reports"])
        // Excluding what a target needs refuses the target.
        let (_, orphan) = try Self.plan(
            sandbox, ["--target", "bob@small.example/reports", "--exclude", "user:bob@small.example"])
        #expect(Self.ids(orphan) == ["credential:bob@small.example/reports"])
        let refused = (orphan["changes"] as? [[String: Any]])?.first
        #expect(refused?["rule"] as? String == "depends-on-refused-change")
        #expect((refused?["reason"] as? String)?.contains("which --exclude leaves out of this plan") == true)
    }

    @Test func anExcludeLeavesOneOutAndTheGuardCountsThePart() throws {
        let sandbox = try Self.sandbox()
        let (_, whole) = try Self.plan(sandbox, [])
        let deletions = (whole["changes"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "delete" }
        #expect(deletions.count == 2 && deletions.allSatisfy { $0["rule"] as? String == "delete-guard" })
        let (_, part) = try Self.plan(
            sandbox, ["--exclude", "alice@small.example/old-2", "--exclude", "credential:alice@small.example/one"])
        #expect(!Self.ids(part).contains("credential:00000002-0000-4000-8000-000000000000"))
        #expect(!Self.ids(part).contains("credential:alice@small.example/one"))
        let kept = (part["changes"] as? [[String: Any]] ?? []).first {
            $0["id"] as? String == "credential:00000001-0000-4000-8000-000000000000"
        }
        #expect(kept?["decision"] as? String == "permitted", "one deletion is within the guard")
        // A selector that names nothing is an error, one line, exit 1.
        let wrong = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--target", "nobody/nothing"], in: sandbox.url)
        #expect(wrong.status == 1)
        #expect(
            wrong.stderr.hasPrefix("error: --target nobody/nothing: no change of the plan has that id or OWNER/NAME"))
    }

    @Test func aPartialPlanSaysSoInEveryFormatAndAppliesOnlyItsPart() throws {
        let sandbox = try Self.sandbox()
        let flags = ["--target", "alice@small.example/one", "--target", "alice@small.example/two"]
        let text = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice] + flags, in: sandbox.url)
        #expect(
            text.stdout.contains(
                "Partial plan (--target alice@small.example/one, --target alice@small.example/two): 5 changes of the "
                    + "whole plan left out.\n"
            ))
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "markdown"] + flags, in: sandbox.url)
        #expect(
            markdown.stdout.contains(
                "> [!WARNING]\n> **Partial plan (--target alice@small.example/one, --target "
                    + "alice@small.example/two): 5 changes of the whole plan left out.**"
            ))
        try Golden.check(markdown.stdout, "targeted.md")

        // Saved, it keeps its part; apply with a saved plan takes no --target of its own.
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"] + flags, in: sandbox.url)
        #expect(saved.status == 0)
        let file = try #require(
            try JSONSerialization.jsonObject(with: Data(try sandbox.read("plan.json").utf8)) as? [String: Any])
        #expect(
            (file["targeting"] as? [String: Any])?["targets"] as? [String] == [
                "alice@small.example/one", "alice@small.example/two",
            ])
        let mixed = try CLI.run(["apply", "plan.json", "--target", "alice@small.example/one"], in: sandbox.url)
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("a saved plan applies the part it was planned for"))
        let applied = try CLI.run(["apply", "plan.json"], in: sandbox.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete! 2 created, 0 updated, 0 deleted."))
        // And apply --target without a saved plan applies only its part too.
        let more = try CLI.run(
            [
                "apply", "--state", "state.json", "--as", Self.alice, "--auto-approve", "--target",
                "alice@small.example/three",
            ],
            in: sandbox.url)
        #expect(more.status == 0, "\(more.stderr)")
        #expect(more.stdout.contains("Apply complete! 1 created, 0 updated, 0 deleted."))
        let (_, rest) = try Self.plan(sandbox, [])
        #expect(!Self.ids(rest).contains { $0.hasPrefix("credential:alice@small.example/") }, "\(Self.ids(rest))")
    }
}
