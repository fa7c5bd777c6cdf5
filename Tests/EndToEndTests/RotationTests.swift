import Foundation
import Testing

/// Rotation and expiry end to end, with the real binary moving through time by
/// `VCC_CREDS_NOW` and the real `age` opening what it seals: a successor when a secret
/// is older than `every`, nothing during the overlap, the predecessor's deletion after
/// it; refusals by the same rules as any create or delete; expiry; the account-level
/// migration; `rotate` on demand; the guard, prune, pins, export and the portal.
@Suite(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
struct RotationTests {
    static let alice = "alice@small.example"
    static let start = "2026-01-01T00:00:00Z"

    /// The small account, Alice's and Sam's keys as their recipients, and manifests
    /// written per test.
    struct Account {
        let sandbox: Sandbox
        var key = "alice"

        init(executor portal: Bool = false) throws {
            sandbox = try Sandbox()
            try sandbox.copyFixture("small")
            if portal {
                let state = try sandbox.read("state.json")
                try sandbox.write(
                    "state.json",
                    state.replacingOccurrences(of: "\"formatVersion\": 1,", with: "\"formatVersion\": 2,")
                        .replacingOccurrences(
                            of: "\"apiCredentialsEnabled\": true,",
                            with: "\"apiCredentialsEnabled\": true,\n    \"executor\": \"portal\","))
            }
            for name in ["alice", "sam"] { _ = try PeerTools.newKey("\(name).key", in: sandbox) }
        }

        func recipient(_ name: String) throws -> String {
            let keygen = try #require(PeerTools.ageKeygen)
            return try PeerTools.run(keygen, ["-y", "\(name).key"], in: sandbox.url).text
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// `credentials` is YAML for the list's entries, indented by four.
        func manifests(settings: String = "", _ credentials: String, folder: String = "manifests") throws {
            try sandbox.write(
                "\(folder)/account.yaml",
                """
                account: small
                \(settings.isEmpty ? "" : "settings:\n" + settings + "\n")users:
                  - id: alice@small.example
                    name: Alice
                    license: admin
                    recipients: [\(try recipient("alice"))]
                  - id: sam@small.example
                    name: Sam
                    license: supervisor
                    recipients: [\(try recipient("sam"))]
                credentials:
                \(credentials)

                """)
        }

        @discardableResult
        /// Every run at a time the test names: none reads the real clock.
        func run(_ arguments: [String], at time: String, stdin: String? = nil) throws -> CLI.Result {
            try CLI.run(arguments, in: sandbox.url, environment: ["VCC_CREDS_NOW": time], stdin: stdin)
        }

        func plan(
            as actor: String = RotationTests.alice, at time: String, format: String = "json", _ extra: [String] = []
        )
            throws -> CLI.Result
        {
            try run(["plan", "--state", "state.json", "--as", actor, "--format", format] + extra, at: time)
        }

        func planJSON(as actor: String = RotationTests.alice, at time: String, _ extra: [String] = []) throws
            -> [String: Any]
        {
            let result = try plan(as: actor, at: time, extra)
            #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }

        func apply(as actors: [String] = [RotationTests.alice], at time: String) throws -> CLI.Result {
            try run(["apply", "--state", "state.json", "--auto-approve"] + actors.flatMap { ["--as", $0] }, at: time)
        }

        func credentials() throws -> [[String: Any]] {
            let state = try #require(
                try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as? [String: Any])
            return state["credentials"] as? [[String: Any]] ?? []
        }

        func clientId(_ name: String) throws -> String {
            try #require(try credentials().first { $0["name"] as? String == name }?["clientId"] as? String)
        }

        /// The plaintext of a credential's own sealed file, opened by `age` with `key`.
        func open(_ clientId: String, with key: String) throws -> String? {
            let age = try #require(PeerTools.age)
            let result = try PeerTools.run(
                age, ["-d", "-i", "\(key).key", "secrets/small/\(clientId).age"], in: sandbox.url)
            return result.status == 0 ? result.text : nil
        }
    }

    static func changes(_ plan: [String: Any]) -> [[String: Any]] { plan["changes"] as? [[String: Any]] ?? [] }

    static func lifecycle(_ change: [String: Any]) -> [String: Any] { change["lifecycle"] as? [String: Any] ?? [:] }

    static let reporting = """
          - name: reporting
            owner: alice@small.example
            scopes: [stats]
            rotate: {every: 90d, overlap: 7d}
        """

    @Test func aSecretOlderThanEveryGetsASuccessorAndThePredecessorGoesAfterTheOverlap() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        let first = try account.clientId("reporting")

        // 100 days later: a successor, sealed like any new secret.
        let due = try account.planJSON(at: "2026-04-11T00:00:00Z")
        let create = try #require(Self.changes(due).first)
        #expect(Self.changes(due).count == 1)
        #expect(create["action"] as? String == "create" && create["decision"] as? String == "permitted")
        #expect(Self.lifecycle(create)["kind"] as? String == "rotation")
        #expect(Self.lifecycle(create)["predecessor"] as? String == first)
        #expect(Self.lifecycle(create)["ageDays"] as? Int == 100)
        #expect(due["plannedAt"] as? String == "2026-04-11T00:00:00Z")
        let applied = try account.apply(at: "2026-04-11T00:00:00Z")
        #expect(applied.status == 0, "\(applied.stderr)")
        let successor = try #require(try account.credentials().first { $0["clientId"] as? String != first })
        let second = try #require(successor["clientId"] as? String)
        #expect(successor["predecessors"] as? [String] == [first])
        #expect(successor["overlapEndsAt"] as? String == "2026-04-18T00:00:00Z")
        #expect(successor["createdAt"] as? String == "2026-04-11T00:00:00Z")
        let opened = try #require(try account.open(second, with: "alice"))
        #expect(opened.contains(second))
        #expect(try account.open(second, with: "sam") == nil)

        // Another rotation is refused while this one runs; --overlap 0d ends it now.
        let again = try account.run(
            [
                "rotate", "--state", "state.json", "--as", Self.alice, "alice@small.example/reporting", "--overlap",
                "1d",
            ],
            at: "2026-04-12T00:00:00Z")
        #expect(again.status == 1)
        #expect(again.stderr.contains("it is already rotating"), "\(again.stderr)")
        let early = try account.run(
            [
                "rotate", "--state", "state.json", "--as", Self.alice, "alice@small.example/reporting", "--overlap",
                "0d",
                "--format", "json",
            ],
            at: "2026-04-12T00:00:00Z")
        let ending = try #require(try JSONSerialization.jsonObject(with: Data(early.stdout.utf8)) as? [String: Any])
        #expect(Self.changes(ending).map { $0["id"] as? String } == ["credential:\(first)"], "\(early.stderr)")

        // 3 days later: nothing to do, the pair shown as one entry rotating.
        let during = try account.planJSON(at: "2026-04-14T00:00:00Z")
        #expect(Self.changes(during).isEmpty)
        let rotating = try #require((during["rotating"] as? [[String: Any]])?.first)
        #expect(rotating["predecessor"] as? String == first)
        #expect((rotating["successor"] as? [String: Any])?["clientId"] as? String == second)
        #expect(rotating["overlapEndsAt"] as? String == "2026-04-18T00:00:00Z")
        let text = try account.plan(at: "2026-04-14T00:00:00Z", format: "text")
        #expect(text.status == 0)
        #expect(text.stdout.contains("Rotating, both secrets valid"))
        #expect(text.stdout.contains("↻ credential alice@small.example/reporting (\(second)) replaces \(first)"))
        let markdown = try account.plan(at: "2026-04-14T00:00:00Z", format: "markdown")
        #expect(markdown.stdout.contains("**1 credential rotating**"))

        // 8 days later: the predecessor is deleted.
        let after = try account.planJSON(at: "2026-04-19T00:00:00Z")
        let retire = try #require(Self.changes(after).first)
        #expect(Self.changes(after).count == 1)
        #expect(retire["action"] as? String == "delete" && retire["id"] as? String == "credential:\(first)")
        #expect(Self.lifecycle(retire)["kind"] as? String == "retirement")
        #expect(Self.lifecycle(retire)["successor"] as? String == second)
        #expect(try account.apply(at: "2026-04-19T00:00:00Z").status == 0)
        let left = try account.credentials()
        #expect(left.map { $0["clientId"] as? String } == [second])
        #expect(left.first?["overlapEndsAt"] == nil)
        let settled = try account.planJSON(at: "2026-04-19T00:00:00Z")
        #expect(Self.changes(settled).isEmpty && settled["rotating"] == nil)

        // The next rotation, 90 days on: the state stays readable, and a pin to the first
        // client ID follows to the latest successor.
        #expect(try account.apply(at: "2026-07-20T00:00:00Z").status == 0)
        let third = try #require(try account.credentials().first { $0["clientId"] as? String != second })
        #expect(third["predecessors"] as? [String] == [first, second])
        #expect(Self.changes(try account.planJSON(at: "2026-07-21T00:00:00Z")).isEmpty)
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    clientId: \(first)
                    scopes: [stats]
                    rotate: {every: 90d, overlap: 7d}
            """)
        let pinned = try account.planJSON(at: "2026-07-21T00:00:00Z")
        #expect(Self.changes(pinned).isEmpty, "\(pinned)")
        #expect((pinned["rotating"] as? [[String: Any]])?.first?["predecessor"] as? String == second)
        #expect(try account.apply(at: "2026-07-28T00:00:00Z").status == 0)
        #expect(try account.credentials().map { $0["clientId"] as? String } == [third["clientId"] as? String])
    }

    /// A pair the manifests stop naming (renamed without a pin, prune off) still
    /// finishes its rotation: one rotating entry and the successor unmanaged, the old
    /// secret deleted after the overlap.
    @Test func aRotationFinishesWhenTheManifestsNoLongerNameThePair() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        let first = try account.clientId("reporting")
        #expect(try account.apply(at: "2026-04-11T00:00:00Z").status == 0)
        try account.manifests(
            """
                  - name: other
                    owner: alice@small.example
                    scopes: [stats]
            """)
        let during = try account.planJSON(at: "2026-04-14T00:00:00Z")
        #expect((during["rotating"] as? [Any])?.count == 1)
        // The successor is unmanaged (no entry names it); its predecessor is the rotation's.
        #expect(
            (during["unmanaged"] as? [String: [[String: Any]]])?["credentials"]?.map { $0["clientId"] as? String } == [
                try account.credentials().first { $0["clientId"] as? String != first }?["clientId"] as? String
            ])
        let after = try account.planJSON(at: "2026-04-19T00:00:00Z")
        let retire = Self.changes(after).first { $0["action"] as? String == "delete" }
        #expect(retire?["id"] as? String == "credential:\(first)")
        #expect(Self.lifecycle(retire ?? [:])["kind"] as? String == "retirement")
        #expect((after["unmanaged"] as? [String: [Any]])?["credentials"]?.count == 1)
    }

    @Test func anAdminRunCannotRotateASupervisorsCredentialItsOwnerCan() throws {
        let account = try Account()
        try account.manifests(
            """
                  - name: qa
                    owner: sam@small.example
                    scopes: [users:read]
                    rotate: {every: 30d, overlap: 1d}
            """)
        #expect(try account.apply(as: [Small.sam], at: Self.start).status == 0)
        let byAdmin = try account.planJSON(at: "2026-02-15T00:00:00Z")
        let refused = try #require(Self.changes(byAdmin).first)
        #expect(refused["decision"] as? String == "refused")
        #expect(refused["rule"] as? String == "not-owner")
        #expect(refused["appliableBy"] as? [String] == [Small.sam])
        #expect(Self.lifecycle(refused)["kind"] as? String == "rotation")
        let byOwner = try account.planJSON(as: Small.sam, at: "2026-02-15T00:00:00Z")
        #expect(Self.changes(byOwner).first?["decision"] as? String == "permitted")
    }

    @Test func expiryWarnsBeforeAndDeletesAtTheDate() throws {
        let account = try Account()
        try account.manifests(
            """
                  - name: contractor
                    owner: alice@small.example
                    scopes: [stats]
                    expires: 2026-03-01
            """)
        #expect(try account.apply(at: Self.start).status == 0)
        let id = try account.clientId("contractor")
        // 10 days before: a warning in every format, no change.
        let soon = try account.planJSON(at: "2026-02-19T00:00:00Z")
        #expect(Self.changes(soon).isEmpty)
        let warned = try #require((soon["expiring"] as? [[String: Any]])?.first)
        #expect(warned["expires"] as? String == "2026-03-01T00:00:00Z")
        #expect((warned["target"] as? [String: Any])?["clientId"] as? String == id)
        let text = try account.plan(at: "2026-02-19T00:00:00Z", format: "text")
        #expect(text.stdout.contains("expires 2026-03-01T00:00:00Z (in 10 days)"))
        let markdown = try account.plan(at: "2026-02-19T00:00:00Z", format: "markdown")
        #expect(markdown.stdout.contains("> [!WARNING]\n> **1 credential expiring**"))
        // Earlier than the warning: nothing said.
        #expect(try account.planJSON(at: "2026-02-01T00:00:00Z")["expiring"] == nil)
        // At the date: deleted, the rule-cited expiry shown.
        let due = try account.planJSON(at: "2026-03-01T00:00:00Z")
        let delete = try #require(Self.changes(due).first)
        #expect(delete["action"] as? String == "delete" && delete["decision"] as? String == "permitted")
        #expect(Self.lifecycle(delete)["kind"] as? String == "expiry")
        #expect(try account.apply(at: "2026-03-01T00:00:00Z").status == 0)
        #expect(try account.credentials().isEmpty)
        // An expired entry is never created again.
        let later = try account.planJSON(at: "2026-03-02T00:00:00Z")
        #expect(Self.changes(later).isEmpty)
        #expect((later["expiring"] as? [[String: Any]])?.count == 1)
        #expect(
            try account.plan(at: "2026-03-02T00:00:00Z", format: "text").stdout.contains(
                "expired 2026-03-01T00:00:00Z: not created"))
    }

    /// The small fixture's state with an account-level credential `wallboard` (stats,
    /// made in 2025, its secret held) under `clientId`.
    static func addAccountLevelWallboard(_ clientId: String, to sandbox: Sandbox) throws {
        let state = try sandbox.read("state.json")
        try sandbox.write(
            "state.json",
            state.replacingOccurrences(
                of: "\"credentials\": [],",
                with: """
                    "credentials": [{"clientId": "\(clientId)", "createdAt": "2025-01-01T00:00:00Z", "createdBy": \
                    "alice@small.example",
                      "level": "account", "name": "wallboard", "scopes": ["stats"],
                      "secretSha256": "0def15e4814b2f62eb85b080d8f1a266e61ea6008bd4d9dab87ee66ca4884319", "updatedAt": \
                    "2025-01-01T00:00:00Z"}],
                    """))
    }

    @Test func anAccountLevelCredentialsRotationIsTheMigrationToAUserLevelOne() throws {
        let account = try Account()
        let legacy = "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"
        try Self.addAccountLevelWallboard(legacy, to: account.sandbox)
        try account.manifests(
            settings: "  rotate: {every: 90d, overlap: 7d}",
            """
                  - name: wallboard
                    level: account
                    clientId: \(legacy)
                    scopes: [stats]
            """)
        let plan = try account.planJSON(at: "2026-01-01T00:00:00Z")
        let create = try #require(Self.changes(plan).first)
        #expect(Self.changes(plan).count == 1)
        #expect(Self.lifecycle(create)["migration"] as? Bool == true)
        #expect(Self.lifecycle(create)["predecessor"] as? String == legacy)
        #expect(create["target"] as? [String: String] == ["level": "user", "name": "wallboard", "owner": Self.alice])
        #expect(create["decision"] as? String == "permitted")
        let text = try account.plan(at: "2026-01-01T00:00:00Z", format: "text")
        #expect(text.stdout.contains("migration of account-level \(legacy), which cannot rotate"))
        #expect(try account.apply(at: "2026-01-01T00:00:00Z").status == 0)
        let successor = try #require(try account.credentials().first { $0["level"] as? String == "user" })
        #expect(successor["owner"] as? String == Self.alice)
        // After the overlap the account-level one is deleted; the pin then follows.
        let after = try account.planJSON(at: "2026-01-09T00:00:00Z")
        #expect(Self.changes(after).map { $0["id"] as? String } == ["credential:\(legacy)"])
        #expect(try account.apply(at: "2026-01-09T00:00:00Z").status == 0)
        let settled = try account.planJSON(at: "2026-01-09T00:00:00Z")
        #expect(Self.changes(settled).isEmpty, "\(settled)")
    }

    @Test func rotateWithNoOverlapDeletesTheOldOneInTheSamePlanAfterTheNewOne() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        let first = try account.clientId("reporting")
        let planned = try account.run(
            [
                "rotate", "--state", "state.json", "--as", Self.alice, "alice@small.example/reporting", "--overlap",
                "0d",
                "--out", "plan.json", "--format", "json",
            ],
            at: "2026-01-02T00:00:00Z")
        #expect(planned.status == 0, "\(planned.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
        let changes = Self.changes(plan)
        #expect(changes.map { $0["action"] as? String } == ["create", "delete"])
        #expect(Self.lifecycle(changes[0])["trigger"] as? String == "requested")
        #expect(changes[1]["id"] as? String == "credential:\(first)")
        #expect(changes[1]["dependsOn"] as? [String] == ["credential:alice@small.example/reporting"])
        #expect(
            plan["rotations"] as? [[String: String]] == [
                ["credential": "alice@small.example/reporting", "overlap": "0d"]
            ])
        // Applied a day later: the saved plan decides at its own time.
        let applied = try account.run(["apply", "plan.json"], at: "2026-01-03T00:00:00Z")
        #expect(applied.status == 0, "\(applied.stderr)")
        let left = try account.credentials()
        #expect(left.count == 1 && left.first?["clientId"] as? String != first)
        #expect(left.first?["predecessors"] as? [String] == [first])

        // What cannot be rotated says so, one line, exit 1, nothing written.
        let before = try account.sandbox.snapshot()
        for (arguments, message) in [
            (["nobody/nothing"], "error: rotate nobody/nothing: no credential entry"),
            (["alice@small.example/reporting", "--overlap", "3x"], "--overlap '3x' is not a duration"),
        ] {
            let refused = try account.run(
                ["rotate", "--state", "state.json", "--as", Self.alice] + arguments, at: "2026-01-03T00:00:00Z")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        #expect(try account.sandbox.snapshot() == before)
    }

    @Test func rotationWorksWithTheDeleteGuardPruneExportAndPins() throws {
        let account = try Account()
        try account.manifests(settings: "  maxDeletes: 0", Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        let first = try account.clientId("reporting")
        #expect(try account.apply(at: "2026-04-11T00:00:00Z").status == 0)
        let second = try #require(
            try account.credentials().first { $0["clientId"] as? String != first }?["clientId"] as? String)

        // The guard refuses the predecessor's deletion like any other.
        let guarded = try account.planJSON(at: "2026-04-19T00:00:00Z")
        #expect(Self.changes(guarded).first?["rule"] as? String == "delete-guard")

        // Prune does not take the predecessor mid-overlap: the pair is one entry.
        try account.manifests(settings: "  prune: true", Self.reporting)
        #expect(Self.changes(try account.planJSON(at: "2026-04-14T00:00:00Z")).isEmpty)

        // Export mid-rotation: its manifests plan no changes, the pair still rotating.
        let exported = try account.run(
            ["export", "--state", "state.json", "--as", Self.alice], at: "2026-04-14T00:00:00Z")
        #expect(exported.status == 0)
        try account.sandbox.write("exported/account.yaml", exported.stdout)
        let ofExport = try account.planJSON(at: "2026-04-14T00:00:00Z", ["--manifests", "exported"])
        #expect(Self.changes(ofExport).isEmpty, "\(ofExport)")
        #expect((ofExport["rotating"] as? [Any])?.count == 1)

        // Two entries for the two halves of one rotation: an error, not two plans for it.
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    clientId: \(first)
                    scopes: [stats]
                  - name: reporting-new
                    owner: alice@small.example
                    clientId: \(second)
                    scopes: [stats]
            """)
        let twice = try account.plan(at: "2026-04-14T00:00:00Z", format: "text")
        #expect(twice.status == 1)
        #expect(
            twice.stderr.contains("which another entry already names; keep one entry, pinned to \(second)"),
            "\(twice.stderr)")

        // A pin to the first client ID follows to the successor once the first is gone.
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    clientId: \(first)
                    scopes: [stats]
            """)
        #expect(Self.changes(try account.planJSON(at: "2026-04-14T00:00:00Z")).isEmpty)
        #expect(try account.apply(at: "2026-04-19T00:00:00Z").status == 0)
        #expect(try account.credentials().map { $0["clientId"] as? String } == [second])
        let pinned = try account.planJSON(at: "2026-04-20T00:00:00Z")
        #expect(Self.changes(pinned).isEmpty, "\(pinned)")
    }

    @Test func aPortalRotationIsARunbookStepRecordedAsTheSuccessor() throws {
        let account = try Account(executor: true)
        let old = "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
        let state = try account.sandbox.read("state.json")
        try account.sandbox.write(
            "state.json",
            state.replacingOccurrences(
                of: "\"credentials\": [],",
                with: """
                    "credentials": [{"clientId": "\(old)", "createdAt": "2026-01-01T00:00:00Z", "createdBy": \
                    "alice@small.example",
                      "level": "user", "name": "reporting", "owner": "alice@small.example", "scopes": ["stats"],
                      "secretSha256": "0def15e4814b2f62eb85b080d8f1a266e61ea6008bd4d9dab87ee66ca4884319", "updatedAt": \
                    "2026-01-01T00:00:00Z"}],
                    """))
        try account.manifests(Self.reporting)
        let handed = try account.apply(at: "2026-04-11T00:00:00Z")
        #expect(handed.status == 0, "\(handed.stderr)")
        let runbook = try account.run(["pending", "--state", "state.json"], at: "2026-04-11T00:00:00Z")
        #expect(runbook.stdout.contains("credential:alice@small.example/reporting"))
        let markdown = try account.run(
            ["pending", "--state", "state.json", "--format", "markdown"], at: "2026-04-11T00:00:00Z")
        #expect(
            markdown.stdout.contains(
                "A rotation: this credential replaces `\(old)`. Both stay valid for 7d after it is recorded"))
        let new = "1e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
        let recorded = try account.run(
            [
                "record", "--state", "state.json", "credential:alice@small.example/reporting", "--client-id", new,
                "--no-verify",
            ],
            at: "2026-04-12T00:00:00Z", stdin: "Pq7-portal.Secret_2026\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let successor = try #require(try account.credentials().first { $0["clientId"] as? String == new })
        #expect(successor["predecessors"] as? [String] == [old])
        #expect(successor["overlapEndsAt"] as? String == "2026-04-19T00:00:00Z")
        // After the overlap the deletion is the next step for the portal.
        let after = try account.planJSON(at: "2026-04-20T00:00:00Z")
        #expect(Self.changes(after).map { $0["id"] as? String } == ["credential:\(old)"])
        #expect(Self.lifecycle(Self.changes(after)[0])["kind"] as? String == "retirement")
    }

    /// Two changes under one id would share one minted credential: refused before
    /// anything is decided (a pinned entry due beside an unpinned one of its name).
    @Test func aSuccessorThatWouldShareAnotherCreatesIdIsAnError() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        let first = try account.clientId("reporting")
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    clientId: \(first)
                    scopes: [stats]
                    rotate: {every: 90d, overlap: 7d}
                  - name: reporting
                    owner: alice@small.example
                    scopes: [users:read]
            """)
        let before = try account.sandbox.snapshot()
        let result = try account.plan(at: "2026-04-11T00:00:00Z", format: "text")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "error: the rotation of this entry would create credential alice@small.example/reporting, which "
                    + "another change of the plan (the entry at manifests/account.yaml:"
            ),
            "\(result.stderr)")
        #expect(try account.apply(at: "2026-04-11T00:00:00Z").status == 1)
        #expect(try account.sandbox.snapshot() == before)
    }

    /// Time binds a saved plan too: one from the future (a skewed clock would end an
    /// overlap early), one an expiry has overtaken, and one whose notices were edited
    /// are all stale (exit 4, nothing applied).
    @Test func aSavedPlanIsStaleWhenTimeMakesItWrong() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        #expect(try account.apply(at: Self.start).status == 0)
        #expect(try account.apply(at: "2026-04-11T00:00:00Z").status == 0)
        let saved = try account.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "future.json"], at: "2026-04-19T00:00:00Z")
        #expect(saved.status == 0, "\(saved.stderr)")
        let before = try account.sandbox.snapshot()
        let early = try account.run(["apply", "future.json"], at: "2026-04-17T00:00:00Z")
        #expect(early.status == 4)
        #expect(
            early.stderr.contains("it was planned at 2026-04-19T00:00:00Z, later than now (2026-04-17T00:00:00Z)"),
            "\(early.stderr)")
        // A few minutes of skew are allowed.
        #expect(try account.run(["apply", "future.json"], at: "2026-04-18T23:58:00Z").status == 0)
        _ = before

        let fresh = try Account()
        try fresh.manifests(
            """
                  - name: temp
                    owner: alice@small.example
                    scopes: [stats]
                    expires: 2026-02-01
            """)
        #expect(
            try fresh.run(["plan", "--state", "state.json", "--as", Self.alice, "--out", "p.json"], at: Self.start)
                .status == 0)
        let untouched = try fresh.sandbox.snapshot()
        let late = try fresh.run(["apply", "p.json"], at: "2026-03-01T00:00:00Z")
        #expect(late.status == 4)
        #expect(
            late.stderr.contains("credential alice@small.example/temp expired since it was planned"), "\(late.stderr)")
        #expect(try fresh.sandbox.snapshot() == untouched)

        // A saved plan whose warning was cut out no longer describes what planning gives.
        try fresh.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--out", "warned.json"], at: "2026-01-25T00:00:00Z")
        var plan = try #require(
            try JSONSerialization.jsonObject(with: Data(try fresh.sandbox.read("warned.json").utf8)) as? [String: Any])
        #expect(plan["expiring"] != nil)
        plan.removeValue(forKey: "expiring")
        try fresh.sandbox.write(
            "warned.json", String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self))
        let edited = try fresh.run(["apply", "warned.json"], at: "2026-01-25T00:00:00Z")
        #expect(edited.status == 4, "\(edited.stderr)")
    }

    /// Times past what the state can write are refused, wherever they come from.
    @Test func timesOutsideTheYears0000To9999AreRefused() throws {
        let account = try Account()
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    scopes: [stats]
                    expires: 0000-01-01T00:00:00+01:00
            """)
        let manifest = try account.plan(at: Self.start, format: "text")
        #expect(manifest.status == 1)
        #expect(manifest.stderr.contains("expires '0000-01-01T00:00:00+01:00' is not a date"), "\(manifest.stderr)")
        try account.manifests(Self.reporting)
        for time in ["0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"] {
            let clock = try account.plan(at: time, format: "text")
            #expect(clock.status == 1)
            #expect(
                clock.stderr.hasPrefix("error: VCC_CREDS_NOW='\(time)' is not an RFC 3339 date and time"),
                "\(clock.stderr)")
        }
        // An overlap that would end after 9999 is refused, never shortened: cut to the
        // last second, it would delete the old secret at once.
        #expect(try account.apply(at: "0001-06-01T00:00:00Z").status == 0)
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    scopes: [stats]
                    rotate: {every: 36500d, overlap: 36000d}
            """)
        let before = try account.sandbox.snapshot()
        let late = try account.apply(at: "9999-06-03T00:00:00Z")
        #expect(late.status == 1)
        #expect(
            late.stderr.contains(
                "error: rotate alice@small.example/reporting: its 36000d overlap from 9999-06-03T00:00:00Z would end "
                    + "after 9999-12-31T23:59:59Z"
            ),
            "\(late.stderr)")
        #expect(try account.sandbox.snapshot() == before)
    }

    /// A migrated pair whose owner no longer sees account-level credentials (demoted to
    /// supervisor mid-overlap): their plan leaves the successor alone, even with prune,
    /// and tells nothing of the hidden predecessor.
    @Test func halfAPairTheActorCannotSeeIsLeftAlone() throws {
        let account = try Account()
        let legacy = "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"
        let successor = "7f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"
        let state = try account.sandbox.read("state.json")
        try account.sandbox.write(
            "state.json",
            state.replacingOccurrences(of: "\"formatVersion\": 1,", with: "\"formatVersion\": 4,").replacingOccurrences(
                of: "\"credentials\": [],",
                with: """
                    "credentials": [{"clientId": "\(legacy)", "createdAt": "2025-01-01T00:00:00Z", "createdBy": \
                    "alice@small.example",
                      "level": "account", "name": "wallboard", "scopes": ["stats"],
                      "secretSha256": "0def15e4814b2f62eb85b080d8f1a266e61ea6008bd4d9dab87ee66ca4884319", "updatedAt": \
                    "2025-01-01T00:00:00Z"},
                      {"clientId": "\(successor)", "createdAt": "2026-01-01T00:00:00Z", "createdBy": \
                    "sam@small.example",
                      "level": "user", "name": "wallboard", "overlapEndsAt": "2026-01-08T00:00:00Z", "owner": \
                    "sam@small.example",
                      "predecessors": ["\(legacy)"], "scopes": ["users:read"],
                      "secretSha256": "0def15e4814b2f62eb85b080d8f1a266e61ea6008bd4d9dab87ee66ca4884319", "updatedAt": \
                    "2026-01-01T00:00:00Z"}],
                    """))
        try account.manifests(
            settings: "  prune: true",
            """
                  - name: wallboard
                    level: account
                    clientId: \(legacy)
                    scopes: [stats]
            """)
        let plan = try account.planJSON(as: Small.sam, at: "2026-01-03T00:00:00Z")
        #expect(Self.changes(plan).isEmpty, "\(plan)")
        #expect((plan["unmanaged"] as? [String: [Any]])?["credentials"]?.isEmpty == true)
        #expect(!(try account.plan(as: Small.sam, at: "2026-01-03T00:00:00Z").stdout.contains(legacy)))
    }

    /// Bad rotation input: one line naming the file and position, exit 1.
    @Test(arguments: [
        ("rotate: {every: 7d, overlap: 7d}", "rotate.overlap (7d) must be shorter than rotate.every (7d)"),
        ("rotate: {every: 90, overlap: 7d}", "rotate.every '90' is not a duration"),
        ("rotate: {every: 90d}", "missing"),
        ("expires: tomorrow", "expires 'tomorrow' is not a date like 2027-03-31"),
        ("expires: 2026-02-30", "expires '2026-02-30' is not a date"),
    ])
    func badRotationOrExpiryIsAnErrorWithItsPosition(_ line: String, _ message: String) throws {
        let account = try Account()
        try account.manifests(
            """
                  - name: reporting
                    owner: alice@small.example
                    scopes: [stats]
                    \(line)
            """)
        let result = try account.plan(at: Self.start, format: "text")
        #expect(result.status == 1)
        #expect(result.stderr.contains(#/manifests/account\.yaml:\d+:\d+: error: /#), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aClockThatIsNotATimeIsRefused() throws {
        let account = try Account()
        try account.manifests(Self.reporting)
        let result = try account.plan(at: "yesterday", format: "text")
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: VCC_CREDS_NOW='yesterday' is not an RFC 3339 date and time like 2026-12-04T09:30:00Z or "
                + "2026-12-04T10:30:00+01:00 (years 0000 to 9999); unset it to use the system clock\n"
        )
        let offset = try account.planJSON(at: "2026-01-01T01:00:00+01:00")
        #expect(offset["plannedAt"] as? String == Self.start)
    }

    /// The fixture's plan as reviewers read it: a rotation due, a migration, a refusal,
    /// a pair rotating, an expiry near (golden files).
    @Test func aPlanWithRotationsAndExpiriesAsReviewersReadIt() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("rotation")
        for (format, golden) in [("text", "rotation.txt"), ("markdown", "rotation.md")] {
            let plan = try CLI.run(
                ["plan", "--state", "state.json", "--as", "alice@rot.example", "--format", format], in: sandbox.url,
                environment: ["VCC_CREDS_NOW": "2026-04-11T00:00:00Z"])
            #expect(plan.status == 3, "\(plan.stderr)")
            try Golden.check(plan.stdout, golden)
        }
    }
}
