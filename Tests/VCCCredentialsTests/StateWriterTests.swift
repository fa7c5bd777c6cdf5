import Foundation
import StrictJSON
import Testing

@testable import VCCCredentials

/// The state and plan writers stream their JSON by hand. What they write must be the
/// canonical form the generic writer gives for the same content (keys sorted, two-space
/// indent; no whitespace for digests), and read back as what was written.
@Suite struct CanonicalWriterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `bytes` parsed and written again by ``JSONWriter``.
    static func canonical(_ bytes: [UInt8], compact: Bool = false) throws -> [UInt8] {
        let tree = tree(try JSONParser.parse(bytes).root)
        return compact ? JSONWriter.compact(tree) : JSONWriter.pretty(tree)
    }

    static func tree(_ value: JSONValue) -> JSON {
        switch value.content {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let text): return .int(Int(text)!)
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(tree))
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, tree($0.value)) }))
        }
    }

    @Test func stateWriterIsCanonical() throws {
        var state = try StateCodec.decode(
            Array(try Data(contentsOf: Self.root.appendingPathComponent("examples/acme/state.json"))),
            file: "state.json")
        var variants = [state]
        state.credentials[0].name = "quote \" backslash \\ é name"
        variants.append(state)
        state.credentials = []
        variants.append(state)
        state.users = []
        variants.append(state)
        for state in variants {
            let bytes = StateCodec.encode(state)
            #expect(try bytes == Self.canonical(bytes))
            #expect(try StateCodec.decode(bytes, file: "state.json") == state.sorted())
        }
    }

    /// On plans with every kind of change, refusal and dependency, with and without
    /// inputs and unmanaged entries: the file is canonical and reads back whole, and the
    /// digest hashes the same content without its inputs and locations.
    @Test func planWriterIsCanonicalAndTheDigestItsCompactForm() throws {
        let loaded = try StateStore().load(Self.root.appendingPathComponent("examples/acme/state.json").path)
        let desired = try ManifestLoader().load(directory: Self.root.appendingPathComponent("manifests").path)
        for actor in ["alice@acme.example", "sam@acme.example", "ana@acme.example"] {
            let plan = try Planner.plan(
                desired: desired, state: loaded.state, actors: [actor], statePath: "state.json", context: .test)
            var document = PlanDocument(plan, stateSHA256: loaded.sha256, manifestsDigest: desired.digest)
            var extended = document
            extended.inputs = PlanDocument.Inputs(state: "s.json", manifests: "m")
            extended.unmanaged = Plan.Unmanaged(
                users: ["u1"], credentials: [CredentialTarget(clientId: nil, name: "n", owner: "o", level: .user)])
            for variant in [document, extended] {
                let bytes = PlanFile.encode(variant)
                #expect(try bytes == Self.canonical(bytes))
                #expect(try PlanFile.decode(bytes, file: "plan.json") == variant)
            }
            #expect(document.changes.contains { $0.location != nil })
            let digest = PlanFile.digest(document)
            #expect(PlanFile.digest(extended) != digest)
            extended.unmanaged = document.unmanaged
            #expect(PlanFile.digest(extended) == digest, "inputs do not count")
            document.changes = document.changes.map(\.content)
            #expect(try Digest.sha256Hex(Self.canonical(PlanFile.encode(document), compact: true)) == digest)
        }
    }
}
