import Foundation
import Testing

/// `plan --refresh` and `apply --refresh` against the stand-in VCC, on the repository's
/// example account (serial 7), where the manifests declare a new hire, andy, whom
/// someone has already created in the portal. In the same suite as ``RefreshTests``:
/// serialized, and skipped with it under the moved clock.
extension RefreshTests {
    /// VCC as the state has it, plus andy, made in the portal.
    static let acmeInVCC: [StandIn.User] = [
        .init(
            userId: "acac0000-0000-4000-8000-000000000001", username: "alice@acme.example", name: "Alice Example",
            email: nil, role: "Admin"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000002", username: "ana@acme.example", name: "Ana Agent", email: nil,
            role: "Agent"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000003", username: "bob@acme.example", name: "Bob Builder",
            email: nil, role: "Admin"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000004", username: "lobby-wallboard@acme.example",
            name: "Lobby Wallboard", email: nil, role: "Wallboard"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000005", username: "sam@acme.example", name: "Sam Supervisor",
            email: nil, role: "Supervisor"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000006", username: "sid@acme.example", name: "Sid Nights",
            email: nil, role: "Supervisor"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000007", username: "sofia@acme.example", name: "Sofia Lead",
            email: nil, role: "Supervisor"),
        .init(
            userId: "acac0000-0000-4000-8000-000000000008", username: "andy@acme.example", name: "Andy Agent",
            email: "andy@acme.example", role: "Agent"),
    ]

    static func acmeInVCC(with changes: [StandIn.User]) -> [StandIn.User] {
        acmeInVCC.map { user in
            guard var changed = changes.first(where: { $0.username == user.username }) else { return user }
            changed.userId = user.userId
            return changed
        }
    }

    @Test func aRefreshingPlanProposesNothingThatAlreadyHappened() async throws {
        let sandbox = try Sandbox.acme()
        let vcc = try StandIn(in: sandbox, users: Self.acmeInVCC)
        let environment = try vcc.environment(in: sandbox)
        let plain = try CLI.run(["plan", "--state", "state.json", "--as", Acme.alice], in: sandbox.url)
        #expect(plain.stdout.contains("+ user andy@acme.example"), "without --refresh the plan creates andy")
        let before = try sandbox.snapshot()
        for (format, golden) in [("text", "plan-refresh.txt"), ("markdown", "plan-refresh.md")] {
            let result = try CLI.run(
                ["plan", "--state", "state.json", "--as", Acme.alice, "--refresh", "--format", format],
                in: sandbox.url, environment: environment)
            #expect(result.status == 3, "Alice's plan of the example has refusals: \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            #expect(!result.stdout.contains("+ user andy"), "a refreshed plan must not create a user VCC has")
            try Golden.check(result.stdout, golden)
        }
        #expect(try sandbox.snapshot() == before, "plan --refresh wrote something")
        let seen = try await vcc.snapshot()
        #expect(!seen.requests.isEmpty)
        for request in seen.requests where request.path.hasPrefix("/useradmin") {
            #expect(request.method == "GET")
            #expect(request.accept == "application/vnd.newvoicemedia.v4+json")
            #expect(request.scopes == ["users:read"])
        }
    }

