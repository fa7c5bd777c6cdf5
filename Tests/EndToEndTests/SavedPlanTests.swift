import Foundation
import Testing

/// Saved plans: `plan --out PLANFILE`, `apply PLANFILE`, `show PLANFILE`, run as a user
/// runs them, in sandboxes holding the repository's example account (`manifests/` and
/// `examples/acme/state.json`, serial 7).
///
/// The example as Alice (admin): + user andy, - credential sam/old-report, 3 refusals
/// (exit 3, no credential created, so no recipient is needed). As Sam (supervisor):
/// + sam/quality-export, ~ sam/team-dashboard, - sam/old-report, 2 refusals.
@Suite struct SavedPlanTests {
    static let alice = "alice@acme.example"
    static let sofia = "sofia@acme.example"
    /// A valid recipient nobody holds the key of: for runs whose sealed file is never opened.
    static let someRecipient = "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s"

    // MARK: 1. what a saved plan records

    @Test(.enabled(if: PeerTools.sha256sum != nil, "needs sha256sum"))
    func planOutSavesTheJSONPlanBoundToItsInputs() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let before = try sandbox.snapshot()
        // One time for every plan here: a plan records when it was made.
        let saved = try savePlan(as: Self.alice, in: sandbox, environment: Golden.clock)
        #expect(saved.status == 3, "the example has refusals as Alice")
        #expect(Set(try sandbox.snapshot().keys) == Set(before.keys).union(["plan.json"]), "plan wrote another file")

