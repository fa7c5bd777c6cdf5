import Foundation
import Testing

/// The portal executor end to end, with the real binary and the real `age`: apply hands
/// the changes to the portal, `record` brings back what the portal showed, plans know
/// what is under way; `import`, `export` and `forget` adopt and correct the record.
@Suite struct PortalExecutorTests {
    static let alice = "alice@acme.example"
    static let teamDashboard = "36f675cc-81e7-4ef5-a8e2-5d940ed90475"
    static let oldReport = "6b0d549b-6f03-475a-9600-a35a099950d8"
    static let portalSecret = "Pq7-portal.Secret_2026"

    /// The acme example, with its state turned into a portal account's.
    static func portalSandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("manifests")
        )
        let example = try String(
            contentsOf: Repository.root.appendingPathComponent("examples/acme/state.json"), encoding: .utf8)
        try sandbox.write(
            "state.json",
            example.replacingOccurrences(of: "\"formatVersion\": 1,", with: "\"formatVersion\": 2,")
                .replacingOccurrences(
                    of: "\"apiCredentialsEnabled\": true,",
                    with: "\"apiCredentialsEnabled\": true,\n    \"executor\": \"portal\","))
        return sandbox
    }

    static func state(_ sandbox: Sandbox) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: sandbox.url.appendingPathComponent("state.json")))
                as? [String: Any])
    }

    static func pendingIds(_ sandbox: Sandbox) throws -> [String] {
        ((try state(sandbox)["pending"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    static func credential(_ clientId: String, in sandbox: Sandbox) throws -> [String: Any]? {
        ((try state(sandbox)["credentials"] as? [[String: Any]]) ?? []).first { $0["clientId"] as? String == clientId }
    }

    @Test func initWritesThePortalExecutor() throws {
        let sandbox = try Sandbox()
        let made = try CLI.run(
            ["init", "--state", "s.json", "--account", "acme", "--executor", "portal", "--admin", Self.alice],
            in: sandbox.url)
        #expect(made.status == 0)
        #expect(made.stderr.contains("executor portal"))
        let text = try sandbox.read("s.json")
        #expect(text.contains("\"executor\": \"portal\""))
        #expect(text.contains("\"formatVersion\": 2"))
        #expect(text.contains("\"pending\": []"))
        let local = try CLI.run(["init", "--state", "l.json", "--account", "acme"], in: sandbox.url)
        #expect(local.status == 0)
        // A local state needs nothing of format 2: an older vcc-creds still reads it.
        #expect(try sandbox.read("l.json").contains("\"formatVersion\": 1"))
        #expect(!(try sandbox.read("l.json")).contains("executor"))
        let bad = try CLI.run(["init", "--state", "b.json", "--account", "acme", "--executor", "api"], in: sandbox.url)
        #expect(bad.status == 1)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("b.json")))
    }

    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func theWholeRoundTrip() throws {
        let sandbox = try Self.portalSandbox()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let before = try Self.state(sandbox)

        // apply: nothing minted, every permitted change an open step, in the runbook.
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 3, "one change is refused: \(applied.stderr)")
        #expect(
            applied.stdout.contains(
                "Handed to the portal: 4 steps to do in the Admin Portal, nothing minted, 1 refused."))
        #expect(applied.stdout.contains("State serial 8 committed with the open steps."))
        #expect(
            !FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-8.age")),
            "a portal apply sealed something")
        let runbook = try sandbox.read("secrets/acme-8.runbook.md")
        #expect(applied.stdout.contains(runbook), "the runbook is printed too")
        for words in [
            "## As `alice@acme.example`", "## As `sam@acme.example`",
            "Log in to Vonage Contact Center as `sam@acme.example`.",
            "Go to **API Credentials** (within **Account Settings**). If applicable, go to the **Users** tab.",
            "Click **Create New**.", "In **Name**, type `quality-export`.",
            "   - Read or download interaction content (`interaction-content:read`)",
            "Click to open the API credentials `team-dashboard`", "Click **Save API credential**.",
            "Click the trash can icon at the right of `old-report`", "click **Delete API credentials**",
            "In **User Admin**, create the user `andy@acme.example`",
            "`vcc-creds record --state state.json credential:sam@acme.example/quality-export --client-id CLIENT-ID`",
        ] {
            #expect(runbook.contains(words), "the runbook lacks: \(words)")
        }
        let runbookJSON = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: sandbox.url.appendingPathComponent("secrets/acme-8.runbook.json")))
                as? [String: Any])
        #expect((runbookJSON["steps"] as? [Any])?.count == 4)
        let after = try Self.state(sandbox)
        #expect(after["serial"] as? Int == 8)
        #expect(
            (after["credentials"] as? NSArray)?.isEqual(to: before["credentials"] as? [Any] ?? []) == true,
            "credentials changed")
        let steps = try #require(after["pending"] as? [[String: Any]])
        #expect(
            steps.map { $0["id"] as? String } == [
                "user:andy@acme.example", "credential:sam@acme.example/quality-export",
                "credential:\(Self.teamDashboard)",
                "credential:\(Self.oldReport)",
            ])
        #expect(steps.map { $0["by"] as? String } == [Self.alice, Acme.sam, Acme.sam, Acme.sam])
        for step in steps {
            #expect(step["plannedAt"] is String)
            #expect((step["planDigest"] as? String)?.count == 64)
        }
        let audit = try sandbox.read("state.json.audit.jsonl")
        #expect(audit.components(separatedBy: "\"event\":\"pending\"").count - 1 == 4)

        // The next plan shows them first and plans nothing new for them.
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam], in: sandbox.url)
        #expect(plan.stdout.contains("Awaiting the portal: 4 steps, planned just now"))
        #expect(plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 refused."))
        let json = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", "json"], in: sandbox.url)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["awaiting"] as? [[String: Any]])?.count == 4)
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", "markdown"], in: sandbox.url)
        #expect(markdown.stdout.contains("**Awaiting the portal: 4 steps, planned just now**"))
        // Applying again hands nothing over twice.
        let again = try CLI.run(
            ["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        #expect(again.stdout.contains("Nothing to apply."))
        #expect(try Self.state(sandbox)["serial"] as? Int == 8)

        // record the create: the secret from stdin, sealed, its digest in the state.
        let clientId = "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
        let recorded = try CLI.run(
            [
                "record", "--state", "state.json", "credential:sam@acme.example/quality-export", "--client-id",
                clientId.uppercased(), "--recipient", recipient, "--no-verify",
            ],
            in: sandbox.url, stdin: Self.portalSecret + "\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("sealed in secrets/acme-9.age"))
        #expect(!recorded.stdout.contains(Self.portalSecret) && !recorded.stderr.contains(Self.portalSecret))
        let opened = try PeerTools.run(
            try #require(PeerTools.age), ["-d", "-i", "key.txt", "secrets/acme-9.age"], in: sandbox.url)
        #expect(opened.status == 0)
        let payload = try #require(try JSONSerialization.jsonObject(with: opened.stdout) as? [String: Any])
        let sealed = try #require((payload["credentials"] as? [[String: Any]])?.first)
        #expect((payload["credentials"] as? [Any])?.count == 1)
        #expect(sealed["clientSecret"] as? String == Self.portalSecret)
        #expect(sealed["clientId"] as? String == clientId)
        let credential = try #require(try Self.credential(clientId, in: sandbox))
        #expect(credential["name"] as? String == "quality-export")
        #expect(credential["createdBy"] as? String == Acme.sam)
        #expect((credential["secretSha256"] as? String)?.count == 64)
        let stateText = try sandbox.read("state.json")
        #expect(!stateText.contains(Self.portalSecret))
        let verified = try CLI.run(
            ["verify", "--state", "state.json", "--client-id", clientId], in: sandbox.url, stdin: Self.portalSecret)
        #expect(verified.status == 0)
        let wrong = try CLI.run(
            ["verify", "--state", "state.json", "--client-id", clientId], in: sandbox.url, stdin: "other-secret")
        #expect(wrong.status == 1)

        // --done closes an edit and a user step; --abandon drops the delete.
        #expect(
            try CLI.run(["record", "--state", "state.json", "user:andy@acme.example", "--done"], in: sandbox.url).status
                == 0)
        #expect(
            try CLI.run(
                ["record", "--state", "state.json", "credential:\(Self.teamDashboard)", "--done"], in: sandbox.url
            ).status == 0)
        let edited = try #require(try Self.credential(Self.teamDashboard, in: sandbox))
        #expect(edited["scopes"] as? [String] == ["interaction-content:read", "users:read"])
        let abandoned = try CLI.run(
            [
                "record", "--state", "state.json", "credential:\(Self.oldReport)", "--abandon", "--reason",
                "still used by finance",
            ],
            in: sandbox.url)
        #expect(abandoned.status == 0)
        #expect(try Self.credential(Self.oldReport, in: sandbox) != nil, "an abandoned delete deleted")
        #expect(try Self.pendingIds(sandbox).isEmpty)
        let pending = try CLI.run(["pending", "--state", "state.json"], in: sandbox.url)
        #expect(pending.stdout == "No open portal steps.\n")
        let log = try sandbox.read("state.json.audit.jsonl")
        #expect(log.contains("\"event\":\"recorded\"") && log.contains("\"event\":\"abandoned\""))
        #expect(log.contains("\"reason\":\"still used by finance\""))
        #expect(!log.contains(Self.portalSecret))

        // Now only the abandoned delete is planned again: it was not done.
        let last = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam], in: sandbox.url)
        #expect(last.stdout.contains("Plan: 0 to create, 0 to update, 1 to delete, 1 refused."), "\(last.stdout)")
        #expect(!last.stdout.contains("Awaiting the portal"))
    }

    @Test func aChangeToATargetWithAnOpenStepIsRefused() throws {
        let sandbox = try Self.portalSandbox()
        _ = try CLI.run(["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        #expect(try Self.pendingIds(sandbox).contains("credential:\(Self.teamDashboard)"))
        // The manifests change their mind about the edit before it is recorded.
        let file = "manifests/credentials/supervisors.yaml"
        try sandbox.write(
            file,
            try sandbox.read(file).replacingOccurrences(
                of: "scopes: [users:read, interaction-content:read]", with: "scopes: [interaction-content:read]"))
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", "json"], in: sandbox.url)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let change = try #require(
            (document["changes"] as? [[String: Any]])?.first {
                $0["id"] as? String == "credential:\(Self.teamDashboard)"
            })
        #expect(change["decision"] as? String == "refused")
        #expect(change["rule"] as? String == "pending-portal-step")
        #expect(change["appliableBy"] as? [String] == [])
    }

    /// The runbook and a plan with open steps, as reviewed: golden files.
    @Test func theRunbookAndAPlanAwaitingThePortalMatchTheirGoldenFiles() throws {
        let sandbox = try Self.portalSandbox()
        _ = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        let runbook = try CLI.run(["pending", "--state", "state.json", "--format", "markdown"], in: sandbox.url)
        #expect(runbook.status == 0)
        #expect(runbook.stdout == (try sandbox.read("secrets/acme-8.runbook.md")))
        try Golden.check(runbook.stdout, "portal-runbook.md")
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam], in: sandbox.url)
        try Golden.check(plan.stdout, "portal-awaiting.txt")
    }

    @Test func importCannotAdoptWhatAnOpenStepCreates() throws {
        let sandbox = try Self.portalSandbox()
        _ = try CLI.run(["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        try sandbox.write(
            "l.csv",
            "name,clientId,owner,level,scopes\n"
                + "quality-export,0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5,\(Acme.sam),user,users:read\n"
        )
        let before = try sandbox.snapshot()
        let imported = try CLI.run(["import", "--state", "state.json", "--as", Self.alice, "l.csv"], in: sandbox.url)
        #expect(imported.status == 1)
        #expect(
            imported.stderr.contains(
                "l.csv:2:1: error: the open portal step 'credential:sam@acme.example/quality-export' creates this "
                    + "credential"
            ))
        #expect(try sandbox.snapshot() == before)
    }

    @Test func theRunbookNamesTheManifestsItWasAppliedFrom() throws {
        let sandbox = try Self.portalSandbox()
        try FileManager.default.moveItem(
            at: sandbox.url.appendingPathComponent("manifests"), to: sandbox.url.appendingPathComponent("mf"))
        _ = try CLI.run(
            ["apply", "--state", "state.json", "--manifests", "mf", "--as", Acme.sam, "--auto-approve"], in: sandbox.url
        )
        let runbook = try sandbox.read("secrets/acme-8.runbook.md")
        #expect(
            runbook.contains(
                "`vcc-creds record --state state.json --manifests mf credential:sam@acme.example/quality-export "
                    + "--client-id CLIENT-ID`"
            ))
    }

    @Test func applyJSONReportsTheHandOff() throws {
        let sandbox = try Self.portalSandbox()
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve", "--format", "json"], in: sandbox.url)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
        #expect(result["outcome"] as? String == "handed-to-portal")
        #expect((result["applied"] as? [Any])?.isEmpty == true, "nothing is made yet")
        #expect(
            (result["pending"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                "credential:sam@acme.example/quality-export", "credential:\(Self.teamDashboard)",
                "credential:\(Self.oldReport)",
            ])
        #expect(result["runbook"] as? [String] == ["secrets/acme-8.runbook.md", "secrets/acme-8.runbook.json"])
        #expect(result["sealed"] is NSNull)
        #expect(result["serial"] as? Int == 8)
    }

    @Test func openStepsAreDatedByTheOldest() throws {
        let sandbox = try Self.portalSandbox()
        _ = try CLI.run(["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        // The three steps were planned at the tests' fixed clock; one of them moves 3 days
        // (and a minute) earlier, and the plan runs at that same fixed clock.
        let formatter = ISO8601DateFormatter()
        let clock = try #require(Golden.clock["VCC_CREDS_NOW"])
        let now = try #require(formatter.date(from: clock))
        let threeDaysAgo = formatter.string(from: now.addingTimeInterval(-3 * 86_400 - 60))
        let text = try sandbox.read("state.json")
        let planned = try #require(text.range(of: #""plannedAt": "[^"]+""#, options: .regularExpression))
        try sandbox.write(
            "state.json", text.replacingCharacters(in: planned, with: "\"plannedAt\": \"\(threeDaysAgo)\""))
        let plan = try CLI.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox.url)
        #expect(
            plan.stdout.contains("Awaiting the portal: 3 steps, planned 3 days ago"), "\(plan.stdout)\(plan.stderr)")
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", "markdown"], in: sandbox.url)
        #expect(markdown.stdout.contains("**Awaiting the portal: 3 steps, planned 3 days ago**"))
    }

    @Test func badInputToRecordWritesNothing() throws {
        let sandbox = try Self.portalSandbox()
        let key = try PeerTools.newKey("key.txt", in: sandbox)
        _ = try CLI.run(["apply", "--state", "state.json", "--as", Acme.sam, "--auto-approve"], in: sandbox.url)
        let create = "credential:sam@acme.example/quality-export"
        let before = try sandbox.snapshot()
        let cases: [(arguments: [String], stdin: String, message: String)] = [
            (["record", create, "--client-id", "not-a-uuid", "--no-verify"], Self.portalSecret, "is not a UUID"),
            (
                ["record", create, "--client-id", Self.teamDashboard, "--no-verify"], Self.portalSecret,
                "is already in the state"
            ),
            (["record", "credential:nobody/nothing", "--done"], "", "no open portal step"),
            (["record", create, "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--no-verify"], "", "is empty"),
            (
                ["record", create, "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--no-verify"], "short",
                "8 to 256"
            ),
            (
                ["record", create, "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--no-verify"],
                "has a space in it",
                "not printable ASCII"
            ),
            (
                ["record", create, "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--no-verify"],
                "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "is the client ID"
            ),
            (
                [
                    "record", create, "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--secret",
                    Self.portalSecret,
                ], "", "--secret"
            ),
            (["record", create, "--done"], "", "record it with --client-id"),
            (
                [
                    "record", "credential:\(Self.oldReport)", "--client-id", "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5",
                    "--no-verify",
                ],
                Self.portalSecret, "record it with --done"
            ),
            (["record", create, "--abandon"], "", "--abandon needs --reason"),
            (["record", create, "--done", "--abandon", "--reason", "x"], "", "exactly one of"),
        ]
        for (arguments, stdin, message) in cases {
            let result = try CLI.run(
                arguments + ["--state", "state.json", "--recipient", key], in: sandbox.url, stdin: stdin)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 2, "\(arguments): \(result.stderr)")
            #expect(
                !result.stderr.contains(Self.portalSecret) || arguments.contains("--secret"), "the secret was echoed")
            #expect(try sandbox.snapshot() == before, "\(arguments) wrote something")
        }
        // A closed step cannot be recorded twice.
        #expect(
            try CLI.run(["record", "--state", "state.json", "credential:\(Self.oldReport)", "--done"], in: sandbox.url)
                .status == 0)
        let closed = try sandbox.snapshot()
        let twice = try CLI.run(
            ["record", "--state", "state.json", "credential:\(Self.oldReport)", "--done"], in: sandbox.url)
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("no open portal step"))
        #expect(try sandbox.snapshot() == closed)
    }

    @Test func aStepWaitsForTheStepsItNeeds() throws {
        let sandbox = try Self.portalSandbox()
        // Sofia leaves: her credential must be deleted before she can be.
        try sandbox.write(
            "manifests/users.yaml",
            try sandbox.read("manifests/users.yaml").replacingOccurrences(
                of: "name: Sofia Lead\n    license: supervisor",
                with: "name: Sofia Lead\n    license: supervisor\n    ensure: absent"))
        let file = "manifests/credentials/supervisors.yaml"
        try sandbox.write(
            file,
            try sandbox.read(file).replacingOccurrences(
                of: "owner: sofia@acme.example\n    scopes: [interaction-content:read]",
                with: "owner: sofia@acme.example\n    ensure: absent"))
        let qa = "credential:8d116ece-1738-47d9-bd9c-172411e20b8f"
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--auto-approve"], in: sandbox.url)
        #expect(try Self.pendingIds(sandbox).contains("user:sofia@acme.example"), "\(applied.stdout)")
        let runbook = try sandbox.read("secrets/acme-8.runbook.md")
        #expect(runbook.contains("In **User Admin**, delete the user `sofia@acme.example`."))
        #expect(runbook.contains("Only after step"))
        // Sam, a supervisor, sees the user step but not Sofia's credential's, in any format.
        for format in ["text", "json", "markdown"] {
            let seen = try CLI.run(
                ["plan", "--state", "state.json", "--as", "sam@acme.example", "--format", format], in: sandbox.url)
            #expect(seen.stdout.contains("sofia@acme.example"), "\(format)")
            #expect(
                !seen.stdout.contains("8d116ece") && !seen.stdout.contains("qa-recordings"), "\(format): \(seen.stdout)"
            )
        }
        let early = try CLI.run(
            ["record", "--state", "state.json", "user:sofia@acme.example", "--done"], in: sandbox.url)
        #expect(early.status == 1)
        #expect(early.stderr.contains("needs '\(qa)' recorded first"), "\(early.stderr)")
        #expect(try CLI.run(["record", "--state", "state.json", qa, "--done"], in: sandbox.url).status == 0)
        let now = try CLI.run(
            ["record", "--state", "state.json", "user:sofia@acme.example", "--done"], in: sandbox.url)
        #expect(now.status == 0, "\(now.stderr)")
        let users = try #require(try Self.state(sandbox)["users"] as? [[String: Any]])
        #expect(!users.contains { $0["id"] as? String == "sofia@acme.example" })
    }
}
