import Foundation
import Testing
import VCCCredentials

/// States written out by hand in canonical form, so tests can point at exact lines
/// and columns.
enum StateSamples {
    static let lineage = "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d"
    static let shaA = "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389"
    static let shaB = "bebf1b31f3bf51027a6c361eb84124854fc2043673dba6726b2fba1e5f458c84"
    static let id1 = "10000000-0000-4000-8000-000000000001"
    static let id2 = "20000000-0000-4000-8000-000000000002"

    static func stamp(_ text: String) -> Timestamp { Timestamp(text)! }

    /// One admin user, one user-level credential.
    static let single = State(
        lineage: lineage, serial: 3, account: Account(id: "acme", apiCredentialsEnabled: true),
        users: [User(id: "alice", name: "Alice", license: .admin)],
        credentials: [
            Credential(
                clientId: id1, name: "crm-sync", level: .user, owner: "alice", scopes: [.stats], secretSha256: shaA,
                createdAt: stamp("2026-01-02T03:04:05Z"), createdBy: "alice", updatedAt: stamp("2026-01-02T03:04:05Z"))
        ])

    /// `single`, encoded. Line numbers used by the rejection tests:
    /// 2 account, 3 apiCredentialsEnabled, 4 account id, 7 credential, 8 clientId,
    /// 9 createdAt, 10 createdBy, 11 level, 12 name, 13 owner, 14 scopes, 15 "stats",
    /// 17 secretSha256, 18 updatedAt, 21 formatVersion, 22 lineage, 23 serial, 24 users,
    /// 25 user, 26 id, 27 license, 28 name.
    static let singleText = """
        {
          "account": {
            "apiCredentialsEnabled": true,
            "id": "acme"
          },
          "credentials": [
            {
              "clientId": "10000000-0000-4000-8000-000000000001",
              "createdAt": "2026-01-02T03:04:05Z",
              "createdBy": "alice",
              "level": "user",
              "name": "crm-sync",
              "owner": "alice",
              "scopes": [
                "stats"
              ],
              "secretSha256": "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389",
              "updatedAt": "2026-01-02T03:04:05Z"
            }
          ],
          "formatVersion": 1,
          "lineage": "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d",
          "serial": 3,
          "users": [
            {
              "id": "alice",
              "license": "admin",
              "name": "Alice"
            }
          ]
        }

        """

    /// Two users and two credentials, one of them account level, built out of order.
    static let pair = State(
        lineage: lineage, serial: 12, account: Account(id: "acme-prod", apiCredentialsEnabled: false),
        users: [
            User(id: "bob@acme.example", name: "Bob", license: .supervisor),
            User(id: "alice@acme.example", name: "Alice Example", license: .admin),
        ],
        credentials: [
            Credential(
                clientId: id2, name: "crm \"sync\"", level: .user, owner: "bob@acme.example",
                scopes: [.usersRead, .interactionContentRead], secretSha256: shaB,
                createdAt: stamp("2026-02-03T04:05:06Z"), createdBy: "bob@acme.example",
                updatedAt: stamp("2026-02-03T04:05:06Z")),
            Credential(
                clientId: id1, name: "legacy", level: .account, owner: nil, scopes: [.stats, .agentsAvailabilityRead],
                secretSha256: shaA, createdAt: stamp("2025-12-31T23:59:59Z"), createdBy: "alice@acme.example",
                updatedAt: stamp("2026-01-01T00:00:00Z")),
        ])

    /// `pair`, encoded. Lines: 7 first credential (account level, no owner), 20 second
    /// credential, 26 its owner, 39 first user, 44 second user, 45 its id.
    static let pairText = """
        {
          "account": {
            "apiCredentialsEnabled": false,
            "id": "acme-prod"
          },
          "credentials": [
            {
              "clientId": "10000000-0000-4000-8000-000000000001",
              "createdAt": "2025-12-31T23:59:59Z",
              "createdBy": "alice@acme.example",
              "level": "account",
              "name": "legacy",
              "scopes": [
                "agents-availability:read",
                "stats"
              ],
              "secretSha256": "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389",
              "updatedAt": "2026-01-01T00:00:00Z"
            },
            {
              "clientId": "20000000-0000-4000-8000-000000000002",
              "createdAt": "2026-02-03T04:05:06Z",
              "createdBy": "bob@acme.example",
              "level": "user",
              "name": "crm \\"sync\\"",
              "owner": "bob@acme.example",
              "scopes": [
                "interaction-content:read",
                "users:read"
              ],
              "secretSha256": "bebf1b31f3bf51027a6c361eb84124854fc2043673dba6726b2fba1e5f458c84",
              "updatedAt": "2026-02-03T04:05:06Z"
            }
          ],
          "formatVersion": 1,
          "lineage": "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d",
          "serial": 12,
          "users": [
            {
              "id": "alice@acme.example",
              "license": "admin",
              "name": "Alice Example"
            },
            {
              "id": "bob@acme.example",
              "license": "supervisor",
              "name": "Bob"
            }
          ]
        }

        """
}

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

