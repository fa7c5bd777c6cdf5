import Foundation
import Testing

/// A rotation's successor is sealed exactly as its entry declares, when the entry is
/// pinned by `clientId:` (as `export` writes it) and the pin names the predecessor:
/// `recipients:` (a service's key, not the owner's), `additionalRecipients:`,
/// `recipients: []` (the escrow bundle only), and an account-level credential migrated
/// to a user-level one. Checked with the real `age`, key by key, against `readers`.
@Suite(
    .enabled(
        if: PeerTools.age != nil && PeerTools.ageKeygen != nil && PeerTools.sha256sum != nil,
        "needs age, age-keygen, sha256sum"))
struct RotationRecipientsTests {
    static let legacy = "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"
    static let keys = ["alice", "sam", "service", "qa", "escrow"]

    /// The small account with an account-level credential, and every entry pinned.
    static func account() throws -> RecipientsTests.Account {
        let account = try RecipientsTests.Account()
        try RotationTests.addAccountLevelWallboard(legacy, to: account.sandbox)
        try write(account, ids: [:])
        let applied = try account.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        try write(account, ids: try account.clientIds())
        return account
    }

    /// Sam's `feed` is for the service only, Alice's `shared` for her and QA, Sam's
    /// `bundled` for the escrow bundle only, the account-level `wallboard` for the service;
    /// each pinned once it has a client ID.
    static func write(_ account: RecipientsTests.Account, ids: [String: String]) throws {
        func pin(_ name: String) -> String { ids[name].map { "    clientId: \($0)\n" } ?? "" }
        try account.sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            settings:
              recipients: [\(account.keys["escrow"]!)]
            users:
              - id: alice@small.example
                name: Alice
                license: admin
                recipients: [\(account.keys["alice"]!)]
              - id: sam@small.example
                name: Sam
                license: supervisor
                recipients: [\(account.keys["sam"]!)]
            credentials:
              - name: feed
                owner: sam@small.example
            \(pin("feed"))    scopes: [users:read]
                recipients: [\(account.keys["service"]!)]
              - name: shared
                owner: alice@small.example
            \(pin("shared"))    scopes: [stats]
                additionalRecipients: [\(account.keys["qa"]!)]
              - name: bundled
                owner: sam@small.example
            \(pin("bundled"))    scopes: [users:read]
                recipients: []
              - name: wallboard
                level: account
                clientId: \(legacy)
                scopes: [stats]
                recipients: [\(account.keys["service"]!)]

            """)
    }

    /// Rotates `credential` with a day's overlap, as `rotate` then `apply PLANFILE`.
    static func rotate(_ account: RecipientsTests.Account, _ credential: String) throws {
        let planned = try account.run(
            [
                "rotate", "--state", "state.json", "--as", RecipientsTests.alice, "--as", Small.sam,
                credential,
                "--overlap", "1d", "--out", "rotation.json",
            ])
        #expect(planned.status == 0, "\(credential): \(planned.stderr)")
        let applied = try account.run(["apply", "rotation.json"])
        #expect(applied.status == 0, "\(credential): \(applied.stderr)")
        try FileManager.default.removeItem(at: account.sandbox.url.appendingPathComponent("rotation.json"))
    }

    /// The successor of `predecessor`: the credential whose `predecessors` end with it.
    static func successor(of predecessor: String, in account: RecipientsTests.Account) throws -> String {
        let credentials = (try account.state()["credentials"] as? [[String: Any]]) ?? []
        let found = credentials.first { ($0["predecessors"] as? [String])?.last == predecessor }
        return try #require(found?["clientId"] as? String, "no successor of \(predecessor)")
    }

    /// Which of the keys open a credential's own sealed file (nil: it has none).
    static func openers(_ clientId: String, in account: RecipientsTests.Account) throws -> Set<String>? {
        let file = "secrets/small/\(clientId).age"
        guard FileManager.default.fileExists(atPath: account.sandbox.path(file)) else { return nil }
        var who: Set<String> = []
        for key in keys where try account.open(file, with: key) != nil { who.insert(key) }
        return who
    }

    @Test func eachSuccessorOpensForExactlyWhatItsPinnedEntryDeclares() throws {
        let account = try Self.account()
        let before = try account.clientIds()
        let expected: [(credential: String, predecessor: String, readers: Set<String>?)] = [
            ("sam@small.example/feed", before["feed"]!, ["service", "escrow"]),
            ("alice@small.example/shared", before["shared"]!, ["alice", "qa", "escrow"]),
            ("sam@small.example/bundled", before["bundled"]!, nil),
            ("account/wallboard", Self.legacy, ["service", "escrow"]),
        ]
        for entry in expected { try Self.rotate(account, entry.credential) }
        for (credential, predecessor, readers) in expected {
            let successor = try Self.successor(of: predecessor, in: account)
            #expect(try Self.openers(successor, in: account) == readers, "\(credential)'s successor \(successor)")
            // The state records exactly who it was sealed for, and readers says the same.
            let recorded =
                ((try account.state()["credentials"] as? [[String: Any]]) ?? [])
                .first { $0["clientId"] as? String == successor }?["sealedTo"] as? [String]
            let fingerprints = try readers.map { try $0.map { try account.fingerprint($0) }.sorted() }
            #expect(recorded == fingerprints, "\(credential)")
        }
        // The index tells the halves of each pair apart: the successor is current.
        let index = try #require(
            try JSONSerialization.jsonObject(with: Data(account.sandbox.read("secrets/small/index.json").utf8))
                as? [String: Any])
        let files = Dictionary(
            ((index["files"] as? [[String: Any]]) ?? []).map { ($0["clientId"] as! String, $0) },
            uniquingKeysWith: { a, _ in a })
        let feed = before["feed"]!
        let feedSuccessor = try Self.successor(of: feed, in: account)
        #expect(files[feedSuccessor]?["current"] as? Bool == true)
        #expect(files[feedSuccessor]?["replacedBy"] == nil)
        #expect(files[feed]?["current"] as? Bool == false)
        #expect(files[feed]?["replacedBy"] as? String == feedSuccessor)
        #expect(files[feed]?["retiresAt"] as? String == "2026-12-02T09:00:00Z")
        let readers = try account.run(["readers", "--state", "state.json"])
        #expect(
            readers.stdout.contains(
                "  sam@small.example/feed (\(feed))\n      replaced by \(feedSuccessor), which consumers use; "
                    + "deleted when the overlap ends at 2026-12-02T09:00:00Z\n"
            ),
            "\(readers.stdout)")
        #expect(readers.status == 0, "\(readers.stderr)")
        #expect(
            !readers.stdout.contains("owner sam@small.example"),
            "Sam's key reads nothing of the service's:\n\(readers.stdout)")
        #expect(readers.stdout.contains("\(try account.fingerprint("qa"))  credential"), "\(readers.stdout)")
        let rekey = try account.run(["rekey", "--state", "state.json", "--dry-run"])
        #expect(rekey.stdout.contains("Nothing to rekey"), "\(rekey.stdout)\(rekey.stderr)")
    }

    /// An account the old version rotated seals the successor for the owner: here made
    /// the same way (the entry unpinned while it rotates, pinned after), `rekey --dry-run`
    /// names the file and `rekey` reseals it for the service, away from Sam.
    @Test func aSuccessorSealedForTheOwnerIsFoundAndRepairedByRekey() throws {
        let account = try Self.account()
        let feed = try account.clientIds()["feed"]!
        // Unpinned and without recipients of its own while it rotates: Sam's key.
        var ids = try account.clientIds()
        ids["feed"] = nil
        try Self.write(account, ids: ids)
        let manifests = try account.sandbox.read("manifests/account.yaml")
        try account.sandbox.write(
            "manifests/account.yaml",
            manifests.replacingOccurrences(
                of: "    recipients: [\(account.keys["service"]!)]\n  - name: shared", with: "  - name: shared"))
        try Self.rotate(account, "sam@small.example/feed")
        let successor = try Self.successor(of: feed, in: account)
        #expect(try Self.openers(successor, in: account) == ["sam", "escrow"])
        // Pinned to the predecessor with the service's key, as export writes it.
        ids["feed"] = feed
        try Self.write(account, ids: ids)
        let dryRun = try account.run(["rekey", "--state", "state.json", "--dry-run"])
        #expect(dryRun.stdout.contains(successor), "\(dryRun.stdout)\(dryRun.stderr)")
        let rekeyed = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(rekeyed.status == 0, "\(rekeyed.stderr)")
        #expect(try Self.openers(successor, in: account) == ["service", "escrow"])
    }
}
