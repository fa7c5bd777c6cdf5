import StrictJSON

/// The plan as JSON, field for field as `docs/plan-format.md` documents it.
public enum PlanJSON {
    public static func render(_ plan: Plan) -> [UInt8] {
        JSONWriter.pretty(json(plan))
    }

    public static func json(_ plan: Plan) -> JSON {
        let summary = plan.summary
        return .object([
            "formatVersion": .int(Plan.formatVersion),
            "account": .string(plan.account),
            "actor": .string(plan.actor.id),
            "state": .object(["lineage": .string(plan.stateLineage), "serial": .int(plan.stateSerial)]),
            "manifestsDigest": .string(plan.manifestsDigest),
            "changes": .array(plan.changes.map(json)),
            "hidden": .object(["users": .int(plan.hidden.users), "credentials": .int(plan.hidden.credentials)]),
            "unmanaged": .object([
                "users": .array(plan.unmanaged.users.map { .object(["id": .string($0)]) }),
                "credentials": .array(plan.unmanaged.credentials.map(json)),
            ]),
            "summary": .object([
                "create": .int(summary.create), "update": .int(summary.update), "delete": .int(summary.delete),
                "refused": .int(summary.refused),
            ]),
        ])
    }

    public static func json(_ change: Change) -> JSON {
        var fields: [String: JSON] = [
            "id": .string(change.id),
            "action": .string(change.action.rawValue),
            "kind": .string(change.subject.kind.rawValue),
            "target": target(change.subject),
            "diff": .object(
                Dictionary(
                    uniqueKeysWithValues: change.diff.map { field in
                        (field.field, JSON.object(["from": value(field.from), "to": value(field.to)]))
                    })),
        ]
        switch change.decision {
        case .permitted:
            fields["decision"] = .string("permitted")
        case .refused(let rule, let reason, let appliableBy):
            fields["decision"] = .string("refused")
            fields["rule"] = .string(rule.rawValue)
            fields["reason"] = .string(reason)
            fields["appliableBy"] = .array(appliableBy.map(JSON.string))
        }
        if !change.dependsOn.isEmpty { fields["dependsOn"] = .array(change.dependsOn.map(JSON.string)) }
        return .object(fields)
    }

    static func target(_ subject: ChangeSubject) -> JSON {
        switch subject {
        case .user(let id, _, _): return .object(["id": .string(id)])
        case .credential(let target, _, _): return json(target)
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
