// libFuzzer target: the manifest loader (StrictYAML + manifest decoding + merging across
// files), then, for manifests that load, the rest of `vcc-creds plan`: the digest, the
// planner against the example state as a supervisor and as an admin, and the plan
// rendered in every format and read back as a saved plan.
//
// One input is up to four manifest files (a.yaml, b/c.yaml, b/d.yml, e.yaml): the bytes
// are split at 0xFF, a byte never valid in UTF-8, so the split loses little (a file holding
// 0xFF would only be refused as invalid UTF-8; other invalid UTF-8 still reaches the
// loader). Built and run by scripts/fuzz.

import VCCCredentials

private let fileNames = ["a.yaml", "b/c.yaml", "b/d.yml", "e.yaml"]
private let actors = ["sam@acme.example", "alice@acme.example"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parts = bytes.split(separator: 0xFF, maxSplits: fileNames.count - 1, omittingEmptySubsequences: false)
    let files = zip(fileNames, parts).map { ($0, Array($1)) }
    let desired: Desired
    do {
        desired = try ManifestLoader(fileSystem: MemoryFileSystem(root: "/m", files: files)).load(directory: "/m")
    } catch {
        let read = Dictionary(uniqueKeysWithValues: files.map { ("/m/" + $0.0, $0.1) })
        checkLocations(error, files: read, folder: "/m")
        return 0
    }
    let digest = desired.digest
    invariant(digest.count == 64, "manifests digest is not 64 hex digits: \(digest)")
    for actor in actors {
        let plan: Plan
        do {
            plan = try Planner.plan(
                desired: desired, state: Example.state, actors: [actor], statePath: "state.json",
                context: PlanContext(now: Timestamp(seconds: 1_800_000_000)))
        } catch {
            continue
        }
        let document = PlanDocument(
            plan, stateSHA256: String(repeating: "0", count: 64), manifestsDigest: String(repeating: "0", count: 64))
        renderAll(document)
        let json = Array(PlanPipeline.render(document, format: .json, style: .plain).utf8)
        let reread = try? PlanFile.decode(json, file: "plan.json")
        invariant(reread == document, "a rendered plan does not read back as the same saved plan")
    }
    return 0
}