    @Test func driftAloneIsAChangeForDetailedExitcode() throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        try sandbox.write(
            "manifests/acme.yaml",
            "account: acme\nusers:\n  - id: ada@acme.example\n    name: Ada\n    license: admin\n")
        let plan = ["plan", "--state", "state.json", "--as", Self.ada.username, "--detailed-exitcode"]
        #expect(try CLI.run(plan, in: sandbox.url).status == 0, "no changes without --refresh")
        let refreshed = try CLI.run(
            plan + ["--refresh"], in: sandbox.url, environment: try vcc.environment(in: sandbox))
        #expect(refreshed.status == 2, "\(refreshed.stdout)\(refreshed.stderr)")
        #expect(refreshed.stdout.contains("Refreshed from VCC: 4 users read, 5 differences"), "\(refreshed.stdout)")
    }

    @Test func aSupervisorsRefreshedPlanCountsNoCredentialItCannotSee() throws {
        let sandbox = try Sandbox.acme()
        // Sofia, archived in the portal, still owns qa-recordings in the state.
        let vcc = try StandIn(
            in: sandbox,
            users: Self.acmeInVCC(with: [
                .init(username: "sofia@acme.example", name: "Sofia Lead", email: nil, role: "Supervisor", active: false)
            ]))
        let environment = try vcc.environment(in: sandbox)
        func sofia(as actor: String) throws -> String {
            let result = try CLI.run(
                ["plan", "--state", "state.json", "--as", actor, "--refresh"], in: sandbox.url,
                environment: environment)
            return String(result.stdout.split(separator: "\n").first { $0.contains("- sofia@acme.example") } ?? "")
        }
        #expect(try sofia(as: Acme.alice).contains("archived in VCC; kept: owns 1 credential"))
        let sam = try sofia(as: Acme.sam)
        #expect(sam.hasSuffix("archived in VCC"), "\(sam)")
        #expect(!sam.contains("owns"), "a supervisor's plan told them about Sofia's credentials: \(sam)")
    }

    @Test func applyRefreshTakesVCCsUsersInWithTheChanges() async throws {
        let sandbox = try Sandbox.acme()
        let vcc = try StandIn(in: sandbox, users: Self.acmeInVCC)
        let environment = try vcc.environment(in: sandbox)
        let result = try CLI.run(
            ["apply", "--state", "state.json", "--as", Acme.alice, "--refresh", "--format", "json"], in: sandbox.url,
            environment: environment)
        #expect(result.status == 3, "the example's refusals stay refused: \(result.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(answer["serial"] as? Int == 8)
        #expect(answer["refreshed"] as? Int == 8, "andy adopted, seven users given their VCC ids")
        let applied = (answer["applied"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(!applied.contains("user:andy@acme.example"))
        let state = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as! [String: Any]
        let andy = (state["users"] as! [[String: Any]]).first { $0["id"] as? String == "andy@acme.example" }
        #expect(andy?["vccUserId"] is String)
        #expect(andy?["email"] as? String == "andy@acme.example")
        // The refreshed lines come first, then the apply's own, in one serial.
        let audit = try sandbox.read("state.json.audit.jsonl").split(separator: "\n").filter {
            $0.contains("\"serial\":8")
        }
        let events = audit.map { $0.contains("\"event\":\"refreshed\"") }
        #expect(events.prefix(8).allSatisfy { $0 } && !events.dropFirst(8).contains(true) && events.count > 8)
        // Now the state and VCC agree.
        let again = try CLI.run(
            ["refresh", "--state", "state.json", "--dry-run"], in: sandbox.url, environment: environment)
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test func aSavedRefreshedPlanIsStaleOnceVCCsUsersChange() async throws {
        let sandbox = try Sandbox.acme()
        let vcc = try StandIn(in: sandbox, users: Self.acmeInVCC)
        let environment = try vcc.environment(in: sandbox)
        let plan = ["plan", "--state", "state.json", "--as", Acme.alice, "--refresh", "--out", "plan.json"]
        #expect(try CLI.run(plan, in: sandbox.url, environment: environment).status == 3)
        #expect(try sandbox.read("plan.json").contains("\"refreshed\""))
        try await vcc.portal(
            .init(username: "andy@acme.example", name: "Andy Agent", email: "andy@acme.example", role: "Supervisor"))
        let before = try sandbox.snapshot()
        let stale = try CLI.run(["apply", "plan.json"], in: sandbox.url, environment: environment)
        #expect(stale.status == 4, "\(stale.stderr)")
        #expect(stale.stderr.contains("the VCC users changed since it was planned"), "\(stale.stderr)")
        #expect(try sandbox.snapshot() == before)
        // --refresh is the saved plan's to decide.
        let flagged = try CLI.run(["apply", "plan.json", "--refresh"], in: sandbox.url, environment: environment)
        #expect(flagged.status == 1 || flagged.status == 64, "\(flagged.stderr)")
        #expect(flagged.stderr.contains("a saved plan made with 'plan --refresh' refreshes by itself"))

        #expect(try CLI.run(plan, in: sandbox.url, environment: environment).status == 3)
        let applied = try CLI.run(["apply", "plan.json"], in: sandbox.url, environment: environment)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.stdout.contains("8 user records from VCC taken in."), "\(applied.stdout)")
        let state = try sandbox.read("state.json")
        #expect(state.contains("\"supervisor\""))
        #expect(state.contains("andy@acme.example"))
    }

    @Test func theManifestsRegionIsCheckedAgainstTheEnvironments() throws {
        let sandbox = try Sandbox.acme()
        let account = try sandbox.read("manifests/account.yaml")
        try sandbox.write("manifests/account.yaml", account + "  region: mars\n")
        let bad = try CLI.run(["validate", "--manifests", "manifests"], in: sandbox.url)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("manifests/account.yaml:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("settings.region"), "\(bad.stderr)")

        try sandbox.write("manifests/account.yaml", account + "  region: emea\n")
        let before = try sandbox.snapshot()
        let disagreeing = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.alice, "--refresh"], in: sandbox.url,
            environment: ["VCC_CREDS_REGION": "nam", "VCC_CREDS_CLIENT_ID": "x", "VCC_CREDS_CLIENT_SECRET": "y"])
        #expect(disagreeing.status == 1)
        #expect(
            disagreeing.stderr
                == "error: VCC_CREDS_REGION is 'nam' but the manifests' settings.region is 'emea': unset one\n")
        #expect(try sandbox.snapshot() == before)
    }
}

extension RefreshTests {
    @Test func showOfARefreshedPlanSaysWhatItCouldNotCheck() throws {
        let sandbox = try Sandbox.acme()
        let vcc = try StandIn(in: sandbox, users: Self.acmeInVCC)
        let plan = ["plan", "--state", "state.json", "--as", Acme.alice, "--refresh", "--out", "plan.json"]
        #expect(try CLI.run(plan, in: sandbox.url, environment: try vcc.environment(in: sandbox)).status == 3)
        let shown = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Refreshed from VCC: 8 users read, 1 difference"))
        #expect(
            shown.stderr
                == "plan.json: warning: checked against the state and manifests only: the plan was made with "
                + "--refresh, and apply checks it against VCC's users\n")
        // Its bindings are still checked offline.
        try sandbox.write("state.json", try sandbox.read("state.json") + " ")
        let stale = try CLI.run(["show", "plan.json"], in: sandbox.url)
        #expect(stale.stderr.contains("stale plan: the state file contents changed"), "\(stale.stderr)")
    }
}