        // The hint names the exact apply command, on stderr: stdout stays the plan.
        #expect(
            saved.stderr
                == "Saved the plan to plan.json. Apply exactly this plan with: vcc-creds apply plan.json\n"
        )
        let plain = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        #expect(saved.stdout == plain.stdout, "--out changed the text on stdout")

        // The file: the --format json plan plus inputs, bound to state, manifests, actor, tool.
        let file = try sandbox.read("plan.json")
        let json = try jsonObject(file)
        let direct = try jsonObject(
            try CLI.run(
                ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url,
                environment: Golden.clock
            ).stdout)
        #expect(Set(json.keys) == Set(direct.keys).union(["inputs"]))
        var withoutInputs = json
        withoutInputs.removeValue(forKey: "inputs")
        #expect(try canonical(withoutInputs) == (try canonical(direct)), "the saved plan is not the JSON plan")
        #expect(json["inputs"] as? [String: String] == ["state": "state.json", "manifests": "manifests"])
        #expect(json["actors"] as? [[String: String]] == [["id": Self.alice, "license": "admin"]])
        let state = try #require(json["state"] as? [String: Any])
        #expect(Set(state.keys) == ["lineage", "serial", "sha256"])
        #expect(state["lineage"] as? String == "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d")
        #expect(state["serial"] as? Int == 7)
        #expect(state["sha256"] as? String == (try PeerTools.sha256Hex(try sandbox.read("state.json"))))
        let digest = try #require(json["manifestsDigest"] as? String)
        #expect(digest.wholeMatch(of: /[0-9a-f]{64}/) != nil)
        let version = try CLI.run(["--version"], in: sandbox.url)
        #expect(json["toolVersion"] as? String == version.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(file.hasSuffix("}\n"))

        // `--format json --out` prints what it saved, byte for byte.
        let asJSON = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json", "--out", "again.json"],
            in: sandbox.url, environment: Golden.clock)
        #expect(asJSON.status == 3)
        #expect(asJSON.stdout == (try sandbox.read("again.json")))
        #expect(asJSON.stdout == file, "the same inputs gave another saved plan")
    }

    @Test func aFailingPlanSavesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "nobody@acme.example", "--out", "plan.json"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(try sandbox.snapshot() == before)
    }

    @Test func planOutKeepsTheDetailedExitCode() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--detailed-exitcode", "--out", "p.json"],
            in: sandbox.url)
        #expect(result.status == 2)
        #expect(
            try jsonObject(try sandbox.read("p.json"))["summary"] as? [String: Int]
                == ["create": 1, "update": 0, "delete": 0, "refused": 0])
    }

    // MARK: 2. every binding, broken one at a time: exit 4, one line, nothing written

    @Test func aHandEditedStateWithTheSameSerialIsStaleByItsContents() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let planned = try jsonObject(try sandbox.read("plan.json"))["state"] as? [String: Any]
        let oldDigest = try #require(planned?["sha256"] as? String)
        // A user's name changed by hand: same lineage, same serial, other bytes.
        let state = try sandbox.read("state.json")
        try sandbox.write("state.json", state.replacingOccurrences(of: "\"Ana Agent\"", with: "\"Ana Agentova\""))
        try #require(try sandbox.read("state.json") != state)

        let result = try expectStaleApply(
            as: Self.alice, in: sandbox, binding: "state file contents",
            from: String(oldDigest.prefix(12)) + "…")
        #expect(!result.stderr.contains(oldDigest), "a whole digest in a one-line message")
    }

    @Test func aStateOfAnotherLineageIsStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let state = try sandbox.read("state.json")
        try sandbox.write(
            "state.json",
            state.replacingOccurrences(
                of: "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d", with: "0c6a7f1e-0000-4000-8000-000000000001"))
        try expectStaleApply(
            as: Self.alice, in: sandbox, binding: "state lineage",
            from: "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d", to: "0c6a7f1e-0000-4000-8000-000000000001")
    }

    @Test func aFreshlyInitialisedStateIsStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let made = try CLI.run(
            ["init", "--state", "other.json", "--account", "acme", "--admin", Self.alice], in: sandbox.url)
        try #require(made.status == 0, "\(made.stderr)")
        let lineage = try #require(try jsonObject(try sandbox.read("other.json"))["lineage"] as? String)
        try expectStaleApply(
            as: Self.alice, in: sandbox, state: "other.json", binding: "state lineage",
            from: "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d", to: lineage)
    }

    @Test func aStateAdvancedByAnotherApplyIsStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Acme.sam, in: sandbox)
        // Alice applies the manifests directly meanwhile: serial 7 -> 8.
        let other = try CLI.run(["apply", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        try #require(other.status == 3, "\(other.stderr)")
        try #require(try jsonObject(try sandbox.read("state.json"))["serial"] as? Int == 8)
        try expectStaleApply(
            as: Acme.sam, in: sandbox, ["--recipient", Self.someRecipient],
            binding: "state serial", from: "7", to: "8")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("secrets")), "a stale apply sealed secrets")
    }

    @Test func editedManifestsAreStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let saved = try savePlan(as: Self.alice, in: sandbox)
        let digest = try #require(try jsonObject(try sandbox.read("plan.json"))["manifestsDigest"] as? String)
        // A scope added to Alice's crm-sync.
        let admins = try sandbox.read("manifests/credentials/admins.yaml")
        try sandbox.write(
            "manifests/credentials/admins.yaml",
            admins.replacingOccurrences(of: "[users:read, users:write]", with: "[users:read, users:write, stats]"))
        try #require(try sandbox.read("manifests/credentials/admins.yaml") != admins)
        let replanned = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        #expect(replanned.stdout != saved.stdout, "the edit should change Alice's plan")

        try expectStaleApply(
            as: Self.alice, in: sandbox, binding: "manifests",
            from: String(digest.prefix(12)) + "…")
    }

    /// Fail closed: a value changed that the actor cannot even see still makes the plan stale.
    @Test func aManifestEditOutsideTheActorsViewIsStaleToo() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let saved = try savePlan(as: Acme.sam, in: sandbox)
        let admins = try sandbox.read("manifests/credentials/admins.yaml")
        try sandbox.write(
            "manifests/credentials/admins.yaml",
            admins.replacingOccurrences(of: "scopes: [stats]", with: "scopes: [stats, users:read]"))
        try #require(try sandbox.read("manifests/credentials/admins.yaml") != admins)
        let replanned = try CLI.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox.url)
        #expect(replanned.stdout == saved.stdout, "Sam cannot see Alice's credentials")
        try expectStaleApply(
            as: Acme.sam, in: sandbox, ["--recipient", Self.someRecipient],
            binding: "manifests")
    }

    @Test func anotherActorIsStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Acme.sam, in: sandbox)
        try expectStaleApply(
            as: Self.sofia, in: sandbox, ["--recipient", Self.someRecipient],
            binding: "acting user", from: Acme.sam, to: Self.sofia)
        // An admin who may do more is still not the actor it was planned for.
        try expectStaleApply(
            as: Self.alice, in: sandbox, ["--recipient", Self.someRecipient],
            binding: "acting user", from: Acme.sam, to: Self.alice)
    }

    @Test func anotherToolVersionIsStale() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let version = try CLI.run(["--version"], in: sandbox.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!version.isEmpty)
        let plan = try sandbox.read("plan.json")
        try sandbox.write(
            "plan.json",
            plan.replacingOccurrences(of: "\"toolVersion\": \"\(version)\"", with: "\"toolVersion\": \"0.0.0-older\""))
        try #require(try sandbox.read("plan.json") != plan)
        try expectStaleApply(
            as: Self.alice, in: sandbox, binding: "tool version", from: "0.0.0-older",
            to: version)
    }

    @Test func applyingAPlanTwiceIsStaleTheSecondTime() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let first = try applyPlan(as: Self.alice, in: sandbox)
        #expect(first.status == 3, "\(first.stderr)")
        #expect(first.stdout.contains("Apply complete! 1 created, 0 updated, 1 deleted, 3 refused."))
        #expect(first.stdout.contains("State serial 8 committed."))
        try expectStaleApply(as: Self.alice, in: sandbox, binding: "state serial", from: "7", to: "8")
        #expect(try auditActions(sandbox) == ["create", "delete"], "the second apply changed something")
    }

    // MARK: 3. what does not make a plan stale

    /// Reordered keys, flow instead of block style, other comments, other file names, one
    /// file split in two, `account` repeated, defaults spelled out or left out, quoted
    /// strings, an upper-case clientId: the same meaning, so the plan still applies.
    @Test func aFormattingOnlyManifestChangeIsAccepted() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let saved = try savePlan(as: Self.alice, in: sandbox)
        let digest = try jsonObject(try sandbox.read("plan.json"))["manifestsDigest"] as? String
        try FileManager.default.removeItem(atPath: sandbox.path("manifests"))
        try sandbox.write(
            "manifests/00-everything-else.yml",
            """
            # Rewritten by hand: same meaning, other text.
            {account: "acme", settings: {maxDeletes: 10}}
            ---
            users:
              - {license: admin, login: alice-example, name: Alice Example, id: alice@acme.example}
              - {license: admin, name: 'Bob Builder', id: bob@acme.example}
              - license: supervisor
                id: sam@acme.example
                login: 'sam-supervisor'
                name: "Sam Supervisor"
            ---
            # an empty document

            """)
        try sandbox.write(
            "manifests/people/more-people.yaml",
            """
            account: acme
            users:
            - id: sofia@acme.example
              license: supervisor
              name: Sofia Lead
            - {id: sid@acme.example, name: Sid Nights, license: supervisor}
            - {id: ana@acme.example, name: Ana Agent, license: agent}
            - id: andy@acme.example
              name: >-
                Andy Agent
              license: agent
            - {id: "lobby-wallboard@acme.example", name: Lobby Wallboard, license: wallboard}
            """)
        try sandbox.write(
            "manifests/z/creds-part-1.yaml",
            """
            credentials:
              - scopes:
                  - stats
                clientId: 6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F
                level: account
                name: wallboard-legacy
              - {owner: alice@acme.example, name: crm-sync, scopes: [users:write, users:read]}
              - {owner: alice@acme.example, name: insights-export, scopes: [stats]}
              - scopes: [interactions:write, globalpci]
                owner: bob@acme.example
                name: pci-gateway
                level: user
                ensure: present
            """)
        try sandbox.write(
            "manifests/z/creds-part-2.yaml",
            """
            credentials:
              - {name: quality-export, owner: sam@acme.example, scopes: [interaction-content:read]}
              - {name: team-dashboard, owner: sam@acme.example, scopes: [interaction-content:read, users:read]}
              - {name: stats-dashboard, owner: sam@acme.example, scopes: [stats]}
              - {ensure: absent, owner: sam@acme.example, name: old-report}
              - {owner: sofia@acme.example, name: "qa-recordings", scopes: ["interaction-content:read"]}
            """)
        let validated = try CLI.run(["validate"], in: sandbox.url)
        try #require(validated.status == 0, "the rewrite is not valid: \(validated.stderr)")
        let replanned = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
        #expect(try jsonObject(replanned.stdout)["manifestsDigest"] as? String == digest, "the digest saw formatting")
        let text = try CLI.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        // The same plan, but for where refused entries are declared: they moved.
        func unlocated(_ plan: String) -> [Substring] {
            plan.split(separator: "\n").filter { !$0.contains("declared at manifests/") }
        }
        #expect(unlocated(text.stdout) == unlocated(saved.stdout))
        #expect(text.stdout.contains("declared at manifests/z/creds-part-2.yaml:"), "a refusal names its old file")

        let applied = try applyPlan(as: Self.alice, in: sandbox)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.stderr == "")
        #expect(applied.stdout.contains("Apply complete! 1 created, 0 updated, 1 deleted, 3 refused."))
        let state = try jsonObject(try sandbox.read("state.json"))
        #expect(state["serial"] as? Int == 8)
        let users = (state["users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(users.contains("andy@acme.example"))
        let ids = (state["credentials"] as? [[String: Any]] ?? []).compactMap { $0["clientId"] as? String }
        #expect(!ids.contains("6b0d549b-6f03-475a-9600-a35a099950d8"), "old-report was not deleted")
        #expect(ids.count == 6)
    }

    /// `--manifests` defaults to the folder recorded in the plan; another folder with
    /// the same meaning is fine, one with other values is stale.
    @Test func applyReadsTheManifestsThePlanWasMadeFrom() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try FileManager.default.moveItem(atPath: sandbox.path("manifests"), toPath: sandbox.path("desired"))
        let saved = try CLI.run(
            ["plan", "--manifests", "desired", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"],
            in: sandbox.url)
        try #require(saved.status == 3, "\(saved.stderr)")
        #expect(
            (try jsonObject(try sandbox.read("plan.json"))["inputs"] as? [String: String])?["manifests"] == "desired")

        // A `manifests/` folder of other values is not read by default.
        try sandbox.write(
            "manifests/other.yaml", "account: acme\nusers:\n  - {id: zed@acme.example, name: Zed, license: admin}\n")
        try expectStaleApply(as: Self.alice, in: sandbox, ["--manifests", "manifests"], binding: "manifests")
        // A copy of the planned folder under another name has the same meaning.
        try FileManager.default.copyItem(atPath: sandbox.path("desired"), toPath: sandbox.path("copy"))
        let fromCopy = try applyPlan(as: Self.alice, in: sandbox, ["--manifests", "copy"])
        #expect(fromCopy.status == 3, "\(fromCopy.stderr)")
        #expect(fromCopy.stdout.contains("State serial 8 committed."))
    }

    @Test func theDefaultManifestsFolderComesFromThePlan() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try FileManager.default.moveItem(atPath: sandbox.path("manifests"), toPath: sandbox.path("desired"))
        let saved = try CLI.run(
            ["plan", "--manifests", "desired", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"],
            in: sandbox.url)
        try #require(saved.status == 3, "\(saved.stderr)")
        let applied = try applyPlan(as: Self.alice, in: sandbox)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.stdout.contains("State serial 8 committed."))
    }

    // MARK: 4. a hand-edited plan file

    /// A decision flipped, or the summary changed: the plan no longer adds up. An error
    /// with `file:line:column`, exit 1, for apply and show alike; nothing written.
    @Test(arguments: [
        PlanEdit.flipFirstRefusal, .summaryCount, .unknownKey, .unknownRule, .unknownDecision, .formatVersion,
        .truncated, .notAnObject, .badStateDigest,
    ])
    func aMalformedPlanIsAnErrorWithItsPosition(_ edit: PlanEdit) throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let (edited, position, message) = try edit.apply(to: try sandbox.read("plan.json"))
        try sandbox.write("plan.json", edited)
        let expected = "plan.json:\(position.line):\(position.column): error: \(message)"

        let before = try sandbox.snapshot()
        let applied = try applyPlan(as: Self.alice, in: sandbox)
        #expect(applied.status == 1)
        #expect(applied.stdout == "")
        #expect(applied.stderr.contains(expected + "\n") || applied.stderr.hasPrefix(expected), "\(applied.stderr)")
        expectEveryLineLocated(applied.stderr)
        #expect(try sandbox.snapshot() == before, "applying a malformed plan wrote files")

        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 1)
        #expect(shown.stdout == "")
        #expect(shown.stderr == applied.stderr)
        #expect(try sandbox.snapshot() == before)
    }

    /// A consistent hand edit (a refusal flipped to permitted, the summary fixed to match)
    /// reads as a plan, but planning again does not give it: refused, nothing applied.
    @Test func aConsistentlyEditedPlanIsNotApplied() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        var plan = try jsonObject(try sandbox.read("plan.json"))
        var changes = try #require(plan["changes"] as? [[String: Any]])
        let index = try #require(
            changes.firstIndex { $0["decision"] as? String == "refused" && $0["action"] as? String == "update" })
        changes[index]["decision"] = "permitted"
        changes[index]["by"] = (plan["actors"] as? [[String: Any]])?.first?["id"]
        for key in ["rule", "reason", "appliableBy"] { changes[index].removeValue(forKey: key) }
        plan["changes"] = changes
        plan["summary"] = ["create": 1, "update": 1, "delete": 1, "refused": 2]
        try sandbox.write("plan.json", try jsonText(plan))
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        try #require(shown.status == 0, "the edit should read as a plan: \(shown.stderr)")
        #expect(shown.stdout.contains("Plan: 1 to create, 1 to update, 1 to delete, 2 refused."))

        let before = try sandbox.snapshot()
        let applied = try applyPlan(as: Self.alice, in: sandbox)
        #expect(applied.status == 4)
        #expect(applied.stdout == "")
        #expect(applied.stderr.hasPrefix("plan.json: error: stale plan: "))
        #expect(applied.stderr.hasSuffix("; nothing was applied. Plan again.\n"))
        #expect(applied.stderr.split(separator: "\n").count == 1)
        #expect(try sandbox.snapshot() == before)
    }

    // MARK: 5. a fresh plan applies exactly its changes, and holds no secret

    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func aFreshPlanAppliesExactlyWhatADirectApplyDoes() throws {
        let viaPlan = try Sandbox()
        let direct = try Sandbox()
        try viaPlan.copyAcme()
        try direct.copyAcme()
        let recipient = try PeerTools.newKey("key.txt", in: viaPlan)
        try FileManager.default.copyItem(atPath: viaPlan.path("key.txt"), toPath: direct.path("key.txt"))

        let saved = try savePlan(as: Acme.sam, in: viaPlan)
        #expect(saved.status == 3)
        let fromPlan = try applyPlan(as: Acme.sam, in: viaPlan, ["--recipient", recipient])
        let plain = try CLI.run(
            ["apply", "--state", "state.json", "--as", Acme.sam, "--recipient", recipient], in: direct.url)
        #expect(fromPlan.status == 3, "\(fromPlan.stderr)")
        #expect(plain.status == 3, "\(plain.stderr)")
        #expect(fromPlan.stderr == "")
        #expect(fromPlan.stdout.contains("Apply complete! 1 created, 1 updated, 1 deleted, 2 refused."))
        #expect(fromPlan.stdout.hasPrefix(saved.stdout), "apply PLANFILE does not show the plan it applies")

        // The same state, modulo minted client IDs, secret digests and times.
        let left = try jsonObject(try viaPlan.read("state.json"))
        let right = try jsonObject(try direct.read("state.json"))
        for key in ["serial", "lineage", "formatVersion", "users", "account"] {
            #expect(try canonical(left[key]) == (try canonical(right[key])), "\(key) differs")
        }
        #expect(credentialSummary(left) == credentialSummary(right))
        #expect(credentialSummary(left).count == 7)
        #expect(
            credentialSummary(left).contains(
                "user sam@acme.example/quality-export [interaction-content:read] by sam@acme.example"))
        #expect(try auditActions(viaPlan) == (try auditActions(direct)))
        #expect(try auditActions(viaPlan) == ["create", "update", "delete"])

        // The sealed files hold one secret each; the plan file holds none of it.
        let sealed = try openSealed("secrets/acme-8.age", in: viaPlan)
        let sealedDirect = try openSealed("secrets/acme-8.age", in: direct)
        #expect(sealed.count == 1)
        #expect(sealedDirect.count == 1)
        let planBytes = try Data(contentsOf: viaPlan.url.appendingPathComponent("plan.json"))
        for secret in sealed.values {
            #expect(planBytes.range(of: Data(secret.utf8)) == nil, "a secret in the plan file")
            for output in [saved.stdout, saved.stderr, fromPlan.stdout, fromPlan.stderr] {
                #expect(!output.contains(secret), "a secret on the console")
            }
        }
        // Nor any secret digest of the state, before or after.
        let plan = String(decoding: planBytes, as: UTF8.self)
        #expect(!plan.contains("secretSha256"), "the plan holds secret digests")
        for state in [try viaPlan.read("state.json"), try viaPlan.read("state.json.backup")] {
            for digest in try jsonObject(state)["credentials"] as? [[String: Any]] ?? [] {
                let value = try #require(digest["secretSha256"] as? String)
                #expect(!plan.contains(value), "a secret digest in the plan file")
            }
        }
    }

    // MARK: 6. show

    @Test(arguments: ["text", "json", "markdown"])
    func showOfAFreshPlanIsThePlan(_ format: String) throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", format, "--out", "plan.json"],
            in: sandbox.url)
        #expect(saved.status == 3)
        let plain = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", format], in: sandbox.url)
        let shown = try CLI.run(["show", "plan.json", "--format", format], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(shown.stderr == "", "a fresh plan shown with a warning")
        // What `plan --out` printed, byte for byte.
        #expect(shown.stdout == saved.stdout)
        switch format {
        case "text":
            #expect(shown.stdout == plain.stdout)
            let byDefault = try CLI.run(["show", "plan.json"], in: sandbox.url)
            #expect(byDefault.stdout == plain.stdout, "show's default format is not text")
        case "markdown":
            // The footer's plan digest covers the saved plan (with its inputs); every other
            // line is the plain plan's.
            let footer = /plan `sha256:[0-9a-f]{16}`/
            #expect(shown.stdout.replacing(footer, with: "") == plain.stdout.replacing(footer, with: ""))
            #expect(shown.stdout.contains(footer))
        default:
            // The saved plan, byte for byte; the plain JSON plan plus only `inputs`.
            #expect(shown.stdout == (try sandbox.read("plan.json")))
            var savedJSON = try jsonObject(shown.stdout)
            let plainJSON = try jsonObject(plain.stdout)
            #expect(plainJSON["inputs"] == nil)
            let inputs = savedJSON.removeValue(forKey: "inputs") as? [String: String]
            #expect(inputs == ["state": "state.json", "manifests": "manifests"])
            #expect(Set(savedJSON.keys) == Set(plainJSON.keys))
            #expect(try canonical(savedJSON) == (try canonical(plainJSON)))
        }
    }

    @Test func showOfAStalePlanWarnsAndStillShowsIt() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        let saved = try savePlan(as: Self.alice, in: sandbox)
        let applied = try applyPlan(as: Self.alice, in: sandbox)
        try #require(applied.status == 3, "\(applied.stderr)")

        let before = try sandbox.snapshot()
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(shown.stdout == saved.stdout)
        #expect(
            shown.stderr
                == "plan.json: warning: stale plan: the state serial changed since it was planned (planned 7, now "
                + "8); applying it would be refused\n"
        )
        // Markdown too: the warning goes to stderr, never into the comment.
        let markdown = try CLI.run(["show", "plan.json", "--format", "markdown"], in: sandbox.url)
        #expect(markdown.status == 0)
        #expect(!markdown.stdout.contains("stale"))
        #expect(markdown.stderr.contains("warning: stale plan: the state serial changed"))
        #expect(try sandbox.snapshot() == before, "show wrote files")

        // --state checks against another file: the original is current again.
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: sandbox.url.appendingPathComponent("original.json"))
        let againstOriginal = try CLI.run(["show", "plan.json", "--state", "original.json"], in: sandbox.url)
        #expect(againstOriginal.status == 0)
        #expect(againstOriginal.stderr == "")
    }

    @Test func showOfAPlanWithEditedManifestsWarns() throws {
        let sandbox = try Sandbox()
        try sandbox.copyAcme()
        try savePlan(as: Self.alice, in: sandbox)
        let users = try sandbox.read("manifests/users.yaml")
        try sandbox.write("manifests/users.yaml", users.replacingOccurrences(of: "Sid Nights", with: "Sid Days"))
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0)
        #expect(shown.stderr.hasPrefix("plan.json: warning: stale plan: the manifests changed since it was planned"))
        #expect(shown.stderr.split(separator: "\n").count == 1)
        // --manifests checks against another folder.
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("orig"))
        let againstOriginal = try CLI.run(["show", "plan.json", "--manifests", "orig"], in: sandbox.url)
        #expect(againstOriginal.stderr == "")
    }
}

