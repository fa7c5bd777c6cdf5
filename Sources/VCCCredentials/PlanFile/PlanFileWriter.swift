import StrictJSON

/// Writes a plan as JSON, field for field as `docs/reference/plan-format.md` documents it: keys
/// in sorted order, streamed (a plan can hold tens of thousands of changes). The pretty
/// style is the file and `--format json`; the compact style is what the digest hashes.
/// ``PlanFileReader`` is its other half.
///
/// Streamed by hand for speed: written directly, not through a `JSON` tree (what that
/// gained: bench/RESULTS.md, "What moved the numbers").
/// `CanonicalWriterTests` keeps its bytes equal to ``JSONWriter``'s.
enum PlanFileWriter {
    static func write(_ document: PlanDocument, style: JSONStreamWriter.Style) -> [UInt8] {
        var out = JSONStreamWriter(style: style, capacity: 1024 + 512 * document.changes.count)
        out.beginObject()
        out.field("account", document.account)
        out.key("actors")
        out.beginArray()
        for actor in document.actors {
            out.element()
            out.beginObject()
            out.field("id", actor.id)
            out.field("license", actor.license.rawValue)
            out.endObject()
        }
        out.endArray()
        // Only a portal account's plan can have open steps: other plans stay as they were.
        if !document.awaiting.isEmpty {
            out.key("awaiting")
            out.beginArray()
            for step in document.awaiting {
                out.element()
                out.beginObject()
                out.field("action", step.action.rawValue)
                out.field("by", step.by)
                out.field("id", step.id)
                out.field("kind", step.kind.rawValue)
                out.field("plannedAt", step.plannedAt)
                out.key("target")
                write(step.target, to: &out)
                out.endObject()
            }
            out.endArray()
        }
        out.key("changes")
        out.beginArray()
        for entry in document.changes {
            out.element()
            write(entry, to: &out)
        }
        out.endArray()
        // Only when there is something to say: other plans stay as they were.
        if !document.expiring.isEmpty {
            out.key("expiring")
            out.beginArray()
            for notice in document.expiring {
                out.element()
                out.beginObject()
                out.field("expires", notice.expires)
                out.key("target")
                write(.credential(notice.target), to: &out)
                out.endObject()
            }
            out.endArray()
        }
        out.field("formatVersion", PlanDocument.formatVersion)
        out.key("hidden")
        out.beginObject()
        out.field("credentials", document.hidden.credentials)
        out.field("entries", document.hidden.entries)
        out.endObject()
        if let inputs = document.inputs {
            out.key("inputs")
            out.beginObject()
            out.field("manifests", inputs.manifests)
            out.field("state", inputs.state)
            out.endObject()
        }
        out.field("manifestsDigest", document.manifestsDigest)
        out.field("plannedAt", document.plannedAt)
        // Only a plan made with --refresh: other plans stay as they were.
        if let refreshed = document.refreshed {
            out.key("refreshed")
            out.beginObject()
            out.key("drift")
            out.beginArray()
            for item in refreshed.drift {
                out.element()
                out.beginObject()
                out.field("detail", item.detail)
                out.field("kind", item.kind)
                out.field("sign", item.sign)
                out.field("user", item.user)
                out.endObject()
            }
            out.endArray()
            out.field("observed", refreshed.observed)
            out.field("usersSHA256", refreshed.usersSHA256)
            out.endObject()
        }
        // Only when there is something to rekey: other plans stay as they were.
        if document.sealedFilesToRekey > 0 {
            out.key("rekey")
            out.beginObject()
            out.field("files", document.sealedFilesToRekey)
            out.endObject()
        }
        if !document.rotating.isEmpty {
            out.key("rotating")
            out.beginArray()
            for notice in document.rotating {
                out.element()
                out.beginObject()
                out.field("overlapEndsAt", notice.overlapEndsAt)
                out.field("predecessor", notice.predecessor)
                out.key("successor")
                write(.credential(notice.successor), to: &out)
                out.endObject()
            }
            out.endArray()
        }
        if !document.rotationRequests.isEmpty {
            out.key("rotations")
            out.beginArray()
            for request in document.rotationRequests {
                out.element()
                out.beginObject()
                out.field("credential", request.credential)
                if let overlap = request.overlap { out.field("overlap", overlap.description) }
                out.endObject()
            }
            out.endArray()
        }
        out.key("state")
        out.beginObject()
        out.field("lineage", document.state.lineage)
        out.field("serial", document.state.serial)
        out.field("sha256", document.state.sha256)
        out.endObject()
        out.key("summary")
        write(document.summary, to: &out)
        // Only a partial plan says so: whole plans stay as they were.
        if !document.targeting.isEmpty {
            out.key("targeting")
            out.beginObject()
            out.key("excludes")
            out.strings(document.targeting.excludes)
            out.field("leftOut", document.leftOut)
            out.key("targets")
            out.strings(document.targeting.targets)
            out.endObject()
        }
        out.field("toolVersion", document.toolVersion)
        out.key("unmanaged")
        write(document.unmanaged, to: &out)
        out.endObject()
        return out.finish()
    }

