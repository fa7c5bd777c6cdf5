import Foundation
import Testing

/// `--as` given more than once: the bundled example planned and applied as an admin and
/// the supervisor together. Sam's own changes are made by Sam, the user create (admin
/// only) by Alice; the state and the audit log record each under its actor.
@Suite struct MultiActorTests {
    static let alice = "alice@acme.example"
    static let recipient = "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s"

    private func changes(_ json: String) throws -> [String: [String: Any]] {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let changes = try #require(plan["changes"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: changes.map { ($0["id"] as! String, $0) })
    }

    @Test func theAdminAndTheSupervisorTogetherPermitBothKindsOfChange() throws {
        let sandbox = try Sandbox.acme()
        let alone = try changes(
            try CLI.run(["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox.url)
                .stdout)
        #expect(alone["credential:sam@acme.example/quality-export"]?["rule"] as? String == "not-owner")

        let run = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--format", "json"], in: sandbox.url
        )
        #expect(run.status == 3, "stats-dashboard is still refused for everyone: \(run.stderr)")
        let together = try changes(run.stdout)
        let create = try #require(together["credential:sam@acme.example/quality-export"])
        #expect(create["decision"] as? String == "permitted")
        #expect(create["by"] as? String == Acme.sam)
        let user = try #require(together["user:andy@acme.example"])
        #expect(user["decision"] as? String == "permitted")
        #expect(user["by"] as? String == Self.alice)
        let refused = try #require(together["credential:sam@acme.example/stats-dashboard"])
        #expect(refused["by"] == nil)
        #expect(refused["rule"] as? String == "scope-not-allowed-for-license")
        #expect(refused["appliableBy"] as? [String] == [])

        let text = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam], in: sandbox.url)
        #expect(
            text.stdout.hasPrefix(
                "vcc-creds plan for account acme as alice@acme.example (admin) and sam@acme.example (supervisor), "
                    + "state serial 7\n"
            ))
        #expect(text.stdout.contains("  + user andy@acme.example (by alice@acme.example)\n"))
        #expect(text.stdout.contains("  + credential sam@acme.example/quality-export (by sam@acme.example)\n"))
        let markdown = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--format", "markdown"],
            in: sandbox.url)
        #expect(
            markdown.stdout.hasPrefix("### vcc-creds plan for `acme` as `alice@acme.example` and `sam@acme.example`: "))
        #expect(markdown.stdout.contains("actors `alice@acme.example` (admin) and `sam@acme.example` (supervisor)"))
    }

    @Test func applyRecordsEachChangeUnderItsActor() throws {
        let sandbox = try Sandbox.acme()
        let run = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--recipient", Self.recipient],
            in: sandbox.url)
        #expect(run.status == 3, "\(run.stderr)")
        let state = try #require(
            try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as? [String: Any])
        let credentials = try #require(state["credentials"] as? [[String: Any]])
        let created = try #require(credentials.first { $0["name"] as? String == "quality-export" })
        #expect(created["createdBy"] as? String == Acme.sam)
        let audit = try sandbox.read("state.json.audit.jsonl").split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let actors = Dictionary(uniqueKeysWithValues: audit.map { ($0["change"] as! String, $0["actor"] as! String) })
        #expect(actors["user:andy@acme.example"] == Self.alice)
        #expect(actors["credential:sam@acme.example/quality-export"] == Acme.sam)
        #expect(actors["credential:6b0d549b-6f03-475a-9600-a35a099950d8"] == Acme.sam, "sam's own deletion is sam's")
        #expect(Set(actors.values) == [Self.alice, Acme.sam])
    }

    /// `VCC_CREDS_AS=a,b` is the same as `--as a --as b`; a flag wins over it.
    @Test func theEnvironmentNamesTheActors() throws {
        let sandbox = try Sandbox.acme()
        let flags = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--format", "json"], in: sandbox.url
        )
        let environment = try CLI.run(
            ["plan", "--state", "state.json", "--format", "json"], in: sandbox.url,
            environment: ["VCC_CREDS_AS": "\(Self.alice),\(Acme.sam)"])
        #expect(environment.status == flags.status)
        #expect(environment.stdout == flags.stdout)
        let flagWins = try CLI.run(
            ["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox.url,
            environment: ["VCC_CREDS_AS": Self.alice])
        #expect(flagWins.stdout.hasPrefix("vcc-creds plan for account acme as sam@acme.example (supervisor),"))
        let nobody = try CLI.run(["plan", "--state", "state.json"], in: sandbox.url, environment: ["VCC_CREDS_AS": ""])
        #expect(nobody.status == 1)
        #expect(nobody.stderr == "error: --as: no user to act as; give --as USER (repeatable) or set VCC_CREDS_AS\n")
    }

    /// A saved plan is bound to its actors, in order (the order decides who makes a
    /// change); `apply PLANFILE` without `--as` acts as them.
    @Test func aSavedPlanBindsTheActorSet() throws {
        let sandbox = try Sandbox.acme()
        let saved = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--as", Acme.sam, "--out", "plan.json"],
            in: sandbox.url)
        #expect(saved.status == 3)
        let before = try sandbox.snapshot()
        for other in [[Self.alice], [Acme.sam, Self.alice]] {
            let run = try CLI.run(
                ["apply", "plan.json", "--recipient", Self.recipient] + other.flatMap { ["--as", $0] }, in: sandbox.url)
            #expect(run.status == 4)
            #expect(run.stderr.contains("the acting users changed since it was planned"), "\(run.stderr)")
            #expect(try sandbox.snapshot() == before)
        }
        let run = try CLI.run(["apply", "plan.json", "--recipient", Self.recipient], in: sandbox.url)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.contains("State serial 8 committed."))
    }

    /// The pull-request loop: the logins that approved a merge name the users its apply
    /// acts as, so Sam's credential is applied once Sam approved.
    @Test func approvalsNameTheActors() throws {
        let sandbox = try Sandbox.acme()
        let actors = try CLI.run(["actors", "--approved-by", "sam-supervisor,someone-else"], in: sandbox.url)
        #expect(actors.status == 0)
        #expect(actors.stdout == "sam@acme.example\n")
        #expect(
            actors.stderr
                == "warning: --approved-by someone-else: no user in manifests declares this login; it approves "
                + "nothing\n"
        )
        let none = try CLI.run(["actors", "--approved-by", "someone-else"], in: sandbox.url)
        #expect(none.status == 0)
        #expect(none.stdout == "\n")

        let environment = ["VCC_CREDS_AS": "\(Self.alice),\(actors.stdout.dropLast())"]
        let plan = try changes(
            try CLI.run(
                ["plan", "--state", "state.json", "--format", "json"], in: sandbox.url, environment: environment
            )
            .stdout)
        #expect(plan["credential:sam@acme.example/quality-export"]?["by"] as? String == Acme.sam)
        let unapproved = try changes(
            try CLI.run(
                ["plan", "--state", "state.json", "--format", "json"], in: sandbox.url,
                environment: ["VCC_CREDS_AS": "\(Self.alice),\(none.stdout.dropLast())"]
            ).stdout)
        #expect(unapproved["credential:sam@acme.example/quality-export"]?["rule"] as? String == "not-owner")
    }
}