// MARK: - Support

extension SavedPlanTests {
    /// One way of breaking a saved plan by hand, and where the error must point.
    enum PlanEdit: String, CustomTestStringConvertible, Sendable {
        case flipFirstRefusal, summaryCount, unknownKey, unknownRule, unknownDecision, formatVersion, truncated,
            notAnObject, badStateDigest

        var testDescription: String { rawValue }

        struct Position: Equatable {
            var line: Int
            var column: Int
        }

        /// The edited text, the position the first error must name, and its message.
        func apply(to text: String) throws -> (String, Position, String) {
            switch self {
            case .flipFirstRefusal:
                // The refused count no longer matches: the summary is what gives it away.
                let edited = try replaceFirst(
                    "\"decision\": \"refused\"", with: "\"decision\": \"permitted\"", in: text)
                return (
                    edited, try position(of: "\"summary\": {", in: edited, column: "\"summary\": ".count),
                    "summary does not match the changes (the plan was edited)"
                )
            case .summaryCount:
                let edited = try replaceFirst(
                    "\"create\": 1,\n    \"delete\"", with: "\"create\": 2,\n    \"delete\"", in: text)
                return (
                    edited, try position(of: "\"summary\": {", in: edited, column: "\"summary\": ".count),
                    "summary does not match the changes (the plan was edited)"
                )
            case .unknownKey:
                let edited = try replaceFirst(
                    "{\n  \"account\"", with: "{\n  \"comment\": \"LGTM\",\n  \"account\"", in: text)
                return (edited, Position(line: 2, column: 3), "unknown key 'comment' in plan")
            case .unknownRule:
                let edited = try replaceFirst("\"rule\": \"not-owner\"", with: "\"rule\": \"not-an-owner\"", in: text)
                return (
                    edited, try position(of: "\"rule\": \"not-an-owner\"", in: edited, column: "\"rule\": ".count),
                    "unknown rule 'not-an-owner'; did you mean 'not-owner'?"
                )
            case .unknownDecision:
                let edited = try replaceFirst(
                    "\"decision\": \"permitted\"", with: "\"decision\": \"approved\"", in: text)
                return (
                    edited, try position(of: "\"decision\": \"approved\"", in: edited, column: "\"decision\": ".count),
                    "decision must be permitted or refused, not 'approved'"
                )
            case .formatVersion:
                let edited = try replaceFirst("\"formatVersion\": 3", with: "\"formatVersion\": 1", in: text)
                return (
                    edited, try position(of: "\"formatVersion\": 1", in: edited, column: "\"formatVersion\": ".count),
                    "plan format version 1 is not supported (this vcc-creds reads 3); plan again"
                )
            case .truncated:
                // Cut inside the actor's string: the error names where the string starts.
                let cut = try #require(text.range(of: "\"id\": \"al"))
                let edited = String(text[..<cut.upperBound])
                return (
                    edited, try position(of: "\"id\": \"", in: edited, column: "\"id\": ".count),
                    "unterminated string"
                )
            case .notAnObject:
                return ("[\n" + text + "]\n", Position(line: 1, column: 1), "plan must be an object, not an array")
            case .badStateDigest:
                let sha = try #require(text.firstMatch(of: /"sha256": "([0-9a-f]{64})"/)?.1)
                let edited = try replaceFirst(
                    "\"sha256\": \"\(sha)\"", with: "\"sha256\": \"\(sha.uppercased())\"", in: text)
                return (
                    edited, try position(of: "\"sha256\": \"", in: edited, column: "\"sha256\": ".count),
                    "state.sha256 must be 64 lowercase hex digits"
                )
            }
        }

