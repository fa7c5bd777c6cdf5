import Foundation
import StrictJSON
import Testing

@testable import VCCCredentials

/// The direct state writer and the generic canonical JSON writer agree byte for byte.
@Suite struct StateWriterAgreementTests {
    @Test func directAndGenericWritersAgree() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/acme/state.json")
        var state = try StateCodec.decode(Array(try Data(contentsOf: url)), file: "state.json")
        #expect(StateCodec.encode(state) == JSONWriter.pretty(StateCodec.json(state)))
        state.users = []
        state.credentials[0].name = "quote \" backslash \\ tab\tname"
        #expect(StateCodec.encode(state) == JSONWriter.pretty(StateCodec.json(state)))
        state.credentials = []
        #expect(StateCodec.encode(state) == JSONWriter.pretty(StateCodec.json(state)))
    }
}
