import Testing
import VCCCredentials

/// Rotation in the state (format 4): `predecessors` and `overlapEndsAt` read exactly,
/// written back byte for byte, and links that cannot be followed one way refused.
@Suite struct RotationStateTests {
    static let alice = "alice@acme.example"
    static let old = "00000000-0000-4000-8000-000000000001"
    static let new = "00000000-0000-4000-8000-000000000002"

    static func credential(
        _ clientId: String, owner: String? = alice, predecessors: [String] = [], overlapEndsAt: Timestamp? = nil
    ) -> Credential {
        Credential(
            clientId: clientId, name: "reporting", level: owner == nil ? .account : .user, owner: owner,
            scopes: [.stats], secretSha256: String(repeating: "ab", count: 32), predecessors: predecessors,
            overlapEndsAt: overlapEndsAt, createdAt: Timestamp(seconds: 1_800_000_000), createdBy: alice,
            updatedAt: Timestamp(seconds: 1_800_000_000))
    }

    static func state(_ credentials: [Credential]) -> State {
        State(
            lineage: "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d", serial: 3,
            account: Account(id: "acme", apiCredentialsEnabled: true),
            users: [
                User(id: alice, name: "Alice", license: .admin),
                User(id: "sam@acme.example", name: "Sam", license: .supervisor),
            ],
            credentials: credentials)
    }

    static func errors(_ state: State) -> [String] {
        do {
            _ = try StateCodec.decode(StateCodec.encode(state), file: "state.json")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aRotatingPairRoundTripsInFormatFour() throws {
        let ends = Timestamp(seconds: 1_800_604_800)
        let state = Self.state([
            Self.credential(Self.old), Self.credential(Self.new, predecessors: [Self.old], overlapEndsAt: ends),
        ])
        #expect(state.formatVersion == 4)
        let bytes = StateCodec.encode(state)
        let read = try StateCodec.decode(bytes, file: "state.json")
        #expect(read.credentials[1].predecessors == [Self.old])
        #expect(read.credentials[1].overlapEndsAt == ends)
        #expect(read.credentials[1].livePredecessor == Self.old)
        #expect(StateCodec.encode(read) == bytes)
        // Without rotation the older format is written, as before.
        #expect(Self.state([Self.credential(Self.old)]).formatVersion == 1)
    }

    @Test func linksThatLoopOrBranchAreRefused() {
        let ends = Timestamp(seconds: 1_800_604_800)
        let itself = Self.errors(Self.state([Self.credential(Self.old, predecessors: [Self.old])]))
        #expect(itself.contains { $0.contains("lists itself among its predecessors") }, "\(itself)")
        let twice = Self.errors(
            Self.state([
                Self.credential(Self.old, predecessors: ["00000000-0000-4000-8000-000000000009"]),
                Self.credential(Self.new, predecessors: ["00000000-0000-4000-8000-000000000009"]),
            ]))
        #expect(twice.contains { $0.contains("a credential is replaced once") }, "\(twice)")
        let loop = Self.errors(
            Self.state([
                Self.credential(Self.old, predecessors: [Self.new], overlapEndsAt: ends),
                Self.credential(Self.new, predecessors: [Self.old], overlapEndsAt: ends),
            ]))
        #expect(loop.contains { $0.contains("itself still overlapping") }, "\(loop)")
        let stranger = Self.errors(
            Self.state([
                Self.credential(Self.old, owner: "sam@acme.example"),
                Self.credential(Self.new, predecessors: [Self.old], overlapEndsAt: ends),
            ]))
        #expect(stranger.contains { $0.contains("which has another owner") }, "\(stranger)")
        // An account-level predecessor of a user-level successor is a migration: allowed.
        #expect(
            Self.errors(
                Self.state([
                    Self.credential(Self.old, owner: nil),
                    Self.credential(Self.new, predecessors: [Self.old], overlapEndsAt: ends),
                ])) == [])
        let orphan = Self.errors(Self.state([Self.credential(Self.new, overlapEndsAt: ends)]))
        #expect(orphan.contains { $0.contains("'overlapEndsAt' without 'predecessors'") }, "\(orphan)")
    }
}