        private func replaceFirst(_ target: String, with replacement: String, in text: String) throws -> String {
            let range = try #require(text.range(of: target), "the plan has no \(target)")
            return text.replacingCharacters(in: range, with: replacement)
        }

        /// Line of the first line holding `marker`; column just after `column` characters
        /// from where the marker starts (1-based).
        private func position(of marker: String, in text: String, column: Int) throws -> Position {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let index = try #require(lines.firstIndex { $0.contains(marker) }, "no line holds \(marker)")
            let start = try #require(lines[index].range(of: marker))
            return Position(
                line: index + 1,
                column: lines[index].distance(from: lines[index].startIndex, to: start.lowerBound) + column + 1)
        }
    }
}

extension SavedPlanTests {
    /// `plan --out plan.json` in the sandbox; the run must have saved a plan.
    @discardableResult
    func savePlan(
        as actor: String, in sandbox: Sandbox, _ extra: [String] = [], environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLI.Result {
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", actor, "--out", "plan.json"] + extra, in: sandbox.url,
            environment: environment)
        try #require(
            [0, 2, 3].contains(result.status), "plan failed: \(result.stderr)", sourceLocation: sourceLocation)
        try #require(
            FileManager.default.fileExists(atPath: sandbox.path("plan.json")), "no plan saved",
            sourceLocation: sourceLocation)
        return result
    }

    func applyPlan(as actor: String, in sandbox: Sandbox, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["apply", "plan.json", "--state", "state.json", "--as", actor] + extra, in: sandbox.url)
    }

    /// `apply plan.json` that must be refused as stale: exit 4, one line naming the
    /// binding (and what it was planned with and is now), and not one file written.
    @discardableResult
    func expectStaleApply(
        as actor: String, in sandbox: Sandbox, _ extra: [String] = [], state: String = "state.json", binding: String,
        from planned: String? = nil, to current: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLI.Result {
        let before = try sandbox.snapshot()
        let result = try CLI.run(["apply", "plan.json", "--state", state, "--as", actor] + extra, in: sandbox.url)
        #expect(try sandbox.snapshot() == before, "a stale apply wrote files", sourceLocation: sourceLocation)
        #expect(
            result.status == 4, "stale apply exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout == "", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1] == "", "not one line: \(result.stderr)", sourceLocation: sourceLocation)
        let line = String(lines.first ?? "")
        let match = line.wholeMatch(
            of:
                #/
                (?<file>[^:]+):\ error:\ stale\ plan:\ the\ (?<binding>.+)\ changed\ since\ it\ was\ planned\ 
                \(planned\ (?<planned>.+),\ now\ (?<current>.+)\);\ nothing\ was\ applied\.\ Plan\ again\.
                /#
        )
        let parts = try #require(match, "unexpected message: \(line)", sourceLocation: sourceLocation)
        #expect(parts.file == "plan.json", sourceLocation: sourceLocation)
        #expect(
            parts.binding.hasPrefix(binding), "names \(parts.binding), not \(binding)", sourceLocation: sourceLocation)
        #expect(parts.planned != parts.current, sourceLocation: sourceLocation)
        if let planned { #expect(String(parts.planned) == planned, sourceLocation: sourceLocation) }
        if let current { #expect(String(parts.current) == current, sourceLocation: sourceLocation) }
        return result
    }

    /// Each stderr line names `plan.json:LINE:COLUMN: error:`.
    func expectEveryLineLocated(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = stderr.split(separator: "\n")
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for line in lines {
            #expect(
                line.firstMatch(of: #/^plan\.json:\d+:\d+: error: /#) != nil, "\(line)", sourceLocation: sourceLocation)
        }
    }

    func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object",
            sourceLocation: sourceLocation)
    }

    func jsonText(_ object: [String: Any]) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]),
            as: UTF8.self)
            + "\n"
    }

    /// A JSON value as sorted-key JSON text, for comparing parsed documents.
    func canonical(_ value: Any?) throws -> String {
        let value = try #require(value)
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// Credentials as "level owner/name [scopes] by createdBy": what survives minting.
    func credentialSummary(_ state: [String: Any]) -> [String] {
        (state["credentials"] as? [[String: Any]] ?? []).map { credential in
            let owner = credential["owner"] as? String ?? "account"
            let scopes = (credential["scopes"] as? [String] ?? []).joined(separator: ", ")
            return
                "\(credential["level"] as? String ?? "?") \(owner)/\(credential["name"] as? String ?? "?") "
                + "[\(scopes)] by \(credential["createdBy"] as? String ?? "?")"
        }.sorted()
    }

    func auditActions(_ sandbox: Sandbox) throws -> [String] {
        guard let text = try? sandbox.read("state.json.audit.jsonl") else { return [] }
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["action"] as? String
                ?? ""
        }
    }

    /// `age -d -i key.txt FILE`: clientId -> clientSecret.
    func openSealed(_ path: String, in sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [String: String]
    {
        let age = try #require(PeerTools.age, sourceLocation: sourceLocation)
        let opened = try PeerTools.run(age, ["-d", "-i", "key.txt", path], in: sandbox.url)
        try #require(opened.status == 0, "age -d failed: \(opened.stderr)", sourceLocation: sourceLocation)
        let document = try #require(
            try JSONSerialization.jsonObject(with: opened.stdout) as? [String: Any], sourceLocation: sourceLocation)
        var secrets: [String: String] = [:]
        for credential in document["credentials"] as? [[String: Any]] ?? [] {
            let id = try #require(credential["clientId"] as? String, sourceLocation: sourceLocation)
            let secret = try #require(credential["clientSecret"] as? String, sourceLocation: sourceLocation)
            #expect(secret.wholeMatch(of: /[A-Za-z0-9]{40}/) != nil, sourceLocation: sourceLocation)
            secrets[id] = secret
        }
        return secrets
    }
}

extension Sandbox {
    /// The repository's example account: `manifests/` and `examples/acme/state.json` as `state.json`.
    fileprivate func copyAcme() throws {
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: url.appendingPathComponent("manifests"))
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: url.appendingPathComponent("state.json"))
    }
}
