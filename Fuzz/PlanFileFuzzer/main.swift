// libFuzzer target: the saved-plan loader (StrictJSON's tree parser + plan validation),
// then, for plans that load, what `show` does with them: render in every format (a saved
// plan may have been edited by hand), and the JSON must read back as the same plan.
// Built and run by scripts/fuzz.

import VCCCredentials

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let document: PlanDocument
    do {
        document = try PlanFile.decode(bytes, file: "plan.json")
    } catch {
        checkLocations(error, files: ["plan.json": bytes])
        return 0
    }
    renderAll(document)
    let json = Array(PlanPipeline.render(document, format: .json, style: .plain).utf8)
    let reread = try? PlanFile.decode(json, file: "plan.json")
    invariant(reread == document, "a loaded plan, rendered as JSON, does not read back as the same plan")
    return 0
}