// MARK: - Codec

@Suite struct StateCodecTests {
    @Test func exampleStateIsCanonical() throws {
        let path = DomainSamples.packageRoot + "/examples/acme/state.json"
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let state = try StateCodec.decode(bytes, file: path)
        #expect(state.formatVersion == 1)
        #expect(state.lineage == "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d")
        #expect(state.serial == 7)
        #expect(state.account == Account(id: "acme", apiCredentialsEnabled: true))
        #expect(state.users.count == 7)
        #expect(state.credentials.count == 7)
        let legacy = try #require(state.credentials.first { $0.name == "wallboard-legacy" })
        #expect(legacy.level == .account)
        #expect(legacy.owner == nil)
        let pci = try #require(state.credentials.first { $0.name == "pci-gateway" })
        #expect(pci.scopes == [.globalpci, .interactionsWrite])
        #expect(pci.owner == "bob@acme.example")
        #expect(pci.createdAt.text == "2026-05-20T08:30:00Z")
        #expect(StateCodec.encode(state) == bytes)
    }

    @Test func encodeWritesTheCanonicalLayout() {
        #expect(text(StateCodec.encode(StateSamples.single)) == StateSamples.singleText)
        #expect(text(StateCodec.encode(StateSamples.pair)) == StateSamples.pairText)
    }

    @Test func encodeSortsUsersCredentialsAndScopes() {
        var shuffled = StateSamples.pair
        shuffled.users.reverse()
        shuffled.credentials.reverse()
        #expect(StateCodec.encode(shuffled) == StateCodec.encode(StateSamples.pair))
        let output = text(StateCodec.encode(StateSamples.pair))
        let alice = output.range(of: "\"alice@acme.example\",\n      \"license\"")
        let bob = output.range(of: "\"bob@acme.example\",\n      \"license\"")
        #expect(alice != nil && bob != nil && alice!.lowerBound < bob!.lowerBound)
        #expect(output.range(of: StateSamples.id1)!.lowerBound < output.range(of: StateSamples.id2)!.lowerBound)
        #expect(output.hasSuffix("}\n"))
        #expect(!output.hasSuffix("\n\n"))
    }

    @Test func accountLevelCredentialHasNoOwnerKey() {
        let output = text(StateCodec.encode(StateSamples.pair))
        let first = output.range(of: "\"level\": \"account\"")!
        let next = output.range(of: "\"level\": \"user\"")!
        #expect(!output[first.lowerBound..<next.lowerBound].contains("owner"))
        // Exactly one owner key: the user-level credential's.
        #expect(output.components(separatedBy: "\"owner\"").count == 2)
    }

    @Test func decodeReadsTheCanonicalText() throws {
        let state = try StateCodec.decode(Array(StateSamples.pairText.utf8), file: "state.json")
        #expect(state == StateSamples.pair.sorted())
        #expect(state.credentials[1].name == "crm \"sync\"")
        #expect(try StateCodec.decode(Array(StateSamples.singleText.utf8), file: "state.json") == StateSamples.single)
    }

    @Test func encodeDecodeIsByteStable() throws {
        for state in [StateSamples.single, StateSamples.pair] {
            let first = StateCodec.encode(state)
            let decoded = try StateCodec.decode(first, file: "state.json")
            #expect(decoded == state.sorted())
            #expect(StateCodec.encode(decoded) == first)
        }
    }

