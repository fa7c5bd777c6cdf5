import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `vcc-creds apply` run as a user runs it, in a sandbox, with the real `age` CLI
/// opening what it sealed.
///
/// Fixtures: the repository's example account (`manifests/` + `examples/acme/state.json`,
/// serial 7) and `Fixtures/applyable` (serial 4): its manifests are split so a test can
/// drop files to get an all-permitted plan:
///   user-changes.yaml        + user carl, - user old          (admin only)
///   credentials/alice.yaml   alice: 2 creates, 1 update, 1 delete; account-level update
///   credentials/sam.yaml     sam: 1 create, 1 update, 1 delete
///   credentials/refused.yaml sam/stats-board [stats]          (refused for everyone)
@Suite struct ApplyCommandTests {
    static let alice = "alice@acme.example"

    // MARK: 1. the happy paths

    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func aSupervisorAppliesTheExample() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let oldBytes = try sandbox.data("state.json")
        let old = try sandbox.json("state.json")
        let plan = try CLI.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox.url)

        let result = try apply(["--recipient", recipient], as: Acme.sam, in: sandbox)
        #expect(result.status == 3)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix(plan.stdout), "apply does not show the plan first")
        #expect(result.stdout.contains("Plan: 1 to create, 1 to update, 1 to delete, 2 refused."))
        #expect(result.stdout.contains("Apply complete! 1 created, 1 updated, 1 deleted, 2 refused."))
        #expect(result.stdout.contains("State serial 8 committed."))
        #expect(result.stdout.contains("1 new secret sealed in secrets/acme-8.age"))

        // The state: serial + 1, one created, one updated, one deleted, the rest as it was.
        let new = try sandbox.json("state.json")
        #expect(new["serial"] as? Int == 8)
        #expect(new["lineage"] as? String == old["lineage"] as? String)
        #expect((new["users"] as? NSArray)?.isEqual(to: old["users"] as? [Any] ?? []) == true, "users changed")
        let before = credentials(old)
        let after = credentials(new)
        let createdIds = Set(after.keys).subtracting(before.keys)
        #expect(Set(before.keys).subtracting(after.keys) == ["6b0d549b-6f03-475a-9600-a35a099950d8"])
        #expect(createdIds.count == 1)
        let clientId = try #require(createdIds.first)
        expectLowercaseUUID(clientId)
        let created = try #require(after[clientId])
        #expect(created["name"] as? String == "quality-export")
        #expect(created["owner"] as? String == Acme.sam)
        #expect(created["level"] as? String == "user")
        #expect(created["scopes"] as? [String] == ["interaction-content:read"])
        #expect(created["createdBy"] as? String == Acme.sam)
        let now = try #require(created["createdAt"] as? String)
        #expect(now.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        #expect(created["updatedAt"] as? String == now)
        let updated = try #require(after["36f675cc-81e7-4ef5-a8e2-5d940ed90475"])
        let wasUpdated = try #require(before["36f675cc-81e7-4ef5-a8e2-5d940ed90475"])
        #expect(updated["scopes"] as? [String] == ["interaction-content:read", "users:read"])
        #expect(updated["updatedAt"] as? String == now)
        for unchanged in ["createdAt", "createdBy", "secretSha256", "name", "owner", "level"] {
            #expect(updated[unchanged] as? String == wasUpdated[unchanged] as? String, "\(unchanged) changed")
        }
        for (id, credential) in before where id != "36f675cc-81e7-4ef5-a8e2-5d940ed90475" && after[id] != nil {
            #expect(NSDictionary(dictionary: credential).isEqual(to: after[id]!), "hidden credential \(id) changed")
        }

        // The backup is the old state, byte for byte; no journal is left.
        #expect(try sandbox.data("state.json.backup") == oldBytes)
        #expect(!sandbox.exists("state.json.pending"))
        #expect(!sandbox.exists("state.json.lock"))

        // The audit log: one line per applied change, in apply order.
        let audit = try auditLines(sandbox)
        #expect(audit.count == 3)
        #expect(audit.map { $0["action"] as? String } == ["create", "update", "delete"])
        #expect(audit.allSatisfy { $0["actor"] as? String == Acme.sam && $0["serial"] as? Int == 8 })
        #expect(audit.allSatisfy { $0["time"] as? String == now })
        let targets = audit.map { $0["target"] as? [String: Any] ?? [:] }
        #expect(targets.map { $0["name"] as? String } == ["quality-export", "team-dashboard", "old-report"])
        #expect(
            targets.map { $0["clientId"] as? String }
                == [clientId, "36f675cc-81e7-4ef5-a8e2-5d940ed90475", "6b0d549b-6f03-475a-9600-a35a099950d8"])

        // The sealed file opens with the real age CLI and holds the new secret.
        let sealed = try openSealed("secrets/acme-8.age", identity: "key.txt", in: sandbox)
        #expect(sealed.document["formatVersion"] as? Int == 1)
        #expect(sealed.document["account"] as? String == "acme")
        #expect(sealed.document["lineage"] as? String == old["lineage"] as? String)
        #expect(sealed.document["serial"] as? Int == 8)
        #expect(sealed.document["createdAt"] as? String == now)
        #expect(sealed.credentials.count == 1)
        let entry = try #require(sealed.credentials.first)
        #expect(entry["clientId"] as? String == clientId)
        #expect(entry["name"] as? String == "quality-export")
        #expect(entry["owner"] as? String == Acme.sam)
        #expect(entry["level"] as? String == "user")
        #expect(entry["scopes"] as? [String] == ["interaction-content:read"])
        let secret = try #require(sealed.secrets[clientId])
        #expect(try PeerTools.sha256Hex(secret) == created["secretSha256"] as? String)

        // vcc-creds unseal gives exactly what age gives.
        let unsealed = try CLI.runBytes(["unseal", "--identity", "key.txt", "secrets/acme-8.age"], in: sandbox.url)
        #expect(unsealed.status == 0)
        #expect(unsealed.stdout == sealed.plaintext)

        // verify accepts the secret, rejects a near miss.
        try expectVerify(secret, clientId: clientId, in: sandbox)

        // A second apply has nothing to do and writes nothing.
        let snapshot = try sandbox.snapshot()
        let again = try apply(["--recipient", recipient], as: Acme.sam, in: sandbox)
        #expect(again.status == 3)
        #expect(again.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 2 refused."))
        #expect(again.stdout.hasSuffix("Nothing to apply.\n"))
        #expect(try sandbox.snapshot() == snapshot, "a no-op apply wrote files")
    }

    /// Alice on the example: a user create and a delete, no credential create, so no
    /// recipient is needed and no sealed file is written.
    @Test func anAdminAppliesTheExampleWithoutRecipients() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let oldBytes = try sandbox.data("state.json")
        let result = try apply([], as: Self.alice, in: sandbox)
        #expect(result.status == 3)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Apply complete! 1 created, 0 updated, 1 deleted, 3 refused."))
        #expect(result.stdout.contains("State serial 8 committed."))
        #expect(!result.stdout.contains("sealed"))
        #expect(!sandbox.exists("secrets"))
        let new = try sandbox.json("state.json")
        #expect(new["serial"] as? Int == 8)
        let users = (new["users"] as? [[String: Any]] ?? []).map { $0["id"] as? String }
        #expect(users.contains("andy@acme.example"))
        #expect(credentials(new)["6b0d549b-6f03-475a-9600-a35a099950d8"] == nil)
        #expect(credentials(new)["36f675cc-81e7-4ef5-a8e2-5d940ed90475"]?["scopes"] as? [String] == ["users:read"])
        #expect(try sandbox.data("state.json.backup") == oldBytes)
        let audit = try auditLines(sandbox)
        #expect(audit.map { $0["action"] as? String } == ["create", "delete"])
        #expect(audit.map { $0["kind"] as? String } == ["user", "credential"])
        #expect((audit.first?["target"] as? [String: Any])?["id"] as? String == "andy@acme.example")
        #expect(audit.allSatisfy { $0["actor"] as? String == Self.alice && $0["serial"] as? Int == 8 })

        let snapshot = try sandbox.snapshot()
        let again = try apply([], as: Self.alice, in: sandbox)
        #expect(again.status == 3)
        #expect(again.stdout.hasSuffix("Nothing to apply.\n"))
        #expect(try sandbox.snapshot() == snapshot)
    }

    /// An admin whose every change is permitted: exit 0, two secrets in one file, the
    /// audit log in plan order, account-level edits and user changes applied.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func anAdminWithEveryChangePermittedExitsZero() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        try sandbox.remove("manifests/credentials/sam.yaml")
        try sandbox.remove("manifests/credentials/refused.yaml")
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let actor = "alice@applyable.example"
        let planJSON = try CLI.run(
            ["plan", "--state", "state.json", "--as", actor, "--format", "json"], in: sandbox.url)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(planJSON.stdout.utf8)) as? [String: Any])
        let planned = (plan["changes"] as? [[String: Any]] ?? []).map { $0["id"] as? String }

        let result = try apply(["--recipient", recipient], as: actor, in: sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Apply complete! 3 created, 2 updated, 2 deleted.\n"))
        #expect(result.stdout.contains("State serial 5 committed."))
        #expect(result.stdout.contains("2 new secrets sealed in secrets/applyable-5.age"))

        let audit = try auditLines(sandbox)
        #expect(audit.count == 7)
        #expect(audit.map { $0["change"] as? String } == planned, "audit lines not in plan order")
        #expect(audit.allSatisfy { $0["actor"] as? String == actor && $0["serial"] as? Int == 5 })

        let new = try sandbox.json("state.json")
        #expect(new["serial"] as? Int == 5)
        let users = Set((new["users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(users.contains("carl@applyable.example"))
        #expect(!users.contains("old@applyable.example"))
        let after = credentials(new)
        #expect(after["2d4f6a8b-3e5a-4b7c-9d1e-2f3a4b5c6d7e"] == nil, "old-export not deleted")
        #expect(after["1c3e5a7b-2d4f-4a6b-8c0d-1e2f3a4b5c6d"]?["scopes"] as? [String] == ["stats", "users:read"])
        let legacy = try #require(after["7a2d4e6f-8b1c-4d3e-9f5a-0b1c2d3e4f5a"])
        #expect(legacy["scopes"] as? [String] == ["agents-availability:read", "stats"])
        #expect(legacy["owner"] == nil)
        #expect(legacy["createdBy"] as? String == "bob@applyable.example", "an edit changed createdBy")

        let sealed = try openSealed("secrets/applyable-5.age", identity: "key.txt", in: sandbox)
        #expect(Set(sealed.credentials.compactMap { $0["name"] as? String }) == ["billing-bridge", "user-sync"])
        #expect(Set(sealed.secrets.values).count == 2, "two credentials share a secret")
        for (clientId, secret) in sealed.secrets {
            expectLowercaseUUID(clientId)
            let credential = try #require(after[clientId], "sealed \(clientId) is not in the state")
            #expect(credential["createdBy"] as? String == actor)
            #expect(try PeerTools.sha256Hex(secret) == credential["secretSha256"] as? String)
            try expectVerify(secret, clientId: clientId, in: sandbox)
        }

        let snapshot = try sandbox.snapshot()
        let again = try apply(["--recipient", recipient], as: actor, in: sandbox)
        #expect(again.status == 0)
        #expect(again.stdout.hasSuffix("Nothing to apply.\n"))
        #expect(try sandbox.snapshot() == snapshot, "a no-op apply wrote files")
    }

    /// A supervisor whose changes are all permitted exits 0, --all-or-nothing or not.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func aSupervisorWithEveryChangePermittedExitsZero() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        for file in ["user-changes.yaml", "credentials/alice.yaml", "credentials/refused.yaml"] {
            try sandbox.remove("manifests/\(file)")
        }
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let result = try apply(
            ["--recipient", recipient, "--all-or-nothing"], as: "sam@applyable.example", in: sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Apply complete! 1 created, 1 updated, 1 deleted.\n"))
        let sealed = try openSealed("secrets/applyable-5.age", identity: "key.txt", in: sandbox)
        #expect(sealed.credentials.map { $0["name"] as? String } == ["quality-export"])
        #expect(try auditLines(sandbox).count == 3)
    }

    // MARK: 2. recipients

    /// One key in settings.recipients, one in --recipients-file, one by --recipient (plus
    /// a duplicate): each key alone opens the file, an outsider's does not, and the
    /// duplicate gets no second stanza.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func everyRecipientCanOpenTheSealedFile() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let inSettings = try PeerTools.newKey("settings-key.txt", in: sandbox)
        let inFile = try PeerTools.newKey("file-key.txt", in: sandbox)
        let onFlag = try PeerTools.newKey("flag-key.txt", in: sandbox)
        _ = try PeerTools.newKey("outsider-key.txt", in: sandbox)
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: acme
            settings:
              prune: false
              maxDeletes: 10
              recipients: [\(inSettings)]

            """)
        try sandbox.write("recipients.txt", "# the on-call team\n\n  \(inFile)  \n# end\n")
        let result = try apply(
            ["--recipients-file", "recipients.txt", "--recipient", onFlag, "--recipient", inSettings], as: Acme.sam,
            in: sandbox)
        #expect(result.status == 3, "\(result.stderr)")
        let age = try #require(PeerTools.age)
        var plaintexts: [Data] = []
        for key in ["settings-key.txt", "file-key.txt", "flag-key.txt"] {
            let opened = try PeerTools.run(age, ["-d", "-i", key, "secrets/acme-8.age"], in: sandbox.url)
            #expect(opened.status == 0, "\(key) cannot open the sealed file: \(opened.stderr)")
            plaintexts.append(opened.stdout)
        }
        #expect(Set(plaintexts).count == 1)
        #expect(plaintexts.first?.isEmpty == false)
        let outsider = try PeerTools.run(age, ["-d", "-i", "outsider-key.txt", "secrets/acme-8.age"], in: sandbox.url)
        #expect(outsider.status != 0)
        #expect(outsider.stdout.isEmpty)
        let header = String(decoding: try sandbox.data("secrets/acme-8.age").prefix(2048), as: UTF8.self)
        #expect(header.hasPrefix("age-encryption.org/v1\n"))
        #expect(header.components(separatedBy: "\n-> X25519 ").count - 1 == 3, "one stanza per distinct recipient")
    }

    // MARK: 3. never overwriting

    @Test func anExistingDefaultSealedFileStopsTheApply() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        try sandbox.write("secrets/acme-8.age", "an earlier run's secrets\n")
        let before = try sandbox.snapshot()
        let result = try apply(["--recipient", Self.someRecipient], as: Acme.sam, in: sandbox)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("secrets/acme-8.age"))
        #expect(result.stderr.contains("already exists"))
        #expect(try sandbox.snapshot() == before, "a refused apply wrote files")
    }

    @Test func anExistingSealedOutFileStopsTheApply() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        try sandbox.write("existing.age", "precious\n")
        // A dangling symlink is an existing name too: nothing may be written through it.
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("link.age"), withDestinationPath: "target.age")
        for name in ["existing.age", "link.age"] {
            let before = try sandbox.snapshot()
            let result = try apply(
                ["--recipient", Self.someRecipient, "--sealed-out", name], as: Acme.sam, in: sandbox)
            #expect(result.status == 1, "\(name)")
            #expect(result.stdout == "")
            #expect(result.stderr.contains(name), "\(result.stderr)")
            #expect(try sandbox.snapshot() == before, "\(name): a refused apply wrote files")
            #expect(!sandbox.exists("target.age"))
        }
        #expect(try sandbox.read("existing.age") == "precious\n")
    }

    /// --sealed-out to a new path in a folder that does not exist yet: the folder is made,
    /// and the default secrets/ folder is not.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func sealedOutNamesTheFile() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let result = try apply(
            ["--recipient", recipient, "--sealed-out", "out/deep/new.age"], as: Acme.sam, in: sandbox)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("sealed in out/deep/new.age"))
        #expect(!sandbox.exists("secrets"))
        let sealed = try openSealed("out/deep/new.age", identity: "key.txt", in: sandbox)
        #expect(sealed.credentials.count == 1)
    }

    // MARK: 4. no recipients

    @Test func noRecipientAndACreateWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let before = try sandbox.snapshot()
        let result = try apply([], as: Acme.sam, in: sandbox)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("no age recipient"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try sandbox.snapshot() == before, "a failed apply wrote files")
    }

    /// Sam with the create removed from the manifests: an update and a delete, no secret
    /// to seal, so no recipient is needed.
    @Test func noRecipientIsNeededWithoutACreate() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        try sandbox.remove("manifests/credentials/refused.yaml")
        try sandbox.write(
            "manifests/credentials/sam.yaml",
            """
            credentials:
              - name: team-dashboard
                owner: sam@applyable.example
                scopes: [users:read, interaction-content:read]
              - name: old-report
                owner: sam@applyable.example
                ensure: absent

            """)
        let result = try apply([], as: "sam@applyable.example", in: sandbox)
        // The user changes are refused (admin-only); alice's creates are not sam's to see.
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("Apply complete! 0 created, 1 updated, 1 deleted, 2 refused."))
        #expect(!sandbox.exists("secrets"))
        #expect(try sandbox.json("state.json")["serial"] as? Int == 5)
    }

    // MARK: 5. --all-or-nothing

    @Test func allOrNothingWithARefusalAppliesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let before = try sandbox.snapshot()
        let result = try apply(["--recipient", Self.someRecipient, "--all-or-nothing"], as: Acme.sam, in: sandbox)
        #expect(result.status == 3)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Plan: 1 to create, 1 to update, 1 to delete, 2 refused."))
        #expect(result.stdout.contains("Nothing applied: --all-or-nothing"))
        #expect(!result.stdout.contains("Apply complete"))
        #expect(try sandbox.snapshot() == before, "--all-or-nothing wrote files")

        let without = try apply(["--recipient", Self.someRecipient], as: Acme.sam, in: sandbox)
        #expect(without.status == 3)
        #expect(without.stdout.contains("Apply complete! 1 created, 1 updated, 1 deleted, 2 refused."))
        #expect(try sandbox.json("state.json")["serial"] as? Int == 8)
    }

    // MARK: 6. the lock

    @Test(.enabled(if: PeerTools.flock != nil, "needs util-linux flock"))
    func aHeldLockStopsTheApply() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let holderLine = "pid 4242 on build-host since 2026-01-02T03:04:05Z\n"
        try sandbox.write("state.json.lock", holderLine)
        let holder = try LockHolderProcess(holding: "state.json.lock", in: sandbox)
        defer { holder.release() }
        let before = try sandbox.snapshot()
        let started = Date()
        let result = try apply(["--recipient", Self.someRecipient], as: Acme.sam, in: sandbox)
        #expect(result.status == 5)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("locked"), "\(result.stderr)")
        #expect(result.stderr.contains("pid 4242 on build-host since 2026-01-02T03:04:05Z"), "holder not named")
        #expect(result.stderr.contains("state.json"))
        #expect(Date().timeIntervalSince(started) < 2, "without --lock-timeout apply should not wait")
        #expect(try sandbox.snapshot() == before, "a locked-out apply wrote files")
    }

    /// A holder writes its line just after taking the lock, so a run that loses the race
    /// by microseconds finds the file still empty. It waits for the line (here written a
    /// fifth of a second late) rather than report the holder unknown.
    @Test(.enabled(if: PeerTools.flock != nil, "needs util-linux flock"))
    func aHolderLineWrittenJustAfterTheLockIsStillNamed() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let holder = try LockHolderProcess(holding: "state.json.lock", in: sandbox)
        defer { holder.release() }
        let line = "pid 4343 on late-host since 2026-01-02T03:04:05Z\n"
        let lockPath = sandbox.path("state.json.lock")
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            // In place, as a holder writes it: the same file the loser has open.
            if let handle = FileHandle(forWritingAtPath: lockPath) {
                handle.write(Data(line.utf8))
                try? handle.close()
            }
        }
        writer.start()
        let result = try apply(["--recipient", Self.someRecipient], as: Acme.sam, in: sandbox)
        #expect(result.status == 5)
        #expect(result.stderr.contains("(pid 4343 on late-host since 2026-01-02T03:04:05Z)"), "\(result.stderr)")
    }

    /// A holder that never writes its line (killed at once) is reported as unknown,
    /// after the short wait for it.
    @Test(.enabled(if: PeerTools.flock != nil, "needs util-linux flock"))
    func aHolderThatNeverWritesIsUnknown() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let holder = try LockHolderProcess(holding: "state.json.lock", in: sandbox)
        defer { holder.release() }
        let result = try apply(["--recipient", Self.someRecipient], as: Acme.sam, in: sandbox)
        #expect(result.status == 5)
        #expect(result.stderr.contains("(holder unknown)"), "\(result.stderr)")
    }

    /// --lock-timeout 10 waits for a holder: the holder lets go only once apply has the
    /// lock file open (and so is waiting on it), and apply then goes on and commits.
    @Test(.enabled(if: PeerTools.flock != nil, "needs util-linux flock"))
    func lockTimeoutWaitsForTheHolder() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let holder = try LockHolderProcess(holding: "state.json.lock", in: sandbox)
        defer { holder.release() }
        let running = try PeerTools.start(
            CLI.executable,
            [
                "apply", "--state", "state.json", "--as", Self.alice, "--recipient", Self.someRecipient,
                "--lock-timeout", "10",
            ],
            in: sandbox.url, environment: Golden.clock)
        let waiting = Self.waitUntil(running.process, opens: sandbox.path("state.json.lock"))
        let stillRunning = running.process.isRunning
        holder.release()
        let result = try running.finish()
        #expect(waiting && stillRunning, "apply did not wait on the lock file (\(result.stderr))")
        #expect(result.status == 3, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("State serial 8 committed."))
        #expect(!sandbox.exists("state.json.lock"), "apply left its lock file behind")
    }

    /// A real vcc-creds run as the holder: its recipients file is a FIFO, so it takes the
    /// lock and then waits, under the lock, for the recipients to be written into it. A
    /// second run is turned away naming it exactly: its pid, this host, a UTC time.
    @Test func aBusyLockNamesTheRunHoldingIt() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let first = try BlockedApply(as: Self.alice, in: sandbox)
        // Bounded: if the lock were not honoured, this run would go on and apply.
        let running = try PeerTools.start(
            CLI.executable, ["apply", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        if !running.waitForExit(seconds: 5) {
            Issue.record("the second run did not stop at the lock")
            try first.feedRecipients()
            try first.feedRecipients()
        }
        try first.feedRecipients()
        let second = try running.finish()
        #expect(second.status == 5)
        #expect(second.stdout.isEmpty)
        let holder = try #require(
            second.stderr.firstMatch(of: /\(pid (\d+) on (\S+) since (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\)/),
            "holder not named: \(second.stderr)")
        #expect(Int32(holder.1) == first.pid)
        #expect(String(holder.2) == BlockedApply.hostName)
        #expect(second.stderr.hasPrefix("state.json: error: is locked by another run (pid "))
        #expect(second.stderr.hasSuffix("; retry later or pass --lock-timeout SECONDS\n"))
        let done = try first.finish()
        #expect(done.status == 3, "\(done.stderr)")
        #expect(done.text.contains("State serial 8 committed."))
        #expect(!sandbox.exists("state.json.lock"), "apply left its lock file behind")
    }

    /// Two real runs: the second waits (--lock-timeout) while the first holds the lock,
    /// then re-plans against the state the first committed, so it has nothing to do.
    @Test func aWaitingRunRePlansAgainstTheCommittedState() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let first = try BlockedApply(as: Self.alice, in: sandbox)
        let second = try PeerTools.start(
            CLI.executable, ["apply", "--state", "state.json", "--as", Self.alice, "--lock-timeout", "10"],
            in: sandbox.url)
        #expect(!second.waitForExit(seconds: 0.3), "the second run did not wait for the lock")
        try first.feedRecipients()
        if !first.running.waitForExit(seconds: 5) || !second.waitForExit(seconds: 10) {
            Issue.record("a run is stuck on the FIFO: the lock was not honoured")
            try first.feedRecipients()
        }
        let firstDone = try first.finish()
        let secondDone = try second.finish()
        #expect(firstDone.status == 3, "\(firstDone.stderr)")
        #expect(firstDone.text.contains("State serial 8 committed."))
        #expect(secondDone.status == 3, "\(secondDone.stderr)")
        #expect(secondDone.text.contains("as alice@acme.example (admin), state serial 8"))
        #expect(secondDone.text.hasSuffix("Nothing to apply.\n"))
        #expect(try sandbox.json("state.json")["serial"] as? Int == 8)
        #expect(try auditLines(sandbox).count == 2, "the change was applied twice")
        #expect(!sandbox.exists("state.json.lock"), "a run left its lock file behind")
    }

    // MARK: 7. no secret anywhere

    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func noSecretOutsideTheSealedFiles() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        var outputs: [String] = []
        let asAlice = try apply(["--recipient", recipient], as: "alice@applyable.example", in: sandbox)
        #expect(asAlice.status == 3)
        let asSam = try apply(["--recipient", recipient], as: "sam@applyable.example", in: sandbox)
        #expect(asSam.status == 3)
        let noOp = try apply(["--recipient", recipient], as: "sam@applyable.example", in: sandbox)
        outputs += [asAlice.stdout, asAlice.stderr, asSam.stdout, asSam.stderr, noOp.stdout, noOp.stderr]

        var secrets: [String: String] = [:]
        for file in ["secrets/applyable-5.age", "secrets/applyable-6.age"] {
            secrets.merge(try openSealed(file, identity: "key.txt", in: sandbox).secrets) { first, _ in first }
        }
        #expect(secrets.count == 3, "alice's two creates and sam's one")
        for (clientId, secret) in secrets {
            let verified = try CLI.run(
                ["verify", "--state", "state.json", "--client-id", clientId], in: sandbox.url, stdin: secret + "\n")
            #expect(verified.status == 0)
            outputs += [verified.stdout, verified.stderr]
        }
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@applyable.example", "--format", "json"],
            in: sandbox.url)
        outputs += [plan.stdout, plan.stderr]

        let files = try sandbox.snapshot()
        for name in ["state.json", "state.json.backup", "state.json.audit.jsonl"] {
            #expect(files[name] != nil, "\(name) is missing: the check below would prove nothing")
        }
        for (clientId, secret) in secrets {
            for (index, output) in outputs.enumerated() {
                #expect(!output.contains(secret), "secret of \(clientId) in output #\(index)")
            }
            for (name, bytes) in files {  // sealed files too: their secrets are encrypted
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "secret of \(clientId) in \(name)")
            }
        }
    }

    // MARK: 9. bad input for the new flags

    @Test func anInvalidRecipientIsAOneLineErrorAndWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        let before = try sandbox.snapshot()
        for bad in ["age1bogus", "ssh-ed25519 AAAA", String(Self.someRecipient.dropLast()) + "q", ""] {
            let result = try apply(["--recipient", bad], as: Acme.sam, in: sandbox)
            #expect(result.status == 1, "\(bad.debugDescription) accepted")
            #expect(result.stdout == "")
            #expect(result.stderr.hasPrefix("error: --recipient: "), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "not one line: \(result.stderr)")
            #expect(try sandbox.snapshot() == before, "\(bad.debugDescription): a failed apply wrote files")
        }
    }

    @Test func aBadRecipientsFileLineNamesFileAndLine() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        try sandbox.write("recipients.txt", "# team\n\(Self.someRecipient)\n\nnot-a-key\n\(Self.someRecipient)\n")
        let before = try sandbox.snapshot()
        let result = try apply(["--recipients-file", "recipients.txt"], as: Acme.sam, in: sandbox)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("recipients.txt:4:1: error: "), "\(result.stderr)")
        #expect(result.stderr.contains("not-a-key"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try sandbox.snapshot() == before)

        let missing = try apply(["--recipients-file", "nowhere.txt"], as: Acme.sam, in: sandbox)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nowhere.txt"))
        #expect(try sandbox.snapshot() == before)
    }

    @Test func aBadRecipientInTheManifestsNamesItsPlace() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        try sandbox.write(
            "manifests/account.yaml", "account: acme\nsettings:\n  recipients:\n    - age1nope\n")
        let before = try sandbox.snapshot()
        let result = try apply([], as: Self.alice, in: sandbox)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("manifests/account.yaml:4:7: error: "), "\(result.stderr)")
        #expect(try sandbox.snapshot() == before)
    }

    /// A common slip: the identity file (or its secret key line) given where a recipient
    /// belongs. The run must fail, and the private key must not be echoed to stderr,
    /// where CI logs keep it ("No secret ever reaches stdout, stderr").
    @Test(.enabled(if: PeerTools.ageKeygen != nil, "needs age-keygen"))
    func anIdentityGivenAsRecipientIsNotEchoed() throws {
        let sandbox = try Sandbox()
        try sandbox.copyExample()
        _ = try PeerTools.newKey("key.txt", in: sandbox)
        let secretKey = try #require(try sandbox.read("key.txt").split(separator: "\n").last.map(String.init))
        try #require(secretKey.hasPrefix("AGE-SECRET-KEY-1"))
        for arguments in [["--recipients-file", "key.txt"], ["--recipient", secretKey]] {
            let result = try apply(arguments, as: Acme.sam, in: sandbox)
            #expect(result.status == 1)
            #expect(!result.stderr.contains(secretKey), "\(arguments[0]): the private key is on stderr")
            #expect(result.stderr.contains("a private key) was given where a recipient belongs"))
        }
    }
}

// MARK: - Support

extension ApplyCommandTests {
    /// A valid recipient nobody holds the key of: for runs whose sealed file is never opened.
    static let someRecipient = "age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s"

    func apply(_ arguments: [String], as actor: String, in sandbox: Sandbox) throws -> CLI.Result {
        try CLI.run(["apply", "--state", "state.json", "--as", actor] + arguments, in: sandbox.url)
    }

    func credentials(_ state: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for credential in state["credentials"] as? [[String: Any]] ?? [] {
            if let id = credential["clientId"] as? String { result[id] = credential }
        }
        return result
    }

    func auditLines(_ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let text = try sandbox.read("state.json.audit.jsonl")
        #expect(text.hasSuffix("\n"), sourceLocation: sourceLocation)
        return try text.split(separator: "\n").map { line in
            try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                sourceLocation: sourceLocation)
        }
    }

    func expectLowercaseUUID(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            text == text.lowercased() && UUID(uuidString: text) != nil, "not a lowercase UUID: \(text)",
            sourceLocation: sourceLocation)
    }

    /// verify accepts the secret (with and without a newline) and rejects a near miss.
    func expectVerify(
        _ secret: String, clientId: String, in sandbox: Sandbox,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let arguments = ["verify", "--state", "state.json", "--client-id", clientId]
        for input in [secret, secret + "\n"] {
            let result = try CLI.run(arguments, in: sandbox.url, stdin: input)
            #expect(
                result.status == 0, "verify rejected the sealed secret: \(result.stderr)",
                sourceLocation: sourceLocation)
        }
        let last = secret.last == "a" ? "b" : "a"
        let wrong = String(secret.dropLast()) + last
        let result = try CLI.run(arguments, in: sandbox.url, stdin: wrong)
        #expect(result.status == 1, "verify accepted a wrong secret", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(wrong), sourceLocation: sourceLocation)
    }

    struct Sealed {
        var plaintext: Data
        var document: [String: Any]
        var credentials: [[String: Any]]
        /// clientId -> clientSecret
        var secrets: [String: String]
    }

    /// Opens a sealed file with the real `age -d -i KEY FILE` and checks every secret's shape.
    func openSealed(
        _ path: String, identity: String, in sandbox: Sandbox,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Sealed {
        let age = try #require(PeerTools.age, sourceLocation: sourceLocation)
        let opened = try PeerTools.run(age, ["-d", "-i", identity, path], in: sandbox.url)
        try #require(opened.status == 0, "age -d failed: \(opened.stderr)", sourceLocation: sourceLocation)
        let document = try #require(
            try JSONSerialization.jsonObject(with: opened.stdout) as? [String: Any], sourceLocation: sourceLocation)
        #expect(
            Set(document.keys) == ["formatVersion", "account", "lineage", "serial", "createdAt", "credentials"],
            sourceLocation: sourceLocation)
        let credentials = try #require(document["credentials"] as? [[String: Any]], sourceLocation: sourceLocation)
        var secrets: [String: String] = [:]
        for credential in credentials {
            let clientId = try #require(credential["clientId"] as? String, sourceLocation: sourceLocation)
            let secret = try #require(credential["clientSecret"] as? String, sourceLocation: sourceLocation)
            #expect(
                secret.wholeMatch(of: /[A-Za-z0-9]{40}/) != nil, "secret of \(clientId) is not 40 alphanumerics",
                sourceLocation: sourceLocation)
            #expect(
                Set(credential.keys).isSubset(of: ["clientId", "name", "owner", "level", "scopes", "clientSecret"]),
                sourceLocation: sourceLocation)
            secrets[clientId] = secret
        }
        return Sealed(plaintext: opened.stdout, document: document, credentials: credentials, secrets: secrets)
    }
}

/// `vcc-creds apply` whose recipients file is a FIFO: it takes the state lock, then
/// blocks under it reading the recipients until `feedRecipients()` writes them into the
/// FIFO. (The state itself must be a regular file: apply refuses anything else.)
final class BlockedApply {
    let running: PeerTools.Running
    private let sandbox: Sandbox
    private let recipients = Data("# the one recipient\n\(ApplyCommandTests.someRecipient)\n".utf8)
    private static let fifo = "recipients.fifo"

    var pid: Int32 { running.process.processIdentifier }

    static var hostName: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    init(as actor: String, in sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        self.sandbox = sandbox
        try #require(mkfifo(sandbox.path(Self.fifo), 0o644) == 0, sourceLocation: sourceLocation)
        running = try PeerTools.start(
            CLI.executable, ["apply", "--state", "state.json", "--as", actor, "--recipients-file", Self.fifo],
            in: sandbox.url)
        // The holder line goes into the lock file right after the lock is taken.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: sandbox.path("state.json.lock"), encoding: .utf8),
                text.hasPrefix("pid \(running.process.processIdentifier) on ")
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try? feedRecipients()
        _ = try? running.finish()
        try #require(Bool(false), "the first apply never took the lock", sourceLocation: sourceLocation)
    }

    /// Writes the recipients into the FIFO (without blocking if nobody reads it).
    func feedRecipients() throws {
        let deadline = Date().addingTimeInterval(5)
        var descriptor: Int32 = -1
        while descriptor < 0 {
            descriptor = open(sandbox.path(Self.fifo), O_WRONLY | O_NONBLOCK)
            if descriptor < 0 {
                guard errno == ENXIO, Date() < deadline else { return }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var written = 0
        try recipients.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                written += count
            }
        }
    }

    func finish() throws -> PeerTools.Result {
        try running.finish()
    }
}

extension PeerTools.Running {
    /// Waits up to `seconds` for the process to exit; false if it is still running.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return !process.isRunning
    }
}

/// `flock -o FILE cat`: holds the lock until its stdin closes (or, with `seconds`,
/// `flock -o FILE sleep N` for that long). Started and waited for until the lock is
/// really held, so the test does not race it.
extension ApplyCommandTests {
    /// Whether `process` has `path` open within 10 seconds (one of its /proc/PID/fd links
    /// names it), polled every 10 ms.
    static func waitUntil(_ process: Process, opens path: String) -> Bool {
        let folder = "/proc/\(process.processIdentifier)/fd"
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline {
            let links = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if links.contains(where: {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) == path
            }) {
                return true
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }
}

final class LockHolderProcess {
    private let process = Process()
    private let input = Pipe()

    init(
        holding lockFile: String, in sandbox: Sandbox,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let flock = try #require(PeerTools.flock, sourceLocation: sourceLocation)
        process.executableURL = flock
        // `timeout 10` bounds the hold, should a run under test wait for it by mistake.
        let catForAWhile = PeerTools.find("timeout") != nil ? ["timeout", "10", "cat"] : ["cat"]
        process.arguments = ["-o", lockFile] + catForAWhile
        process.currentDirectoryURL = sandbox.url
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // `flock -n` fails (exit 1) once the holder has the lock; on a loaded machine
        // starting the holder can take seconds.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let probe = try PeerTools.run(flock, ["-n", lockFile, "true"], in: sandbox.url)
            if probe.status != 0 { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        release()
        Issue.record("the flock holder never took the lock", sourceLocation: sourceLocation)
    }

    /// Lets go of the lock: closes cat's stdin and waits for the holder to exit.
    func release() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }
}

extension Sandbox {
    /// The repository's example account: manifests/ and examples/acme/state.json.
    fileprivate func copyExample() throws {
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("manifests"), to: url.appendingPathComponent("manifests"))
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: url.appendingPathComponent("state.json"))
    }

    fileprivate func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relative))
    }

    fileprivate func exists(_ relative: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path(relative))) != nil
    }

    fileprivate func data(_ relative: String) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(relative))
    }

    fileprivate func json(_ relative: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data(relative)) as? [String: Any])
    }
}
