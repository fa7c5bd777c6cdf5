import StrictJSON

/// The plan as JSON, field for field as `docs/plan-format.md` documents it, and back:
/// a saved plan file is read as strictly as a state file.
public enum PlanJSON {
    /// The canonical text, written directly (a plan can hold tens of thousands of changes);
    /// the same bytes as `JSONWriter.pretty(json(document))`.
    public static func render(_ document: PlanDocument) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 1024 + 512 * document.changes.count)
        let summary = document.summary
        out.beginObject()
        out.field("account", document.account)
        out.field("actor", document.actor)
        out.field("actorLicense", document.actorLicense.rawValue)
        out.key("changes")
        out.beginArray()
        for entry in document.changes {
            out.element()
            write(entry, to: &out)
        }
        out.endArray()
        out.field("formatVersion", PlanDocument.formatVersion)
        out.key("hidden")
        out.beginObject()
        out.field("credentials", document.hidden.credentials)
        out.field("entries", document.hidden.entries)
        out.field("users", document.hidden.users)
        out.endObject()
        if let inputs = document.inputs {
            out.key("inputs")
            out.beginObject()
            out.field("manifests", inputs.manifests)
            out.field("state", inputs.state)
            out.endObject()
        }
        out.field("manifestsDigest", document.manifestsDigest)
        out.key("state")
        out.beginObject()
        out.field("lineage", document.state.lineage)
        out.field("serial", document.state.serial)
        out.field("sha256", document.state.sha256)
        out.endObject()
        out.key("summary")
        out.beginObject()
        out.field("create", summary.create)
        out.field("delete", summary.delete)
        out.field("refused", summary.refused)
        out.field("update", summary.update)
        out.endObject()
        out.field("toolVersion", document.toolVersion)
        out.key("unmanaged")
        out.beginObject()
        out.key("credentials")
        out.beginArray()
        for target in document.unmanaged.credentials {
            out.element()
            write(.credential(target), to: &out)
        }
        out.endArray()
        out.key("users")
        out.beginArray()
        for user in document.unmanaged.users {
            out.element()
            write(.user(id: user), to: &out)
        }
        out.endArray()
        out.endObject()
        out.endObject()
        return out.finish()
    }

    private static func write(_ entry: PlanDocument.Entry, to out: inout JSONStreamWriter) {
        out.beginObject()
        out.field("action", entry.action.rawValue)
        if case .refused(_, _, let appliableBy) = entry.decision {
            out.key("appliableBy")
            out.strings(appliableBy)
        }
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
        if let location = entry.location { out.field("location", location) }
        if case .refused(let rule, let reason, _) = entry.decision {
            out.field("reason", reason)
            out.field("rule", rule.rawValue)
        }
        out.key("target")
        write(entry.target, to: &out)
        out.endObject()
    }

    private static func write(_ target: ChangeTarget, to out: inout JSONStreamWriter) {
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

    private static func write(_ value: FieldDiff.Value?, to out: inout JSONStreamWriter) {
        switch value {
        case nil: out.null()
        case .text(let text)?: out.string(text)
        case .list(let items)?: out.strings(items)
        }
    }

    /// Lowercase hex SHA-256 of the plan's canonical JSON: the plan digest reviewers see.
    /// Where it was saved from does not count, nor how the manifests' path was spelled
    /// (refusals' locations): the same plan has the same digest.
    public static func digest(_ document: PlanDocument) -> String {
        var content = document
        content.inputs = nil
        content.changes = document.changes.map(\.content)
        return Digest.sha256Hex(JSONWriter.compact(json(content)))
    }

    public static func json(_ document: PlanDocument) -> JSON {
        let summary = document.summary
        var fields: [String: JSON] = [
            "formatVersion": .int(PlanDocument.formatVersion),
            "account": .string(document.account),
            "actor": .string(document.actor),
            "actorLicense": .string(document.actorLicense.rawValue),
            "state": .object([
                "lineage": .string(document.state.lineage), "serial": .int(document.state.serial),
                "sha256": .string(document.state.sha256),
            ]),
            "manifestsDigest": .string(document.manifestsDigest),
            "toolVersion": .string(document.toolVersion),
            "changes": .array(document.changes.map(json)),
            "hidden": .object([
                "users": .int(document.hidden.users), "credentials": .int(document.hidden.credentials),
                "entries": .int(document.hidden.entries),
            ]),
            "unmanaged": .object([
                "users": .array(document.unmanaged.users.map { .object(["id": .string($0)]) }),
                "credentials": .array(document.unmanaged.credentials.map(json)),
            ]),
            "summary": .object([
                "create": .int(summary.create), "update": .int(summary.update), "delete": .int(summary.delete),
                "refused": .int(summary.refused),
            ]),
        ]
        if let inputs = document.inputs {
            fields["inputs"] = .object(["state": .string(inputs.state), "manifests": .string(inputs.manifests)])
        }
        return .object(fields)
    }

    static func json(_ entry: PlanDocument.Entry) -> JSON {
        var fields: [String: JSON] = [
            "id": .string(entry.id),
            "action": .string(entry.action.rawValue),
            "kind": .string(entry.kind.rawValue),
            "target": json(entry.target),
            "diff": .object(
                Dictionary(
                    uniqueKeysWithValues: entry.diff.map { field in
                        (field.field, JSON.object(["from": value(field.from), "to": value(field.to)]))
                    })),
        ]
        switch entry.decision {
        case .permitted:
            fields["decision"] = .string("permitted")
        case .refused(let rule, let reason, let appliableBy):
            fields["decision"] = .string("refused")
            fields["rule"] = .string(rule.rawValue)
            fields["reason"] = .string(reason)
            fields["appliableBy"] = .array(appliableBy.map(JSON.string))
        }
        if !entry.dependsOn.isEmpty { fields["dependsOn"] = .array(entry.dependsOn.map(JSON.string)) }
        if let location = entry.location { fields["location"] = .string(location) }
        return .object(fields)
    }

    static func json(_ target: ChangeTarget) -> JSON {
        switch target {
        case .user(let id): return .object(["id": .string(id)])
        case .credential(let credential): return json(credential)
        }
    }

    static func json(_ target: CredentialTarget) -> JSON {
        var fields: [String: JSON] = ["name": .string(target.name), "level": .string(target.level.rawValue)]
        if let clientId = target.clientId { fields["clientId"] = .string(clientId) }
        if let owner = target.owner { fields["owner"] = .string(owner) }
        return .object(fields)
    }

    private static func value(_ value: FieldDiff.Value?) -> JSON {
        switch value {
        case nil: return .null
        case .text(let text)?: return .string(text)
        case .list(let items)?: return .array(items.map(JSON.string))
        }
    }
}
