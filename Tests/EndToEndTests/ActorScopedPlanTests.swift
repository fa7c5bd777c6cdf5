import Foundation
import Testing

/// Plans decided for the acting user show nothing it may not see, give advice that holds,
/// and never let it act beyond the rights it keeps. The account (Fixtures/scoped): alice
/// and bob are admins, sam and sofia supervisors, ana an agent who still holds a legacy
/// credential; sofia owns `qa-secret-project`, alice `crm-sync`, and there is one
/// account-level credential. Every row is planned through the real binary in text,
/// JSON and Markdown, and no row planned by a non-admin may show a name or client ID
/// of the four credentials sam cannot see.
@Suite struct ActorScopedPlanTests {
    static let sofiaSecret = "22222222-2222-4222-8222-222222222222"
    /// What sam may never be shown: the names and client IDs of the credentials he
    /// cannot see.
    static let hiddenFromSam = [
        "qa-secret-project", sofiaSecret, "crm-sync", "33333333-3333-4333-8333-333333333333", "legacy-wallboard",
        "44444444-4444-4444-8444-444444444444", "ana-old", "55555555-5555-4555-8555-555555555555",
    ]
    static let admins = ["alice@t", "bob@t"]

    /// One plan in the three formats a reviewer reads it in.
    struct Outputs {
        var status: Int32
        var text: String
        var markdown: String
        var json: [String: Any]
        var jsonText: String
        var stderr: String

        var all: String { text + markdown + jsonText + stderr }

        var changes: [[String: Any]] { json["changes"] as? [[String: Any]] ?? [] }

        func change(_ id: String) -> [String: Any]? { changes.first { $0["id"] as? String == id } }

        var hidden: [String: Int] { json["hidden"] as? [String: Int] ?? [:] }
    }

    /// A manifests change of one row: the two fixture files, edited.
    struct Manifests {
        var users: String
        var credentials: String
    }

    static func plan(_ edit: (inout Manifests) -> Void, as actor: String) throws -> Outputs {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("scoped")
        var manifests = Manifests(
            users: try sandbox.read("manifests/account.yaml"),
            credentials: try sandbox.read("manifests/credentials.yaml"))
        edit(&manifests)
        try sandbox.write("manifests/account.yaml", manifests.users)
        try sandbox.write("manifests/credentials.yaml", manifests.credentials)
        var runs: [String: CLI.Result] = [:]
        for format in ["text", "markdown", "json"] {
            runs[format] = try CLI.run(
                ["plan", "--state", "state.json", "--as", actor, "--format", format], in: sandbox.url)
        }
        let statuses = Set(runs.values.map(\.status))
        #expect(statuses.count == 1, "the formats exit differently: \(statuses)")
        let jsonText = runs["json"]!.stdout
        let json = (try? JSONSerialization.jsonObject(with: Data(jsonText.utf8))) as? [String: Any] ?? [:]
        return Outputs(
            status: runs["json"]!.status, text: runs["text"]!.stdout, markdown: runs["markdown"]!.stdout, json: json,
            jsonText: jsonText, stderr: runs.values.map(\.stderr).joined())
    }

    static func expectNothingHidden(_ outputs: Outputs, sourceLocation: SourceLocation = #_sourceLocation) {
        for identifier in hiddenFromSam {
            #expect(!outputs.all.contains(identifier), "\(identifier) is shown", sourceLocation: sourceLocation)
        }
    }

