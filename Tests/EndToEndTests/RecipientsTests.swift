import Foundation
import Testing

/// Per-owner and per-credential recipients end to end, with the real binary and the
/// real `age`: each secret opens only for whoever uses it (and the escrow), a change of
/// recipients is planned as files to rekey, `rekey` moves them, `readers` shows it.
@Suite(
    .enabled(
        if: PeerTools.age != nil && PeerTools.ageKeygen != nil && PeerTools.sha256sum != nil,
        "needs age, age-keygen, sha256sum"))
struct RecipientsTests {
    static let alice = "alice@small.example"

    /// The small account with its keys: Alice's, Sam's (and a new one of his), a
    /// service's, QA's and the escrow's.
    struct Account {
        let sandbox: Sandbox
        var keys: [String: String] = [:]

        init() throws {
            sandbox = try Sandbox()
            try sandbox.copyFixture("small")
            for name in ["alice", "sam", "service", "escrow", "sam-new", "qa"] {
                keys[name] = try PeerTools.newKey("\(name).key", in: sandbox)
            }
            try writeManifests()
        }

        /// Alice and Sam receive their own credentials' secrets; `svc-feed` is for the
        /// service only (`recipients` replaces the owner's), `shared` for Alice and the
        /// service (`additionalRecipients` adds to them); the escrow receives everything.
        func writeManifests(sam samKey: String = "sam", escrow: Bool = true) throws {
            try sandbox.write(
                "manifests/account.yaml",
                """
                account: small
                \(escrow ? "settings:\n  recipients: [\(keys["escrow"]!)]\n" : "")users:
                  - id: alice@small.example
                    name: Alice
                    license: admin
                    recipients: [\(keys["alice"]!)]
                  - id: sam@small.example
                    name: Sam
                    license: supervisor
                    recipients: [\(keys[samKey]!)]
                credentials:
                  - name: payments
                    owner: alice@small.example
                    scopes: [globalpci]
                  - name: shared
                    owner: alice@small.example
                    scopes: [stats]
                    additionalRecipients: [\(keys["service"]!)]
                  - name: qa
                    owner: sam@small.example
                    scopes: [users:read]
                  - name: svc-feed
                    owner: sam@small.example
                    scopes: [interaction-content:read]
                    recipients: [\(keys["service"]!)]

                """)
        }

        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments, in: sandbox.url) }

        func apply() throws -> CLI.Result {
            try run([
                "apply", "--state", "state.json", "--as", RecipientsTests.alice, "--as", Small.sam,
                "--auto-approve",
            ])
        }

        func state() throws -> [String: Any] {
            try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: sandbox.url.appendingPathComponent("state.json")))
                    as? [String: Any])
        }

        /// Client ID of each credential, by name.
        func clientIds() throws -> [String: String] {
            var ids: [String: String] = [:]
            for entry in (try state()["credentials"] as? [[String: Any]]) ?? [] {
                ids[entry["name"] as! String] = entry["clientId"] as? String
            }
            return ids
        }

        func sealedTo(_ name: String) throws -> [String]? {
            ((try state()["credentials"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == name }?[
                "sealedTo"]
                as? [String]
        }

        /// The plaintext of a sealed file opened with `key`, or nil when `age` refuses.
        func open(_ relative: String, with key: String) throws -> String? {
            let age = try #require(PeerTools.age)
            let result = try PeerTools.run(age, ["-d", "-i", "\(key).key", relative], in: sandbox.url)
            return result.status == 0 ? result.text : nil
        }

        /// The fingerprint of a key's recipient, by coreutils: the first 32 hex digits of
        /// the SHA-256 of its `age1...` form.
        func fingerprint(_ name: String) throws -> String { String(try PeerTools.sha256Hex(keys[name]!).prefix(32)) }
    }

    @Test func eachSecretOpensOnlyForItsOwnRecipientsAndTheEscrow() throws {
        let account = try Account()
        let applied = try account.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(
            applied.stdout.contains(
                "4 secrets sealed, each in a file of its own for its recipients, in secrets/small/ (who can open "
                    + "which: secrets/small/index.json):\n"
            ))
        #expect(applied.stdout.contains(#/\n  secrets/small/[0-9a-f-]{36}\.age  credential sam@small\.example/qa\n/#))
        let ids = try account.clientIds()
        #expect(ids.count == 4)
        let who: [String: Set<String>] = [
            "payments": ["alice", "escrow"], "shared": ["alice", "service", "escrow"], "qa": ["sam", "escrow"],
            // The credential's own recipients win over its owner's.
            "svc-feed": ["service", "escrow"],
        ]
        var secrets: [String] = []
        for (name, readers) in who {
            let file = "secrets/small/\(ids[name]!).age"
            for key in ["alice", "sam", "service", "escrow", "sam-new"] {
                let plaintext = try account.open(file, with: key)
                #expect((plaintext != nil) == readers.contains(key), "\(name) opened by \(key): \(plaintext != nil)")
                if let plaintext, let secret = plaintext.firstMatch(of: /"clientSecret": "([A-Za-z0-9]{40})"/)?.1 {
                    secrets.append(String(secret))
                    #expect(plaintext.contains(ids[name]!))
                }
            }
            #expect(try account.sealedTo(name) == readers.map { try account.fingerprint($0) }.sorted(), "\(name)")
        }
        #expect(Set(secrets).count == 4, "each file holds its own credential's secret")
        // The escrow bundle of the apply still holds every new secret, as before.
        let bundle = try #require(try account.open("secrets/small-2.age", with: "escrow"))
        for secret in secrets { #expect(bundle.contains(secret)) }
        #expect(try account.open("secrets/small-2.age", with: "alice") == nil)

        // The index names each file, its credential and its readers; no secret anywhere else.
        let index = try account.sandbox.read("secrets/small/index.json")
        for (name, id) in ids {
            #expect(index.contains("\"file\": \"\(id).age\""))
            #expect(index.contains("\"name\": \"\(name)\""))
        }
        #expect(index.contains(try account.fingerprint("service")))
        let written = try account.sandbox.snapshot().filter { !$0.key.hasSuffix(".age") }
        for secret in secrets {
            #expect(!applied.stdout.contains(secret) && !applied.stderr.contains(secret))
            for (path, bytes) in written {
                #expect(!String(decoding: bytes, as: UTF8.self).contains(secret), "\(path)")
            }
        }
        #expect(try account.state()["formatVersion"] as? Int == 3)
    }

    @Test func applyJSONNamesEachFile() throws {
        let account = try Account()
        let result = try account.run([
            "apply", "--state", "state.json", "--as", Self.alice, "--as", Small.sam, "--auto-approve", "--format",
            "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try #require(json["sealedFiles"] as? [[String: String]])
        let ids = try account.clientIds()
        #expect(Set(files.compactMap { $0["clientId"] }) == Set(ids.values))
        #expect(files.allSatisfy { $0["path"] == "secrets/small/\($0["clientId"]!).age" })
        #expect(json["sealedIndex"] as? String == "secrets/small/index.json")
        #expect((json["sealed"] as? [String: Any])?["path"] as? String == "secrets/small-2.age")
    }

    @Test func withoutAnEscrowThereIsNoBundleAndEachFileIsForItsOwnersOnly() throws {
        let account = try Account()
        try account.writeManifests(escrow: false)
        let applied = try account.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(!FileManager.default.fileExists(atPath: account.sandbox.path("secrets/small-2.age")))
        let ids = try account.clientIds()
        #expect(try account.open("secrets/small/\(ids["qa"]!).age", with: "sam") != nil)
        #expect(try account.open("secrets/small/\(ids["qa"]!).age", with: "escrow") == nil)
    }

    @Test func aChangeOfRecipientsIsPlannedRekeyedAndReviewed() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        let qa = "secrets/small/\(ids["qa"]!).age"
        try account.writeManifests(sam: "sam-new")

        // The plan counts the files to rekey, for what its actors can see.
        let plan = try account.run(["plan", "--state", "state.json", "--as", Small.sam])
        #expect(plan.stdout.contains("1 sealed file to rekey: the manifests changed who may open it"), "\(plan.stdout)")
        let json = try account.run(["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"])
        #expect(json.stdout.contains("\"rekey\": {\n    \"files\": 1\n  }"), "\(json.stdout)")
        let markdown = try account.run(["plan", "--state", "state.json", "--as", Small.sam, "--format", "markdown"])
        #expect(markdown.stdout.contains("> **1 sealed file to rekey: the manifests changed who may open it**"))

        // A dry run lists them and writes nothing.
        let before = try account.sandbox.snapshot()
        let dry = try account.run(["rekey", "--state", "state.json", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("1 sealed file to rekey (dry run: nothing written):"))
        #expect(dry.stdout.contains("~ \(qa)  sam@small.example/qa"))
        #expect(dry.stdout.contains("+ \(try account.fingerprint("sam-new")) (owner sam@small.example)"))
        #expect(dry.stdout.contains("- \(try account.fingerprint("sam")) (no longer declared)"))
        #expect(try account.sandbox.snapshot() == before)

        // A key that does not open the file stops the run before anything is written.
        let wrong = try account.run(["rekey", "--state", "state.json", "--identity", "alice.key"])
        #expect(wrong.status == 1)
        #expect(
            wrong.stderr
                == "\(qa): error: the key in alice.key is not one of this file's recipients; rekey with a key that "
                + "opens every file (the escrow's, settings.recipients); nothing was written\n"
        )
        #expect(try account.sandbox.snapshot() == before)

        let rekeyed = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(rekeyed.status == 0, "\(rekeyed.stderr)")
        #expect(rekeyed.stdout.contains("Rekeyed 1 sealed file:"))
        #expect(rekeyed.stdout.contains("State serial 3 committed."))
        #expect(
            rekeyed.stdout.contains("Rotate 1 credential: a removed recipient may still hold an old copy of its file"))
        #expect(
            rekeyed.stdout.contains("sam@small.example/qa (\(ids["qa"]!)): removed \(try account.fingerprint("sam"))"))
        // The new key opens the current file, the old one no longer does; the secret is the same.
        let opened = try #require(try account.open(qa, with: "sam-new"))
        #expect(try account.open(qa, with: "sam") == nil)
        #expect(try account.open(qa, with: "escrow") == opened)
        #expect(
            try account.sealedTo("qa")
                == [try account.fingerprint("sam-new"), try account.fingerprint("escrow")].sorted())
        #expect(try account.sandbox.read("secrets/small/index.json").contains(try account.fingerprint("sam-new")))
        #expect(!(try account.sandbox.read("secrets/small/index.json")).contains(try account.fingerprint("sam")))
        // The other files were not touched.
        #expect(
            try account.sandbox.snapshot()["secrets/small/\(ids["svc-feed"]!).age"]
                == before["secrets/small/\(ids["svc-feed"]!).age"])
        let audit = try account.sandbox.read("state.json.audit.jsonl")
        #expect(audit.contains("\"event\":\"rekeyed\""))
        #expect(audit.contains("\"actor\":\"identity:\(try account.fingerprint("escrow"))\""))

        let again = try account.run(["plan", "--state", "state.json", "--as", Self.alice])
        #expect(!again.stdout.contains("to rekey"))
        let nothing = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(
            nothing.stdout
                == "Nothing to rekey: every sealed file in secrets/small/ is for the recipients the manifests "
                + "declare.\n"
        )

        // readers: who can open what, with where each key is declared.
        let readers = try account.run(["readers", "--state", "state.json"])
        #expect(readers.status == 0)
        let samNew = try account.fingerprint("sam-new")
        let service = try account.fingerprint("service")
        let escrow = try account.fingerprint("escrow")
        #expect(readers.stdout.contains("  sam@small.example/qa (\(ids["qa"]!))\n"))
        #expect(readers.stdout.contains("      \(samNew)  owner sam@small.example\n"))
        #expect(readers.stdout.contains("      \(service)  credential\n"))
        #expect(readers.stdout.contains("      \(escrow)  escrow\n"))
        let readersJSON = try account.run(["readers", "--state", "state.json", "--format", "json"])
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(readersJSON.stdout.utf8)) as? [String: Any])
        let entries = try #require(parsed["credentials"] as? [[String: Any]])
        let qaEntry = try #require(entries.first { $0["name"] as? String == "qa" })
        let qaReaders = try #require(qaEntry["readers"] as? [[String: String]])
        #expect(qaReaders.contains { $0["fingerprint"] == samNew && $0["role"] == "owner" && $0["user"] == Small.sam })
        #expect(qaEntry["holding"] as? String == "own-file")
    }

    @Test func aSupervisorsPlanCountsOnlyItsOwnFiles() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        // Every file changes: the escrow is new.
        let newEscrow = try PeerTools.newKey("escrow2.key", in: account.sandbox)
        let text = try account.sandbox.read("manifests/account.yaml").replacingOccurrences(
            of: account.keys["escrow"]!, with: newEscrow)
        try account.sandbox.write("manifests/account.yaml", text)
        #expect(
            try account.run(["plan", "--state", "state.json", "--as", Small.sam]).stdout.contains(
                "2 sealed files to rekey"))
        #expect(
            try account.run(["plan", "--state", "state.json", "--as", Self.alice]).stdout.contains(
                "4 sealed files to rekey"))
        let rekeyed = try account.run([
            "rekey", "--state", "state.json", "--identity", "escrow.key", "--format", "json",
        ])
        #expect(rekeyed.status == 0, "\(rekeyed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(rekeyed.stdout.utf8)) as? [String: Any])
        #expect((json["files"] as? [Any])?.count == 4)
        #expect((json["rotate"] as? [String])?.count == 4)
        #expect(json["serial"] as? Int == 3)
        let ids = try account.clientIds()
        #expect(try account.open("secrets/small/\(ids["payments"]!).age", with: "escrow2") != nil)
        #expect(try account.open("secrets/small/\(ids["payments"]!).age", with: "escrow") == nil)
    }

    @Test func aFileThatIsNotTheCredentialsIsRefused() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        try account.writeManifests(sam: "sam-new")
        // Someone copied another credential's file over Sam's (both open with the escrow key).
        let qa = account.sandbox.path("secrets/small/\(ids["qa"]!).age")
        try FileManager.default.removeItem(atPath: qa)
        try FileManager.default.copyItem(
            atPath: account.sandbox.path("secrets/small/\(ids["payments"]!).age"), toPath: qa)
        let before = try account.sandbox.snapshot()
        let result = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "secrets/small/\(ids["qa"]!).age: error: does not hold the secret of credential \(ids["qa"]!) (it "
                    + "does not name the credential)"
            ))
        #expect(try account.sandbox.snapshot() == before)

        try FileManager.default.removeItem(atPath: qa)
        let missing = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("the sealed file of credential \(ids["qa"]!) is missing"))
        try FileManager.default.createSymbolicLink(
            atPath: qa, withDestinationPath: account.sandbox.path("secrets/small/\(ids["payments"]!).age"))
        let linked = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
        #expect(linked.status == 1)
        #expect(linked.stderr.contains("symbolic link"))
    }

    /// Bech32 of 32 zero bytes: a point of small order.
    static let lowOrder = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq5cu47z"

    @Test func recipientsAreCheckedWhereTheyAreWritten() throws {
        let account = try Account()
        let bad: [(String, String)] = [
            (
                "  - name: x\n    owner: sam@small.example\n    scopes: [users:read]\n    recipients: "
                    + "[\(account.keys["service"]!)]\n    additionalRecipients: [\(account.keys["alice"]!)]\n",
                "manifests/extra.yaml:9:5: error: credential 'x' has both 'recipients' (instead of the owner's) and "
                    + "'additionalRecipients' (as well as the owner's); keep one\n"
            ),
            (
                "  - name: x\n    owner: sam@small.example\n    scopes: [users:read]\n    recipients: [age1nope]\n",
                "manifests/extra.yaml:8:18: error: recipient: 'age1nope' is not an age X25519 recipient (age1..., as "
                    + "age-keygen prints)\n"
            ),
            // The all-zero point: well-formed, and nobody could open what is sealed for it.
            (
                "  - name: x\n    owner: sam@small.example\n    scopes: [users:read]\n    recipients: "
                    + "[\(Self.lowOrder)]\n",
                "manifests/extra.yaml:8:18: error: recipient: '\(Self.lowOrder)' is a low-order point: age seals "
                    + "nothing for it (no identity could open the file)\n"
            ),
        ]
        for (entry, expected) in bad {
            try account.sandbox.write(
                "manifests/extra.yaml",
                "credentials:\n" + "  - name: y\n    owner: sam@small.example\n    scopes: [users:read]\n" + entry)
            let before = try account.sandbox.snapshot()
            let result = try account.apply()
            #expect(result.status == 1)
            #expect(result.stderr == expected)
            #expect(try account.sandbox.snapshot() == before)
        }
        // validate says the same of a low-order key; --recipient before anything runs.
        try account.sandbox.write(
            "manifests/extra.yaml", "settings:\n  recipients: [\(Self.lowOrder)]\n")
        let validated = try account.run(["validate"])
        #expect(validated.status == 1)
        #expect(
            validated.stderr.hasPrefix(
                "manifests/extra.yaml:2:16: error: recipient: '\(Self.lowOrder)' is a low-order point"))
        try FileManager.default.removeItem(at: account.sandbox.url.appendingPathComponent("manifests/extra.yaml"))
        let before = try account.sandbox.snapshot()
        let flagged = try account.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--auto-approve", "--recipient", Self.lowOrder])
        #expect(flagged.status == 1)
        #expect(flagged.stderr.contains("--recipient: '\(Self.lowOrder)' is a low-order point"), "\(flagged.stderr)")
        #expect(try account.sandbox.snapshot() == before)
        // An identity pasted where a recipient belongs is refused without being echoed.
        let secretKey = try account.sandbox.read("alice.key").split(separator: "\n").first {
            $0.hasPrefix("AGE-SECRET-KEY-")
        }!
        try account.sandbox.write(
            "manifests/extra.yaml",
            "users:\n  - id: bob@small.example\n    name: Bob\n    license: admin\n    recipients: [\(secretKey)]\n")
        let pasted = try account.run(["validate"])
        #expect(pasted.status == 1)
        #expect(pasted.stderr.contains("an age identity (a private key) was given where a recipient belongs"))
        #expect(!pasted.stderr.contains(String(secretKey)))
    }

    @Test func aSavedPlanShowsTheFilesToRekeyAndADeletedCredentialLeavesTheIndex() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        try account.writeManifests(sam: "sam-new")
        let saved = try account.run(["plan", "--state", "state.json", "--as", Small.sam, "--out", "plan.json"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let shown = try account.run(["show", "plan.json"])
        #expect(shown.stdout.contains("1 sealed file to rekey"), "\(shown.stdout)")
        // Sam deletes qa: its file stays (a dead secret), the index and readers drop it.
        let manifests = try account.sandbox.read("manifests/account.yaml")
            .replacingOccurrences(
                of: "  - name: qa\n    owner: sam@small.example\n    scopes: [users:read]\n",
                with: "  - name: qa\n    owner: sam@small.example\n    ensure: absent\n")
        try account.sandbox.write("manifests/account.yaml", manifests)
        let deleted = try account.apply()
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("Sealed-output index updated: secrets/small/index.json."))
        #expect(!(try account.sandbox.read("secrets/small/index.json")).contains(ids["qa"]!))
        #expect(FileManager.default.fileExists(atPath: account.sandbox.path("secrets/small/\(ids["qa"]!).age")))
        #expect(!(try account.run(["readers", "--state", "state.json"])).stdout.contains(ids["qa"]!))
        // forget (drift learnt by hand) drops a credential from the index too.
        let forgot = try account.run([
            "forget", "--state", "state.json", "--as", Self.alice, ids["payments"]!, "--reason",
            "deleted in the portal",
        ])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(!(try account.sandbox.read("secrets/small/index.json")).contains(ids["payments"]!))
        #expect(try account.sandbox.read("secrets/small/index.json").contains(ids["shared"]!))
    }

    @Test func aSecretSealedBeforeItsOwnerHadRecipientsIsNamedAsSuch() throws {
        let account = try Account()
        let bundleOnly = try account.sandbox.read("manifests/account.yaml")
            .replacingOccurrences(of: "    recipients: [\(account.keys["sam"]!)]\n", with: "")
        try account.sandbox.write("manifests/account.yaml", bundleOnly)
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        #expect(try account.sealedTo("qa") == nil)
        #expect(!FileManager.default.fileExists(atPath: account.sandbox.path("secrets/small/\(ids["qa"]!).age")))
        try account.writeManifests()
        let readers = try account.run(["readers", "--state", "state.json"])
        #expect(
            readers.stdout.contains(
                "  sam@small.example/qa (\(ids["qa"]!))\n      no sealed file of its own: only in the escrow bundle "
                    + "of the apply that made it (if vcc-creds made it)\n      (the manifests now name recipients of "
                    + "its own: only a new secret reaches them; rotate it)\n"
            ), "\(readers.stdout)")
        // Nothing to rekey for it: there is no file.
        #expect(!(try account.run(["plan", "--state", "state.json", "--as", Small.sam])).stdout.contains("to rekey"))
    }

    @Test func aPortalSecretIsSealedForItsOwnersLikeAMintedOne() throws {
        let account = try Account()
        let state = try account.sandbox.read("state.json")
            .replacingOccurrences(of: "\"formatVersion\": 1,", with: "\"formatVersion\": 2,\n  \"pending\": [],")
            .replacingOccurrences(
                of: "\"apiCredentialsEnabled\": true,",
                with: "\"apiCredentialsEnabled\": true,\n    \"executor\": \"portal\",")
        try account.sandbox.write("state.json", state)
        let handed = try account.apply()
        #expect(handed.status == 0, "\(handed.stderr)")
        let secret = "Portal-Secret.0042-recipients"
        let clientId = "0e0f2d4c-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
        let recorded = try CLI.run(
            [
                "record", "--state", "state.json", "credential:sam@small.example/qa", "--client-id", clientId,
                "--no-verify",
            ],
            in: account.sandbox.url, stdin: secret + "\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("Secret of \(clientId) sealed in secrets/small/\(clientId).age"))
        #expect(recorded.stdout.contains("Secret of \(clientId) sealed in secrets/small-3.age"))
        let file = "secrets/small/\(clientId).age"
        #expect(try account.open(file, with: "sam")?.contains(secret) == true)
        #expect(try account.open(file, with: "alice") == nil)
        #expect(
            try account.sealedTo("qa") == [try account.fingerprint("sam"), try account.fingerprint("escrow")].sorted())
        #expect(try account.sandbox.read("secrets/small/index.json").contains(clientId))
    }

    /// A journal written by hand (its digest made to match) cannot make recovery put
    /// bytes over a sealed file or move a bundle: it names files no run of this state
    /// wrote, so it is refused and nothing is touched.
    @Test func aForgedJournalCannotReplaceOrRemoveSealedFiles() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        let root = account.sandbox.url.resolvingSymlinksInPath().path
        let stateBytes = Array(try Data(contentsOf: account.sandbox.url.appendingPathComponent("state.json")))
        let sha = try PeerTools.sha256Hex(String(decoding: stateBytes, as: UTF8.self))
        let lineage = try #require(try account.state()["lineage"] as? String)
        try account.sandbox.write("evil.age.rekey", "age-encryption.org/v1\ngarbage\n")
        let evil = try PeerTools.sha256Hex("age-encryption.org/v1\ngarbage\n")
        let zero = String(repeating: "0", count: 64)
        let forged = [
            // "Committed": put the attacker's bytes over Alice's live file.
            #"{"formatVersion":3,"lineage":"\#(lineage)","next":{"serial":2,"sha256":"\#(sha)"},"#
                + #""previous":{"serial":1,"sha256":"\#(zero)"},"#
                + #""replaced":[{"path":"\#(root)/secrets/small/\#(ids["payments"]!).age","sha256":"\#(evil)","#
                + #""staged":"\#(root)/evil.age.rekey"}]}"#,
            // "Not committed": move the escrow bundle away as a credential's new file.
            #"{"files":[{"path":"\#(root)/secrets/small-2.age","sha256":"\#(zero)"}],"formatVersion":3,"#
                + #""lineage":"\#(lineage)","next":{"serial":3,"sha256":"\#(zero)"},"previous":{"serial":2,"#
                + #""sha256":"\#(sha)"}}"#,
        ]
        let victim = account.sandbox.path("victim")
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try account.sandbox.write("victim/index.json", "{\"someone\": \"else\"}\n")
        let more = [
            // "Committed": rewrite an index.json that is not this state's.
            #"{"formatVersion":3,"index":"\#(root)/victim/index.json","lineage":"\#(lineage)","next":{"serial":2,"#
                + #""sha256":"\#(sha)"},"previous":{"serial":1,"sha256":"\#(zero)"}}"#,
            // "Committed": an index in a folder that does not exist (recovery creates none).
            #"{"formatVersion":3,"index":"\#(root)/nowhere/deep/index.json","lineage":"\#(lineage)","#
                + #""next":{"serial":2,"sha256":"\#(sha)"},"previous":{"serial":1,"sha256":"\#(zero)"}}"#,
            // "Not committed": a credential's own file named as the bundle.
            #"{"formatVersion":2,"lineage":"\#(lineage)","next":{"serial":3,"sha256":"\#(zero)"},"#
                + #""previous":{"serial":2,"sha256":"\#(sha)"},"#
                + #""sealed":{"path":"\#(root)/secrets/small/\#(ids["qa"]!).age","sha256":"\#(zero)"}}"#,
        ]
        for header in forged + more {
            let body = header + "\n"
            try account.sandbox.write(
                "state.json.pending", body + #"{"sha256":"\#(try PeerTools.sha256Hex(body))"}"# + "\n")
            let before = try account.sandbox.snapshot()
            let result = try account.run(["rekey", "--state", "state.json", "--identity", "escrow.key"])
            #expect(result.status == 1, "\(result.stdout)")
            #expect(result.stderr.contains("the sealed files it names do not fit the state"), "\(result.stderr)")
            #expect(!result.stderr.dropLast().contains("\n"))
            #expect(try account.sandbox.snapshot() == before)
        }
    }

    @Test func sealedPathsThatWouldOverwriteEachOtherAreRefused() throws {
        let account = try Account()
        let before = try account.sandbox.snapshot()
        let bundleOverIndex = try account.run([
            "apply", "--state", "state.json", "--as", Self.alice, "--as", Small.sam, "--auto-approve",
            "--sealed-out", "secrets/small/index.json",
        ])
        #expect(bundleOverIndex.status == 1)
        #expect(
            bundleOverIndex.stderr
                == "error: --sealed-out secrets/small/index.json: is the sealed folder's index.json, which apply "
                + "rewrites; choose another name; nothing was written\n"
        )
        // However the two are spelled, in a folder that does not exist yet.
        for (folder, out) in [
            ("./out/new", "out/new/index.json"), ("out/new/", "out/new/index.json"),
            ("out/x/../new", "out/new/index.json"),
        ] {
            let spelled = try account.run([
                "apply", "--state", "state.json", "--as", Self.alice, "--as", Small.sam, "--auto-approve",
                "--sealed-dir", folder, "--sealed-out", out,
            ])
            #expect(spelled.status == 1, "\(folder): \(spelled.stdout)")
            #expect(spelled.stderr.contains("is the sealed folder's index.json"), "\(folder): \(spelled.stderr)")
        }
        try FileManager.default.createDirectory(atPath: account.sandbox.path("st"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            atPath: account.sandbox.path("state.json"), toPath: account.sandbox.path("st/index.json"))
        let stateAsIndex = try account.run([
            "apply", "--state", "st/index.json", "--as", Self.alice, "--as", Small.sam, "--auto-approve",
            "--sealed-dir",
            "st",
        ])
        #expect(stateAsIndex.status == 1)
        #expect(stateAsIndex.stderr.hasPrefix("st/index.json: error: "), "\(stateAsIndex.stderr)")
        #expect(stateAsIndex.stderr.contains("is one of the files kept beside the state"))
        try FileManager.default.moveItem(
            atPath: account.sandbox.path("st/index.json"), toPath: account.sandbox.path("state.json"))
        // A link planted at the index is refused before the state is committed.
        try FileManager.default.createDirectory(
            atPath: account.sandbox.path("secrets/small"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: account.sandbox.path("secrets/small/index.json"), withDestinationPath: "../../elsewhere.json")
        let linked = try account.apply()
        #expect(linked.status == 1)
        #expect(linked.stderr.contains("secrets/small/index.json: error: "), "\(linked.stderr)")
        #expect(linked.stderr.contains("symbolic link"))
        var after = try account.sandbox.snapshot()
        after.removeValue(forKey: "secrets/small/index.json")
        #expect(after == before, "nothing written: \(Set(after.keys).symmetricDifference(before.keys))")
    }

    /// Sam's new key: his two sealed files are to be rekeyed, beside a create, in the
    /// formats a reviewer reads (golden files; the fixture's state and keys are fixed).
    @Test func aPlanWithFilesToRekeyAsReviewersReadIt() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("recipients")
        for (format, golden) in [("text", "recipients-rekey.txt"), ("markdown", "recipients-rekey.md")] {
            let plan = try CLI.run(
                ["plan", "--state", "state.json", "--as", Small.sam, "--format", format], in: sandbox.url,
                environment: Golden.clock)
            #expect(plan.status == 0, "\(plan.stderr)")
            try Golden.check(plan.stdout, golden)
        }
    }

    @Test func badInputToRekeyAndReadersIsOneLineAndWritesNothing() throws {
        let account = try Account()
        #expect(try account.apply().status == 0)
        let ids = try account.clientIds()
        try account.writeManifests(sam: "sam-new")
        try account.sandbox.write("not-a-key.txt", "hello\n")
        try account.sandbox.write("bad.json", "{\"formatVersion\": 3,\n  \"serial\": }\n")
        let qa = "secrets/small/\(ids["qa"]!).age"
        let sealed = try Data(contentsOf: account.sandbox.url.appendingPathComponent(qa))
        for (arguments, prefix, tamper) in [
            (["rekey", "--state", "bad.json", "--dry-run"], "bad.json:2:13: error: ", false),
            (["readers", "--state", "bad.json"], "bad.json:2:13: error: ", false),
            (["readers", "--state", "state.json", "--format", "xml"], "error: ", false),
            (["rekey", "--state", "state.json", "--identity", "not-a-key.txt"], "not-a-key.txt: error: ", false),
            (["rekey", "--state", "state.json", "--identity", "nope.key"], "nope.key: error: ", false),
            (["rekey", "--state", "state.json"], "error: ", false),
            (["rekey", "--state", "state.json", "--identity", "escrow.key"], "\(qa): error: ", true),
        ] {
            if tamper {
                var bytes = [UInt8](sealed)
                bytes[bytes.count - 5] ^= 0x01
                try Data(bytes).write(to: account.sandbox.url.appendingPathComponent(qa))
            }
            let before = try account.sandbox.snapshot()
            let result = try account.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.stdout)")
            #expect(result.stderr.hasPrefix(prefix), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.dropLast().contains("\n"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(try account.sandbox.snapshot() == before, "\(arguments)")
        }
    }

    @Test func aCreateThatReachesNobodyIsRefusedBeforeAnythingIsWritten() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--state", "state.json", "--as", Self.alice, "--auto-approve"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: the plan creates 1 credential (alice@small.example/reporting) but no age recipient is "
                + "configured for it: add users[].recipients (its owner's keys) or settings.recipients (escrow) "
                + "to the manifests, or pass --recipient age1...; nothing was written\n"
        )
        #expect(try sandbox.snapshot() == before)
    }
}
