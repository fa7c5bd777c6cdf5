import Testing
import VCCCredentials

/// `sealedTo` in the state (format 3): read exactly, written back byte for byte, and
/// every malformed value refused at its position.
@Suite struct SealedToStateTests {
    static let first = String(repeating: "0a", count: 16)
    static let second = String(repeating: "f1", count: 16)

    /// The sample state with `sealedTo` on its credential, and (format 2 and later) the
    /// executor and open steps every such state writes.
    static func text(version: Int = 3, sealedTo: String) -> String {
        StateSamples.singleText
            .replacingOccurrences(of: "\"formatVersion\": 1", with: "\"formatVersion\": \(version)")
            .replacingOccurrences(
                of: "      \"secretSha256\":", with: "      \"sealedTo\": \(sealedTo),\n      \"secretSha256\":"
            )
            .replacingOccurrences(
                of: "    \"id\": \"acme\"", with: "    \"executor\": \"local\",\n    \"id\": \"acme\""
            )
            .replacingOccurrences(of: "  \"serial\": 3,", with: "  \"pending\": [],\n  \"serial\": 3,")
    }

    @Test func aStateWithSealedToRoundTripsExactly() throws {
        let text = Self.text(sealedTo: "[\n        \"\(Self.first)\",\n        \"\(Self.second)\"\n      ]")
        let state = try StateCodec.decode(Array(text.utf8), file: "state.json")
        #expect(state.credentials[0].sealedTo == [Self.first, Self.second])
        #expect(state.formatVersion == 3)
        #expect(String(decoding: StateCodec.encode(state), as: UTF8.self) == text)
        // Without it, the oldest format that holds the state is written, as before.
        var plain = state
        plain.credentials[0].sealedTo = nil
        plain.formatVersion = 1
        #expect(String(decoding: StateCodec.encode(plain), as: UTF8.self) == StateSamples.singleText)
    }

    @Test func malformedSealedToIsRefusedWhereItIs() {
        func errors(_ text: String) -> [String] {
            do {
                _ = try StateCodec.decode(Array(text.utf8), file: "state.json")
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        #expect(
            errors(Self.text(version: 2, sealedTo: "[\"\(Self.first)\"]")) == [
                "state.json:18:19: error: 'sealedTo' needs state formatVersion 3 (this state is version 2)"
            ])
        #expect(
            errors(Self.text(sealedTo: "[]")) == [
                "state.json:18:19: error: sealedTo is empty: a sealed file is for at least one recipient (omit the "
                    + "key when there is none)"
            ])
        #expect(
            errors(Self.text(sealedTo: "[\"\(Self.second)\", \"\(Self.first)\"]")) == [
                "state.json:18:56: error: sealedTo must be sorted, each fingerprint once"
            ])
        #expect(
            errors(Self.text(sealedTo: "[\"\(Self.first)\", \"\(Self.first)\"]")) == [
                "state.json:18:56: error: sealedTo must be sorted, each fingerprint once"
            ])
        #expect(
            errors(Self.text(sealedTo: "[\"ABC\"]")) == [
                "state.json:18:20: error: sealedTo entry 'ABC' is not a recipient fingerprint (32 lowercase hex digits)"
            ])
        #expect(
            errors(Self.text(sealedTo: "\"\(Self.first)\"")) == [
                "state.json:18:19: error: sealedTo must be an array, not a string"
            ])
    }
}