    static func expectRefused(
        _ outputs: Outputs, _ id: String, _ rule: String, appliableBy: [String], reason: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let change = outputs.change(id)
        #expect(change?["decision"] as? String == "refused", "\(id) is not refused", sourceLocation: sourceLocation)
        #expect(change?["rule"] as? String == rule, "\(id)", sourceLocation: sourceLocation)
        #expect(change?["appliableBy"] as? [String] == appliableBy, "\(id)", sourceLocation: sourceLocation)
        if let reason { #expect(change?["reason"] as? String == reason, sourceLocation: sourceLocation) }
        let sentence =
            appliableBy.isEmpty ? "nobody can apply this" : "can be applied by \(appliableBy.joined(separator: ", "))"
        #expect(outputs.text.contains("refused by \(rule)"), sourceLocation: sourceLocation)
        #expect(outputs.text.contains(sentence), "text: \(outputs.text)", sourceLocation: sourceLocation)
        #expect(outputs.markdown.contains("`\(rule)`"), "markdown: \(outputs.markdown)", sourceLocation: sourceLocation)
    }

    // MARK: 1. a supervisor deleting or relicensing a user learns nothing of its credentials

    @Test(arguments: [
        ("a deletion", "  - {id: sofia@t, ensure: absent}", "only an admin may delete users"),
        ("a downgrade", "  - {id: sofia@t, name: Sofia Supervisor, license: agent}", "only an admin may edit users"),
    ])
    func aSupervisorChangingAUserIsRefusedAdminOnly(_ what: String, _ entry: String, _ reason: String) throws {
        // The manifests leave sofia's credential out (a deleted user cannot keep one).
        let outputs = try Self.plan(
            {
                $0.users = $0.users.replacingOccurrences(
                    of: "  - {id: sofia@t, name: Sofia Supervisor, license: supervisor}", with: entry)
                $0.credentials = $0.credentials.replacingOccurrences(
                    of: "  - {name: qa-secret-project, owner: sofia@t, scopes: [interaction-content:read]}\n", with: "")
            }, as: "sam@t")
        #expect(outputs.status == 3, "\(what): \(outputs.stderr)")
        Self.expectRefused(outputs, "user:sofia@t", "admin-only", appliableBy: Self.admins, reason: reason)
        Self.expectNothingHidden(outputs)
    }

    @Test func pruneWithAUserLeftOutLeaksNothing() throws {
        let outputs = try Self.plan(
            {
                $0.users =
                    $0.users.replacingOccurrences(
                        of: "  - {id: sofia@t, name: Sofia Supervisor, license: supervisor}\n", with: "")
                    + "settings: {prune: true}\n"
                $0.credentials = $0.credentials.replacingOccurrences(
                    of: "  - {name: qa-secret-project, owner: sofia@t, scopes: [interaction-content:read]}\n", with: "")
            }, as: "sam@t")
        #expect(outputs.status == 3)
        Self.expectRefused(outputs, "user:sofia@t", "admin-only", appliableBy: Self.admins)
        Self.expectNothingHidden(outputs)
    }

    // MARK: 2. the advice holds

    /// The manifests delete sofia and her credential: alice's plan is clean; sam's says
    /// the admins can apply it (his own plan cannot see the credential's deletion).
    @Test func aUserDeletionTheManifestsPrepareIsForTheAdmins() throws {
        let edit: (inout Manifests) -> Void = {
            $0.users = $0.users.replacingOccurrences(
                of: "  - {id: sofia@t, name: Sofia Supervisor, license: supervisor}",
                with: "  - {id: sofia@t, ensure: absent}")
            $0.credentials = $0.credentials.replacingOccurrences(
                of: "  - {name: qa-secret-project, owner: sofia@t, scopes: [interaction-content:read]}",
                with: "  - {name: qa-secret-project, owner: sofia@t, ensure: absent}")
        }
        let alice = try Self.plan(edit, as: "alice@t")
        #expect(alice.status == 0, "\(alice.stderr)")
        #expect(alice.changes.map { $0["id"] as? String } == ["credential:\(Self.sofiaSecret)", "user:sofia@t"])
        #expect(alice.changes.allSatisfy { $0["decision"] as? String == "permitted" })

        let sam = try Self.plan(edit, as: "sam@t")
        #expect(sam.changes.map { $0["id"] as? String } == ["user:sofia@t"])
        Self.expectRefused(sam, "user:sofia@t", "admin-only", appliableBy: Self.admins)
        #expect(!sam.all.contains("fix the manifests") && !sam.all.contains("delete them in the manifests"))
        Self.expectNothingHidden(sam)
    }

    // MARK: 3. no existence oracle

    /// An entry for a credential of sofia's gives sam the same plan whether it exists or
    /// not: out of his run, counted among the entries he cannot see.
    @Test func anEntryForAnotherOwnersCredentialTellsNothingOfItsExistence() throws {
        let named = { (name: String) -> (inout Manifests) -> Void in
            {
                $0.credentials = $0.credentials.replacingOccurrences(
                    of: "  - {name: qa-secret-project, owner: sofia@t, scopes: [interaction-content:read]}",
                    with: "  - {name: \(name), owner: sofia@t, scopes: [users:read]}")
            }
        }
        let existing = try Self.plan(named("qa-secret-project"), as: "sam@t")
        let missing = try Self.plan(named("guess"), as: "sam@t")
        #expect(existing.text == missing.text)
        #expect((existing.json["changes"] as? NSArray) == (missing.json["changes"] as? NSArray))
        #expect(existing.hidden == missing.hidden)
        #expect(existing.hidden["entries"] == 4, "\(existing.hidden)")
        #expect(existing.status == 0 && missing.status == 0)
        Self.expectNothingHidden(existing)
    }

    /// A `clientId` pin to a credential sam cannot see is the same as a pin to none: in
    /// his own entry an error that does not say which; in someone else's, out of the run.
    @Test func aPinToAHiddenCredentialIsAPinToNone() throws {
        let unknown = "99999999-9999-4999-8999-999999999999"
        let pinned = { (clientId: String, owner: String) -> (inout Manifests) -> Void in
            { $0.credentials += "  - {name: my-copy, owner: \(owner), clientId: \(clientId), scopes: [users:read]}\n" }
        }
        let hidden = try Self.plan(pinned(Self.sofiaSecret, "sam@t"), as: "sam@t")
        let none = try Self.plan(pinned(unknown, "sam@t"), as: "sam@t")
        #expect(hidden.status == 1 && none.status == 1)
        #expect(hidden.stderr.replacingOccurrences(of: Self.sofiaSecret, with: unknown) == none.stderr)
        #expect(
            none.stderr.contains("is not in state.json; remove clientId to create a new credential"), "\(none.stderr)")

        for owner in ["sofia@t", "alice@t"] {
            let theirs = try Self.plan(pinned(Self.sofiaSecret, owner), as: "sam@t")
            let theirsUnknown = try Self.plan(pinned(unknown, owner), as: "sam@t")
            #expect(theirs.status == 0, "\(owner): \(theirs.stderr)")
            #expect(theirs.text == theirsUnknown.text && theirs.hidden == theirsUnknown.hidden, "\(owner)")
            #expect(theirs.changes.isEmpty, "\(owner): a phantom change \(theirs.changes)")
            Self.expectNothingHidden(theirs)
        }
    }

