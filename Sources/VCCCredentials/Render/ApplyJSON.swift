import StrictJSON

/// `apply --format json`: what an apply did, for the pipeline that runs it (which
/// serial it committed, which changes it made and as whom, where the new secrets are
/// sealed: the bundle in `sealed`, credentials' own files in `sealedFiles`, their index
/// in `sealedIndex`; what was refused and who could apply it). Never a secret: only
/// client IDs.
public enum ApplyJSON {
    /// A portal apply adds `pending` (the steps handed off, as the state holds them) and
    /// `runbook` (the files written), and its `applied` is empty: nothing is made yet.
    public static func render(_ result: ApplyResult) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty)
        out.beginObject()
        out.field("account", result.plan.account)
        out.key("applied")
        out.beginArray()
        for change in result.applied {
            out.element()
            out.beginObject()
            out.field("action", change.action.rawValue)
            if let actor = change.decision.actor { out.field("by", actor) }
            if let clientId = result.createdClientIds[change.id] { out.field("clientId", clientId) }
            out.field("id", change.id)
            out.field("kind", change.subject.kind.rawValue)
            out.key("target")
            PlanFileWriter.write(ChangeTarget(change.subject), to: &out)
            out.endObject()
        }
        out.endArray()
        // Only when something was not made: the api user executor's stops and waits.
        if !result.notMade.isEmpty {
            out.key("notMade")
            out.strings(result.notMade.map(\.id.description))
        }
        out.key("notes")
        out.strings(result.notes.map(\.message))

        out.field("outcome", outcome(result))
        if !result.handedOff.isEmpty {
            out.key("pending")
            out.beginArray()
            for step in result.handedOff {
                out.element()
                StateWriter.write(step, to: &out)
            }
            out.endArray()
        }
        // Only with --refresh: user records taken in from VCC with the changes.
        if result.refresh != nil { out.field("refreshed", result.refreshed.count) }
        out.key("refused")
        out.beginArray()
        for change in result.plan.changes {
            guard case .refused(let rule, let reason, let appliableBy, let alsoRefused) = change.decision else {
                continue
            }
            out.element()
            out.beginObject()
            out.field("action", change.action.rawValue)
            if !alsoRefused.isEmpty {
                out.key("alsoRefused")
                PlanFileWriter.write(alsoRefused, to: &out)
            }
            out.key("appliableBy")
            out.strings(appliableBy)
            out.field("id", change.id)
            out.field("kind", change.subject.kind.rawValue)
            out.field("reason", reason)
            out.field("rule", rule.rawValue)
            out.key("target")
            PlanFileWriter.write(ChangeTarget(change.subject), to: &out)
            out.endObject()
        }
        out.endArray()
        if !result.handedOff.isEmpty {
            out.key("runbook")
            out.strings(result.runbookPaths)
        }
        out.key("sealed")
        if let path = result.sealedPath {
            out.beginObject()
            out.key("clientIds")
            out.strings(result.sealedClientIds)
            out.field("path", path)
            out.endObject()
        } else {
            out.null()
        }
        // Only when written, so pipelines and outputs without per-credential files are as before.
        if !result.sealedFiles.isEmpty {
            out.key("sealedFiles")
            out.beginArray()
            for path in result.sealedFiles.sorted() {
                out.element()
                out.beginObject()
                out.field("clientId", String(PathComponents.fileName(of: path).dropLast(4)))
                out.field("path", path)
                out.endObject()
            }
            out.endArray()
        }
        if let index = result.indexPath { out.field("sealedIndex", index) }
        out.key("serial")
        if let serial = result.newSerial { out.int(serial) } else { out.null() }
        out.field("stateSerial", result.plan.stateSerial)
        if let stop = result.stoppedBy { out.field("stoppedBy", stop.message) }
        out.endObject()
        return out.finish()
    }

    /// One word for what happened, so a pipeline branches on it rather than on the text.
    static func outcome(_ result: ApplyResult) -> String {
        if result.cancelled { return "cancelled" }
        if result.stoppedBy != nil { return "stopped" }
        if result.newSerial != nil {
            if !result.handedOff.isEmpty { return "handed-to-portal" }
            return result.applied.isEmpty ? "refreshed" : "applied"
        }
        return result.heldBack ? "held-back" : "nothing-to-apply"
    }
}
