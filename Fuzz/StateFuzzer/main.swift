// libFuzzer target: the state loader (StrictJSON's cursor + state validation), then, for
// states that load: the canonical writer (its output must read back as the same state),
// the planner (the example manifests against this state, as its first admin and its
// first other user), and export, whose output must load as manifests and plan with no
// changes as the same user, as docs/guide/adopting.md promises. Built and run by scripts/fuzz.

import VCCCredentials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let state: State
    do {
        state = try StateCodec.decode(bytes, file: "state.json")
    } catch {
        checkLocations(error, files: ["state.json": bytes])
        return 0
    }
    let encoded = StateCodec.encode(state)
    let reread = try? StateCodec.decode(encoded, file: "state.json")
    invariant(reread == state.sorted(), "the canonical state does not read back as the same state")

    var actors: [String] = []
    if let admin = state.users.first(where: { $0.license == .admin }) { actors.append(admin.id) }
    if let other = state.users.first(where: { $0.license != .admin }) { actors.append(other.id) }
    for actor in actors {
        if let plan = try? Planner.plan(
            desired: Example.desired, state: state, actors: [actor], statePath: "state.json",
            context: PlanContext(now: Timestamp(seconds: 1_800_000_000)))
        {
            renderAll(
                PlanDocument(
                    plan, stateSHA256: String(repeating: "0", count: 64),
                    manifestsDigest: String(repeating: "0", count: 64)))
        }
        let exported: String
        do {
            exported = try Exporter.export(state, actor: actor, statePath: "state.json")
        } catch {
            invariant(false, "export failed for a user of the state: \(error)")
            return 0
        }
        let adopted: Desired
        do {
            adopted = try ManifestLoader(
                fileSystem: MemoryFileSystem(root: "/m", files: [("adopted.yaml", Array(exported.utf8))])
            ).load(directory: "/m")
        } catch {
            invariant(false, "exported manifests do not load: \(error)\n\(exported)")
            return 0
        }
        do {
            let plan = try Planner.plan(
                desired: adopted, state: state, actors: [actor], statePath: "state.json",
                context: PlanContext(now: Timestamp(seconds: 1_800_000_000)))
            invariant(plan.changes.isEmpty, "planning the export as \(actor) shows changes: \(plan.changes)")
        } catch {
            invariant(false, "planning the export as \(actor) failed: \(error)")
        }
    }
    return 0
}
