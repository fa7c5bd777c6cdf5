import Testing

@testable import VCCCredentials

/// State format 2: an executor, open portal steps, credentials without a digest; each
/// read strictly, and round-tripped exactly.
@Suite struct PendingStateTests {
    static let step = """
        {
              "action": "update",
              "by": "alice",
              "dependsOn": [],
              "id": "credential:10000000-0000-4000-8000-000000000001",
              "kind": "credential",
              "planDigest": "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389",
              "plannedAt": "2026-02-03T04:05:06Z",
              "target": {
                "clientId": "10000000-0000-4000-8000-000000000001",
                "level": "user",
                "name": "crm-sync",
                "owner": "alice"
              },
              "to": {
                "name": "crm-sync",
                "scopes": [
                  "stats",
                  "users:read"
                ]
              }
            }
        """

    /// The single-credential sample as a portal account's state with one open step.
    static func portalText(step: String = step, version: Int = 2) -> String {
        StateSamples.singleText
            .replacingOccurrences(of: "\"formatVersion\": 1", with: "\"formatVersion\": \(version)")
            .replacingOccurrences(
                of: "\"apiCredentialsEnabled\": true,",
                with: "\"apiCredentialsEnabled\": true,\n    \"executor\": \"portal\","
            )
            .replacingOccurrences(of: "  \"serial\": 3,", with: "  \"pending\": [\n    \(step)\n  ],\n  \"serial\": 3,")
    }

    static func errors(_ text: String) -> [String] {
        do {
            _ = try StateCodec.decode(Array(text.utf8), file: "state.json")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aPortalStateRoundTripsExactly() throws {
        let text = Self.portalText()
        let state = try StateCodec.decode(Array(text.utf8), file: "state.json")
        #expect(state.formatVersion == 2)
        #expect(state.account.executor == .portal)
        #expect(state.pending.count == 1)
        #expect(state.pending[0].action == .update)
        #expect(state.pending[0].by == "alice")
        #expect(String(decoding: StateCodec.encode(state), as: UTF8.self) == text)
    }

    @Test func aCredentialWithoutADigestNeedsFormat2() throws {
        let withoutDigest = StateSamples.singleText.replacingOccurrences(
            of: "      \"secretSha256\": \"5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389\",\n",
            with: "")
        #expect(
            Self.errors(withoutDigest) == [
                "state.json:7:5: error: a credential without 'secretSha256' needs state formatVersion 2 (this state "
                    + "is version 1)"
            ])
        let v2 = withoutDigest.replacingOccurrences(of: "\"formatVersion\": 1", with: "\"formatVersion\": 2")
        let state = try StateCodec.decode(Array(v2.utf8), file: "state.json")
        #expect(state.credentials[0].secretSha256 == nil)
        // Written back as format 2, with what format 2 always has.
        let written = String(decoding: StateCodec.encode(state), as: UTF8.self)
        #expect(
            written.contains("\"formatVersion\": 2") && written.contains("\"executor\": \"local\"")
                && written.contains("\"pending\": []"))
        #expect(try StateCodec.decode(Array(written.utf8), file: "state.json") == state)
    }

