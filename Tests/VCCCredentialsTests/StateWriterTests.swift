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

/// The direct plan writer and the generic canonical writer agree byte for byte, on plans
/// with every kind of change, refusal and dependency.
@Suite struct PlanWriterAgreementTests {
    @Test func directAndGenericPlanWritersAgree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let loaded = try StateStore().load(root.appendingPathComponent("examples/acme/state.json").path)
        let desired = try ManifestLoader().load(directory: root.appendingPathComponent("manifests").path)
        for actor in ["alice@acme.example", "sam@acme.example", "ana@acme.example"] {
            let plan = try Planner.plan(desired: desired, state: loaded.state, actor: actor, statePath: "state.json")
            var document = PlanDocument(plan, stateSHA256: loaded.sha256, manifestsDigest: desired.digest)
            #expect(PlanJSON.render(document) == JSONWriter.pretty(PlanJSON.json(document)))
            document.inputs = PlanDocument.Inputs(state: "s.json", manifests: "m")
            document.unmanaged = Plan.Unmanaged(
                users: ["u1"], credentials: [CredentialTarget(clientId: nil, name: "n", owner: "o", level: .user)])
            #expect(PlanJSON.render(document) == JSONWriter.pretty(PlanJSON.json(document)))
        }
    }
}