    // MARK: 4. no self-lockout

    /// alice's own deletion (with her credential) or demotion (with her credential
    /// narrowed to fit) is refused in her plan and left to bob; the rest of her plan is
    /// decided by the rights she keeps, an admin's.
    @Test(arguments: [
        (
            "delete", "  - {id: alice@t, ensure: absent}", "  - {name: crm-sync, owner: alice@t, ensure: absent}",
            "a run may not delete the user it acts as"
        ),
        (
            "demote", "  - {id: alice@t, name: Alice Admin, license: supervisor}",
            "  - {name: crm-sync, owner: alice@t, scopes: [users:read]}",
            "a run may not demote the user it acts as (an admin to a supervisor)"
        ),
    ])
    func anAdminCannotDeleteOrDemoteItself(_ what: String, _ user: String, _ credential: String, _ reason: String)
        throws
    {
        let edit: (inout Manifests) -> Void = {
            $0.users =
                $0.users.replacingOccurrences(of: "  - {id: alice@t, name: Alice Admin, license: admin}", with: user)
                + "  - {id: nia@t, name: Nia New, license: agent}\n"
            $0.credentials = $0.credentials.replacingOccurrences(
                of: "  - {name: crm-sync, owner: alice@t, scopes: [users:read, users:write]}", with: credential)
        }
        let alice = try Self.plan(edit, as: "alice@t")
        #expect(alice.status == 3, "\(what): \(alice.stderr)")
        Self.expectRefused(alice, "user:alice@t", "actor-self-change", appliableBy: ["bob@t"], reason: reason)
        #expect(alice.change("user:nia@t")?["decision"] as? String == "permitted")
        #expect(alice.change("credential:33333333-3333-4333-8333-333333333333")?["decision"] as? String == "permitted")
        if what == "delete" {
            let bob = try Self.plan(edit, as: "bob@t")
            #expect(bob.status == 0, "bob may delete alice: \(bob.text)")
        }
    }

    // MARK: 5. the delete guard counts what would happen