    @Test func emptyAccountEncodesEmptyArrays() throws {
        let state = State(
            lineage: StateSamples.lineage, serial: 0, account: Account(id: "acme", apiCredentialsEnabled: true),
            users: [], credentials: [])
        let expected = """
            {
              "account": {
                "apiCredentialsEnabled": true,
                "id": "acme"
              },
              "credentials": [],
              "formatVersion": 1,
              "lineage": "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d",
              "serial": 0,
              "users": []
            }

            """
        #expect(text(StateCodec.encode(state)) == expected)
        #expect(try StateCodec.decode(Array(expected.utf8), file: "s") == state)
    }

    @Test func nonCanonicalButValidInputIsAcceptedAndCanonicalizedOnWrite() throws {
        // Compact, keys and arrays out of order, scopes out of order.
        let compact = """
            {"users":[{"name":"Bob","license":"supervisor","id":"bob@acme.example"},{"license":"admin","name":"Alice \
            Example","id":"alice@acme.example"}],"serial":12,"lineage":"2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d",\
            "formatVersion":1,"credentials":[{"updatedAt":"2026-02-03T04:05:06Z",\
            "secretSha256":"bebf1b31f3bf51027a6c361eb84124854fc2043673dba6726b2fba1e5f458c84","scopes":["users:read",\
            "interaction-content:read"],"owner":"bob@acme.example","name":"crm \\"sync\\"","level":"user",\
            "createdBy":"bob@acme.example","createdAt":"2026-02-03T04:05:06Z",\
            "clientId":"20000000-0000-4000-8000-000000000002"},{"clientId":"10000000-0000-4000-8000-000000000001",\
            "createdAt":"2025-12-31T23:59:59Z","createdBy":"alice@acme.example","level":"account","name":"legacy",\
            "scopes":["stats","agents-availability:read"],\
            "secretSha256":"5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389",\
            "updatedAt":"2026-01-01T00:00:00Z"}],"account":{"id":"acme-prod","apiCredentialsEnabled":false}}
            """
        let state = try StateCodec.decode(Array(compact.utf8), file: "state.json")
        #expect(state.sorted() == StateSamples.pair.sorted())
        #expect(text(StateCodec.encode(state)) == StateSamples.pairText)
    }

    @Test func stringsWithSpecialCharactersRoundTrip() throws {
        var state = StateSamples.single
        state.users[0].name = "Zoë \"Z\" O'Brien \\ slash 日本"
        let bytes = StateCodec.encode(state)
        #expect(text(bytes).contains(#""name": "Zoë \"Z\" O'Brien \\ slash 日本""#))
        let decoded = try StateCodec.decode(bytes, file: "state.json")
        #expect(decoded == state)
        #expect(StateCodec.encode(decoded) == bytes)
    }
}

// MARK: - Store

@Suite struct StateStoreTests {
    let store = StateStore(environment: .live)

    private func tempFiles(in folder: ScratchFolder) throws -> [String] {
        try folder.entries().filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
    }