    @Test func badStepsAreRefusedWhereTheyAre() {
        let cases: [(step: String, message: String)] = [
            (
                Self.step.replacingOccurrences(of: "\"action\": \"update\"", with: "\"action\": \"rename\""),
                "unknown action 'rename'"
            ),
            (
                Self.step.replacingOccurrences(of: "\"by\": \"alice\",", with: "\"by\": \"alice\", \"why\": 1,"),
                "unknown key 'why' in pending step"
            ),
            (
                Self.step.replacingOccurrences(of: "\"dependsOn\": []", with: "\"dependsOn\": [\"user:nobody\"]"),
                "depends on 'user:nobody', which is not pending before it"
            ),
            (
                Self.step.replacingOccurrences(of: "\"action\": \"update\"", with: "\"action\": \"delete\""),
                "a pending delete has no 'to'"
            ),
            (
                Self.step.replacingOccurrences(
                    of: "10000000-0000-4000-8000-000000000001\",\n        \"level",
                    with: "20000000-0000-4000-8000-000000000002\",\n        \"level"), "which the state does not hold"
            ),
            (
                Self.step.replacingOccurrences(
                    of: "\"plannedAt\": \"2026-02-03T04:05:06Z\"", with: "\"plannedAt\": \"yesterday\""),
                "plannedAt 'yesterday' is not a UTC time"
            ),
            (
                Self.step.replacingOccurrences(of: "\"planDigest\": \"5a5e", with: "\"planDigest\": \"XXXX"),
                "planDigest must be 64 lowercase hex digits"
            ),
            (Self.step.replacingOccurrences(of: "\"stats\",", with: "\"statz\","), "scope 'statz'"),
        ]
        for (step, message) in cases {
            let errors = Self.errors(Self.portalText(step: step))
            #expect(errors.contains { $0.hasPrefix("state.json:") && $0.contains(message) }, "\(message): \(errors)")
        }
        // A bad scope is one error, where it is.
        let badScope = Self.errors(
            Self.portalText(step: Self.step.replacingOccurrences(of: "\"stats\",", with: "\"root:all\",")))
        #expect(badScope.count == 1 && badScope[0].contains("root:all"), "\(badScope)")
        #expect(
            Self.errors(Self.portalText(step: Self.step + ",\n    " + Self.step)).contains {
                $0.contains("is listed twice")
            })
        // Shapes no plan makes, each of which record would turn into a broken state.
        let unfit: [(step: String, message: String)] = [
            (
                Self.step.replacingOccurrences(
                    of: "\"id\": \"credential:10000000-0000-4000-8000-000000000001\"",
                    with: "\"id\": \"credential:alice/evil\""), "its id must be"
            ),
            (
                Self.step.replacingOccurrences(of: "\"by\": \"alice\"", with: "\"by\": \"mallory\""),
                "'by' 'mallory' is not a user in the state"
            ),
            (
                Self.step.replacingOccurrences(
                    of: "\"dependsOn\": []",
                    with: "\"dependsOn\": [\"credential:10000000-0000-4000-8000-000000000001\"]"),
                "which is not pending before it"
            ),
            (
                """
                {"action": "create", "by": "alice", "dependsOn": [], "id": "user:alice", "kind": "user",
                 "planDigest": "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389", "plannedAt": \
                "2026-02-03T04:05:06Z",
                 "target": {"id": "alice"}, "to": {"license": "agent", "name": "Imposter"}}
                """, "creates user 'alice', who is already in the state"
            ),
            (
                """
                {"action": "create", "by": "alice", "dependsOn": [], "id": "credential:ghost/x", "kind": "credential",
                 "planDigest": "5a5ea63f0cb31bba376dd83330385254bed5bd966fb8b6f5fc346b5c36707389", "plannedAt": \
                "2026-02-03T04:05:06Z",
                 "target": {"level": "user", "name": "x", "owner": "ghost"}, "to": {"name": "x", "scopes": ["stats"]}}
                """, "owner 'ghost' is not a user in the state"
            ),
        ]
        for (step, message) in unfit {
            let errors = Self.errors(Self.portalText(step: step))
            #expect(errors.contains { $0.hasPrefix("state.json:") && $0.contains(message) }, "\(message): \(errors)")
        }
        let local = Self.portalText().replacingOccurrences(
            of: "\"executor\": \"portal\"", with: "\"executor\": \"local\"")
        #expect(Self.errors(local).contains { $0.contains("open portal steps on a local account") })
        let v1 = Self.errors(Self.portalText(version: 1))
        #expect(v1.contains { $0.contains("'executor' needs state formatVersion 2") })
        #expect(v1.contains { $0.contains("'pending' needs state formatVersion 2") })
    }
}
