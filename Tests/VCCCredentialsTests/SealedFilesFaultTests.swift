import AgeEncryption
import Foundation
import Testing
import VCCCredentials

/// A failure at every single write step of an apply that seals per-credential files,
/// and of a rekey, keeps the promises: the state is the old one or the next, whole;
/// every credential it records a sealed file of has that file, whole, holding its
/// secret, readable by the old recipients or the new ones (never by nobody); a rerun
/// finishes the job and leaves no journal or staged file.
@Suite struct SealedFilesFaultTests {
    /// The small account, Alice and Sam each with a key of their own, an escrow key,
    /// and manifests that create two credentials each.
    final class Account {
        let root: URL
        let keys: [String: X25519Identity]

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("vcc-sealed-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("manifests"), withIntermediateDirectories: true)
            var keys: [String: X25519Identity] = [:]
            for (seed, name) in ["alice", "sam", "escrow", "sam-new"].enumerated() {
                keys[name] = X25519Identity.generate(random: { SeededRandom(seed: UInt64(100 + seed)).randomBytes($0) })
            }
            self.keys = keys
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("EndToEndTests/Fixtures/small/state.json")
            try FileManager.default.copyItem(at: fixture, to: root.appendingPathComponent("state.json"))
            try Data(keys["escrow"]!.secretKeyString.utf8).write(to: root.appendingPathComponent("escrow.key"))
            try writeManifests(sam: "sam")
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

        func writeManifests(sam: String) throws {
            let text = """
                account: small
                settings:
                  recipients: [\(keys["escrow"]!.recipient)]
                users:
                  - {id: alice@small.example, name: Alice, license: admin, recipients: [\(keys["alice"]!.recipient)]}
                  - {id: sam@small.example, name: Sam, license: supervisor, recipients: [\(keys[sam]!.recipient)]}
                credentials:
                  - {name: a1, owner: alice@small.example, scopes: [stats]}
                  - {name: a2, owner: alice@small.example, scopes: [globalpci]}
                  - {name: s1, owner: sam@small.example, scopes: [users:read]}
                  - {name: s2, owner: sam@small.example, scopes: [interaction-content:read]}

                """
            try Data(text.utf8).write(to: root.appendingPathComponent("manifests/account.yaml"))
        }

        func environment(_ fileSystem: any FileSystem = LocalFileSystem(), seed: UInt64 = 1) -> SystemEnvironment {
            SystemEnvironment(fileSystem: fileSystem, clock: ApplySandbox.clock, random: SeededRandom(seed: seed))
        }

        func apply(_ fileSystem: any FileSystem = LocalFileSystem(), seed: UInt64 = 1) throws -> ApplyResult {
            try Applier(environment: environment(fileSystem, seed: seed)).apply(
                ApplyOptions(
                    manifests: path("manifests"), statePath: path("state.json"),
                    actors: ["alice@small.example", "sam@small.example"], sealedOut: path("secrets/bundle.age"),
                    sealedDir: path("secrets/small"), approval: .automatic))
        }

        func rekey(_ fileSystem: any FileSystem = LocalFileSystem(), seed: UInt64 = 1) throws -> Rekeyer.Result {
            try Rekeyer(environment: environment(fileSystem, seed: seed)).rekey(
                RekeyOptions(
                    statePath: path("state.json"), manifests: path("manifests"), identityFile: path("escrow.key"),
                    sealedDir: path("secrets/small")))
        }

        func state() throws -> State { try StateStore().load(path("state.json")).state }

        func bytes(_ relative: String) throws -> [UInt8] {
            Array(try Data(contentsOf: root.appendingPathComponent(relative)))
        }

        /// Which of `names` open the credential's file; the file must be whole and hold
        /// the credential's secret (opened with the escrow key, which every file is for).
        func readers(of credential: Credential, among names: [String], step: String) throws -> Set<String> {
            let file = try bytes("secrets/small/\(credential.clientId).age")
            let plaintext = try Age.decrypt(file, identities: [keys["escrow"]!])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: Any])
            let entries = try #require(json["credentials"] as? [[String: Any]])
            #expect(entries.count == 1 && entries[0]["clientId"] as? String == credential.clientId, "\(step)")
            let secret = try #require(entries[0]["clientSecret"] as? String)
            #expect(
                Digest.sha256Hex(Array(secret.utf8)) == credential.secretSha256,
                "secret of \(credential.name) after \(step)")
            return Set(names.filter { (try? Age.decrypt(file, identities: [keys[$0]!])) != nil })
        }

        func leftovers() throws -> [String] {
            let names = try FileManager.default.contentsOfDirectory(atPath: path("secrets/small"))
            return names.filter { $0.hasSuffix(".rekey") || $0.hasSuffix(".tmp") }
                + (FileManager.default.fileExists(atPath: path("state.json.pending")) ? ["state.json.pending"] : [])
        }
    }

    @Test func everyWriteStepOfASealingApplyCanFailSafely() throws {
        let counting = FaultyFileSystem()
        _ = try Account().apply(counting)
        let steps = counting.operations
        #expect(steps.filter { $0.hasPrefix("create ") && $0.hasSuffix(".age") }.count >= 4, "\(steps)")
        let pristine = try Account().bytes("state.json")
        for (index, step) in steps.enumerated() {
            let account = try Account()
            #expect(throws: (any Error).self, "step \(index) (\(step)) did not fail the apply") {
                _ = try account.apply(FaultyFileSystem(failAt: index))
            }
            let failure = "failure at \(index) (\(step))"
            let state = try account.state()
            #expect([1, 2].contains(state.serial), "\(failure)")
            if state.serial == 1 { #expect(try account.bytes("state.json") == pristine, "\(failure)") }
            for credential in state.credentials where credential.sealedTo != nil {
                _ = try account.readers(of: credential, among: [], step: failure)
            }
            _ = try account.apply(seed: 2)
            let final = try account.state()
            #expect(final.serial == 2, "rerun after \(failure)")
            #expect(
                final.credentials.count == 4 && final.credentials.allSatisfy { $0.sealedTo?.count == 2 }, "\(failure)")
            for credential in final.credentials {
                let owner = credential.owner == "sam@small.example" ? "sam" : "alice"
                #expect(
                    try account.readers(of: credential, among: ["alice", "sam"], step: failure) == [owner], "\(failure)"
                )
            }
            // The files of recorded credentials, their index, and those an interrupted run
            // sealed for credentials it never recorded, set aside.
            let names = Set(try FileManager.default.contentsOfDirectory(atPath: account.path("secrets/small")))
            let aside = names.filter { $0.hasSuffix(".interrupted.age") }
            #expect(
                names.subtracting(aside) == Set(final.credentials.map { "\($0.clientId).age" } + ["index.json"]),
                "\(failure): \(names)")
            #expect(
                aside.allSatisfy { name in !final.credentials.contains { name.hasPrefix($0.clientId) } }, "\(failure)")
            let index = String(decoding: try account.bytes("secrets/small/index.json"), as: UTF8.self)
            #expect(final.credentials.allSatisfy { index.contains($0.clientId) }, "\(failure)")
            #expect(try account.leftovers().isEmpty, "\(failure)")
        }
    }

    @Test func everyWriteStepOfARekeyCanFailSafely() throws {
        let probe = try Account()
        _ = try probe.apply()
        try probe.writeManifests(sam: "sam-new")
        let counting = FaultyFileSystem()
        let probed = try probe.rekey(counting)
        #expect(probed.items.count == 2)
        let steps = counting.operations
        #expect(steps.contains { $0.hasPrefix("rename -> ") && $0.hasSuffix(".age") }, "\(steps)")

        for (index, step) in steps.enumerated() {
            let account = try Account()
            _ = try account.apply()
            try account.writeManifests(sam: "sam-new")
            let before = try account.bytes("state.json")
            #expect(throws: (any Error).self, "step \(index) (\(step)) did not fail the rekey") {
                _ = try account.rekey(FaultyFileSystem(failAt: index))
            }
            let failure = "failure at \(index) (\(step))"
            let state = try account.state()
            #expect([2, 3].contains(state.serial), "\(failure)")
            if state.serial == 2 { #expect(try account.bytes("state.json") == before, "\(failure)") }
            // Each of Sam's files is the old one or the new one, whole: never readable by
            // nobody; and the old one while the state is the old one.
            for credential in state.credentials where credential.owner == "sam@small.example" {
                let readers = try account.readers(of: credential, among: ["sam", "sam-new"], step: failure)
                #expect(readers == ["sam"] || (readers == ["sam-new"] && state.serial == 3), "\(failure): \(readers)")
            }
            _ = try account.rekey(seed: 2)
            let final = try account.state()
            #expect(final.serial == 3, "rerun after \(failure)")
            let fingerprints = [account.keys["sam-new"]!, account.keys["escrow"]!].map {
                RecipientFingerprint.of($0.recipient)
            }.sorted()
            for credential in final.credentials where credential.owner == "sam@small.example" {
                #expect(
                    try account.readers(of: credential, among: ["sam", "sam-new"], step: failure) == ["sam-new"],
                    "\(failure)")
                #expect(credential.sealedTo == fingerprints, "\(failure)")
            }
            for credential in final.credentials where credential.owner == "alice@small.example" {
                #expect(try account.readers(of: credential, among: ["alice"], step: failure) == ["alice"], "\(failure)")
            }
            let index = String(decoding: try account.bytes("secrets/small/index.json"), as: UTF8.self)
            #expect(index.contains(fingerprints[0]) && index.contains("\"serial\": 3"), "\(failure)")
            #expect(try account.leftovers().isEmpty, "\(failure)")
            let audit = String(decoding: try account.bytes("state.json.audit.jsonl"), as: UTF8.self)
            #expect(audit.components(separatedBy: "\"event\":\"rekeyed\"").count == 3, "\(failure): two rekeyed lines")
        }
    }
}