    @Test func createThenLoadRoundTrips() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("state.json")
        try store.create(StateSamples.pair, at: path)
        let bytes = try folder.read("state.json")
        #expect(bytes == Array(StateSamples.pairText.utf8))
        let loaded = try store.load(path)
        #expect(loaded.path == path)
        #expect(loaded.state == StateSamples.pair.sorted())
        #expect(loaded.bytes == bytes)
        #expect(loaded.sha256 == Digest.sha256Hex(bytes))
        #expect(loaded.sha256.count == 64)
        #expect(try folder.entries() == ["state.json"])
    }

    @Test func loadedDigestIsTheSHA256OfTheFileBytes() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // SHA-256 test vectors (FIPS 180-2), so the digest is checked against known values.
        #expect(
            Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // A valid but non-canonical file: the digest is of the bytes as they are on disk.
        let bytes = Array(StateSamples.singleText.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        try folder.write("state.json", bytes: bytes)
        let loaded = try store.load(folder.file("state.json"))
        #expect(loaded.bytes == bytes)
        #expect(loaded.sha256 == Digest.sha256Hex(bytes))
        #expect(loaded.sha256 != Digest.sha256Hex(StateCodec.encode(loaded.state)))
    }

    @Test func createRefusesAnExistingFileAndLeavesItUntouched() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("state.json")
        try folder.write("state.json", "precious\n")
        let error = #expect(throws: StateError.self) {
            try store.create(StateSamples.single, at: path)
        }
        guard case .alreadyExists(let reported)? = error else {
            Issue.record("expected alreadyExists, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(error?.description == "\(path): error: already exists; init never overwrites anything")
        #expect(try folder.read("state.json") == Array("precious\n".utf8))
        #expect(try folder.entries() == ["state.json"])

        // Also a directory, or a symlink (even a dangling one): never written through.
        try folder.makeDirectory("dir.json")
        try folder.symlink("link.json", to: "nowhere.json")
        for name in ["dir.json", "link.json"] {
            let error = #expect(throws: StateError.self) {
                try store.create(StateSamples.single, at: folder.file(name))
            }
            guard case .alreadyExists? = error else {
                Issue.record("\(name): expected alreadyExists, got \(String(describing: error))")
                continue
            }
        }
        #expect(try folder.entries() == ["dir.json", "link.json", "state.json"])
    }

    @Test func commitKeepsTheExactPreviousBytesAsBackup() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("state.json")
        // A valid state written by hand, not in canonical form: the backup must keep
        // these bytes exactly, not a re-encoding.
        let original = Array(StateSamples.singleText.replacingOccurrences(of: "  ", with: "\t").utf8)
        try folder.write("state.json", bytes: original)
        let first = try store.load(path)

        var next = first.state
        next.serial += 1
        next.users.append(User(id: "bob", name: "Bob", license: .supervisor))
        try store.commit(encoded: StateCodec.encode(next), replacing: first, permissions: .new(0o644))

        #expect(try folder.read("state.json.backup") == original)
        #expect(try folder.read("state.json") == StateCodec.encode(next))
        #expect(try folder.entries() == ["state.json", "state.json.backup"])
        #expect(try tempFiles(in: folder).isEmpty)
        #expect(StateStore.backupPath(for: path) == path + ".backup")

        // A second commit moves the backup along.
        let second = try store.load(path)
        #expect(second.state == next)
        var third = second.state
        third.serial += 1
        third.account.apiCredentialsEnabled = false
        try store.commit(encoded: StateCodec.encode(third), replacing: second, permissions: .kept(0o600))
        #expect(try folder.read("state.json.backup") == StateCodec.encode(next))
        #expect(try store.load(path).state == third)
        #expect(try folder.entries() == ["state.json", "state.json.backup"])
        // The mode asked for, exactly, on both: a private state keeps its backup private.
        for name in ["state.json", "state.json.backup"] {
            let mode = try FileManager.default.attributesOfItem(atPath: folder.file(name))[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test func loadOfAMissingFileIsNotFound() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = folder.file("missing.json")
        let error = #expect(throws: StateError.self) {
            _ = try store.load(path)
        }
        guard case .notFound(let reported)? = error else {
            Issue.record("expected notFound, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(
            error?.description
                == "\(path): error: no such state file; create one with 'vcc-creds init --state \(path) --account ID'")
    }

    @Test func loadOfAnInvalidFileReportsDiagnostics() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "state.json", StateSamples.singleText.replacingOccurrences(of: "\"serial\": 3", with: "\"serial\": -3"))
        let path = folder.file("state.json")
        do {
            _ = try store.load(path)
            Issue.record("expected an invalid state")
        } catch {
            guard case .invalid(let diagnostics) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(
                diagnostics.diagnostics.map(\.description) == [
                    "\(path):23:13: error: serial must be at least 0, not -3"
                ])
            #expect(error.description == "\(path):23:13: error: serial must be at least 0, not -3")
        }
        // A directory is a file-system error, not "not found".
        try folder.makeDirectory("dir")
        let directoryError = #expect(throws: StateError.self) {
            _ = try store.load(folder.file("dir"))
        }
        guard case .fileSystem? = directoryError else {
            Issue.record("expected a file-system error, got \(String(describing: directoryError))")
            return
        }
    }

    @Test func createInAMissingFolderFailsWithoutLeavingFiles() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let error = #expect(throws: StateError.self) {
            try store.create(StateSamples.single, at: folder.file("no/such/state.json"))
        }
        guard case .fileSystem? = error else {
            Issue.record("expected a file-system error, got \(String(describing: error))")
            return
        }
        #expect(try folder.entries().isEmpty)
    }
}