    private static func write(_ unmanaged: Plan.Unmanaged, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.key("credentials")
        out.beginArray()
        for target in unmanaged.credentials {
            out.element()
            write(.credential(target), to: &out)
        }
        out.endArray()
        out.key("users")
        out.beginArray()
        for user in unmanaged.users {
            out.element()
            write(.user(id: user), to: &out)
        }
        out.endArray()
        out.endObject()
    }

    private static func write(_ summary: Plan.Summary, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.field("create", summary.create)
        out.field("delete", summary.delete)
        out.field("refused", summary.refused)
        out.field("update", summary.update)
        out.endObject()
    }

    private static func write(_ entry: PlanDocument.Entry, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.field("action", entry.action.rawValue)
        if case .refused(_, _, _, let alsoRefused) = entry.decision, !alsoRefused.isEmpty {
            out.key("alsoRefused")
            write(alsoRefused, to: &out)
        }
        if let impact = entry.impact {
            out.key("apis")
            out.beginObject()
            out.key("gained")
            out.strings(impact.gained)
            out.key("lost")
            out.strings(impact.lost)
            out.endObject()
        }
        if case .refused(_, _, let appliableBy, _) = entry.decision {
            out.key("appliableBy")
            out.strings(appliableBy)
        }
        if let actor = entry.decision.actor { out.field("by", actor) }
        out.field("decision", entry.decision.isPermitted ? "permitted" : "refused")
        if !entry.dependsOn.isEmpty {
            out.key("dependsOn")
            out.strings(entry.dependsOn)
        }
        out.key("diff")
        out.beginObject()
        for field in entry.diff.sorted(by: { $0.field < $1.field }) {
            out.key(field.field)
            out.beginObject()
            out.key("from")
            write(field.from, to: &out)
            out.key("to")
            write(field.to, to: &out)
            out.endObject()
        }
        out.endObject()
        out.field("id", entry.id)
        out.field("kind", entry.kind.rawValue)
        if let lifecycle = entry.lifecycle {
            out.key("lifecycle")
            write(lifecycle, to: &out)
        }
        if let location = entry.location { out.field("location", location) }
        if case .refused(let rule, let reason, _, _) = entry.decision {
            out.field("reason", reason)
            out.field("rule", rule.rawValue)
        }
        if let sensitive = entry.impact?.sensitive, !sensitive.isEmpty {
            out.key("sensitive")
            out.strings(sensitive)
        }
        out.key("target")
        write(entry.target, to: &out)
        out.endObject()
    }

    /// `[{reason, rule, user}]`: who else is refused a change nobody can apply. Apply's
    /// JSON result writes them the same way.
    static func write(_ candidates: [RefusedCandidate], to out: inout JSONStreamWriter) {
        out.beginArray()
        for candidate in candidates {
            out.element()
            out.beginObject()
            out.field("reason", candidate.reason)
            out.field("rule", candidate.rule.rawValue)
            out.field("user", candidate.user)
            out.endObject()
        }
        out.endArray()
    }

    /// A change's target as plans write it: apply's JSON result names targets the same way.
    static func write(_ target: ChangeTarget, to out: inout JSONStreamWriter) {
        out.beginObject()
        switch target {
        case .user(let id):
            out.field("id", id)
        case .credential(let credential):
            if let clientId = credential.clientId { out.field("clientId", clientId) }
            out.field("level", credential.level.rawValue)
            out.field("name", credential.name)
            if let owner = credential.owner { out.field("owner", owner) }
        }
        out.endObject()
    }

    /// `{kind: rotation, migration, overlap, predecessor, trigger, ageDays?, every?}`,
    /// `{kind: retirement, overlapEnded, successor?}` or `{kind: expiry, expires}`.
    private static func write(_ lifecycle: Lifecycle, to out: inout JSONStreamWriter) {
        out.beginObject()
        switch lifecycle {
        case .rotation(let predecessor, let overlap, let trigger, let migration):
            if case .due(let age, _) = trigger { out.field("ageDays", Int(age)) }
            if case .due(_, let every) = trigger { out.field("every", every.description) }
            out.field("kind", "rotation")
            out.key("migration")
            out.bool(migration)
            out.field("overlap", overlap.description)
            out.field("predecessor", predecessor)
            out.field("trigger", trigger.name)
        case .retirement(let successor, let ended):
            out.field("kind", "retirement")
            out.field("overlapEnded", ended)
            if let successor { out.field("successor", successor) }
        case .expiry(let expires):
            out.field("expires", expires)
            out.field("kind", "expiry")
        }
        out.endObject()
    }

    private static func write(_ value: FieldDiff.Value?, to out: inout JSONStreamWriter) {
        switch value {
        case nil: out.null()
        case .text(let text)?: out.string(text)
        case .list(let items)?: out.strings(items)
        }
    }
}
