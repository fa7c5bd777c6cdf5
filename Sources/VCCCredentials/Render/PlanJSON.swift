import StrictJSON

/// The plan as JSON, field for field as `docs/plan-format.md` documents it, and back:
/// a saved plan file is read as strictly as a state file.
public enum PlanJSON {
    public static func render(_ document: PlanDocument) -> [UInt8] {
        JSONWriter.pretty(json(document))
    }

    /// Lowercase hex SHA-256 of the plan's canonical JSON: the plan digest reviewers see.
    /// Where it was saved from does not count: the same plan has the same digest.
    public static func digest(_ document: PlanDocument) -> String {
        var content = document
        content.inputs = nil
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
            "hidden": .object(["users": .int(document.hidden.users), "credentials": .int(document.hidden.credentials)]),
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