    @Test func theDeleteGuardCountsOnlyDeletionsThatWouldHappen() throws {
        let edit: (inout Manifests) -> Void = {
            $0.users =
                $0.users.replacingOccurrences(
                    of: "  - {id: ana@t, name: Ana Agent, license: agent}", with: "  - {id: ana@t, ensure: absent}")
                + "settings: {maxDeletes: 1}\n"
            $0.credentials = $0.credentials.replacingOccurrences(
                of: "  - {name: team-report, owner: sam@t, scopes: [users:read]}",
                with: "  - {name: team-report, owner: sam@t, ensure: absent}"
            )
            .replacingOccurrences(of: "  - {name: ana-old, owner: ana@t, scopes: [users:read]}\n", with: "")
        }
        let sam = try Self.plan(edit, as: "sam@t")
        #expect(sam.change("credential:11111111-1111-4111-8111-111111111111")?["decision"] as? String == "permitted")
        // An admin applying these manifests, as far as sam can tell, would delete both
        // team-report and ana: two, over the limit of one. Nobody, then.
        Self.expectRefused(sam, "user:ana@t", "admin-only", appliableBy: [])
        // Which is what "nobody" explains: the admins meet the guard, counted on sam's
        // view like appliableBy (what ana may still hold is no part of it, nor shown).
        let guarded = "the plan would delete 2, more than settings.maxDeletes (1); raise it or delete in smaller steps"
        #expect(
            sam.change("user:ana@t")?["alsoRefused"] as? [[String: String]]
                == Self.admins.map { ["user": $0, "rule": "delete-guard", "reason": guarded] })
        #expect(
            sam.text.contains(
                "nobody can apply this: the admins, alice@t and bob@t, are refused as well by delete-guard "
                    + "(\(guarded)); fix the manifests"
            ))
        Self.expectNothingHidden(sam)
        // Two deletions that would both happen, over a limit of one: both refused.
        let alice = try Self.plan(
            {
                edit(&$0)
                $0.credentials += "  - {name: ana-old, owner: ana@t, ensure: absent}\n"
            }, as: "alice@t")
        #expect(alice.changes.filter { $0["rule"] as? String == "delete-guard" }.count == 3, "\(alice.text)")
    }

    /// Advice counts the deletions the one advised would make: with maxDeletes 0, sam's
    /// refused deletion of bob is not "for alice", whose own plan refuses it too.
    @Test func adviceOnADeletionCountsWhatTheAdvisedWouldDelete() throws {
        let edit: (inout Manifests) -> Void = {
            $0.users =
                $0.users.replacingOccurrences(
                    of: "  - {id: bob@t, name: Bob Admin, license: admin}", with: "  - {id: bob@t, ensure: absent}")
                + "settings: {maxDeletes: 0}\n"
        }
        let sam = try Self.plan(edit, as: "sam@t")
        Self.expectRefused(sam, "user:bob@t", "admin-only", appliableBy: [])
        let alice = try Self.plan(edit, as: "alice@t")
        Self.expectRefused(alice, "user:bob@t", "delete-guard", appliableBy: [])
        // With room for it, the same deletion is for alice, as her own plan permits it.
        let roomy: (inout Manifests) -> Void = {
            edit(&$0)
            $0.users = $0.users.replacingOccurrences(of: "maxDeletes: 0", with: "maxDeletes: 1")
        }
        Self.expectRefused(try Self.plan(roomy, as: "sam@t"), "user:bob@t", "admin-only", appliableBy: ["alice@t"])
        #expect(try Self.plan(roomy, as: "alice@t").change("user:bob@t")?["decision"] as? String == "permitted")
    }

    // MARK: 6. wording

    @Test func theHiddenCountSaysWhatIsTrue() throws {
        let sam = try Self.plan({ _ in }, as: "sam@t")
        let line =
            "Hidden: 4 credentials are not visible to sam@t, and 4 manifest entries name credentials it cannot see; "
            + "they are left out of the plan."
        #expect(sam.text.contains(line), "\(sam.text)")
        #expect(sam.markdown.contains("_\(line)_"), "\(sam.markdown)")
        #expect(sam.hidden == ["credentials": 4, "entries": 4])
        let stranding = try Self.plan(
            {
                $0.users = $0.users.replacingOccurrences(
                    of: "  - {id: sam@t, name: Sam Supervisor, license: supervisor}",
                    with: "  - {id: sam@t, name: Sam Supervisor, license: agent}")
            },
            as: "alice@t")
        #expect(stranding.text.contains("an agent licence may not hold team-report"), "\(stranding.text)")
    }
}
