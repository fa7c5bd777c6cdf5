import StrictJSON

/// `STATE.audit.jsonl`: one JSON line per applied change, appended once the state is
/// committed. No secrets: targets and actions only.
enum AuditLog {
    static func path(for statePath: String) -> String { statePath + ".audit.jsonl" }

    static func lines(for changes: [Change], actor: String, serial: Int, time: Timestamp, minted: [String: MintedCredential])
        -> [UInt8]
    {
        var output: [UInt8] = []
        for change in changes {
            var target = PlanJSON.json(ChangeTarget(change.subject))
            if case .object(var fields) = target, let new = minted[change.id] {
                fields["clientId"] = .string(new.clientId)
                target = .object(fields)
            }
            output += JSONWriter.compact(
                .object([
                    "time": .string(time.text),
                    "actor": .string(actor),
                    "action": .string(change.action.rawValue),
                    "kind": .string(change.subject.kind.rawValue),
                    "change": .string(change.id),
                    "target": target,
                    "serial": .int(serial),
                ]))
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }
}
