import StrictJSON

/// `STATE.audit.jsonl`: one JSON line per applied change, appended once the state is
/// committed. No secrets: targets and actions only. Each line is compact JSON with
/// sorted keys: `{action, actor, change, kind, serial, target, time}`.
enum AuditLog {
    static func path(for statePath: String) -> String { statePath + ".audit.jsonl" }

    static func lines(for changes: [Change], actor: String, serial: Int, time: Timestamp, minted: [String: MintedCredential])
        -> [UInt8]
    {
        var output: [UInt8] = []
        output.reserveCapacity(changes.count * 256)
        func field(_ key: String, _ value: String, first: Bool = false) {
            if !first { output.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.appendString(value, to: &output)
        }
        for change in changes {
            output.append(UInt8(ascii: "{"))
            field("action", change.action.rawValue, first: true)
            field("actor", actor)
            field("change", change.id)
            field("kind", change.subject.kind.rawValue)
            output += #","serial":"#.utf8
            output += String(serial).utf8
            output += #","target":{"#.utf8
            switch change.subject {
            case .user(let id, _, _):
                field("id", id, first: true)
            case .credential(let target, _, _):
                let clientId = target.clientId ?? minted[change.id]?.clientId
                if let clientId { field("clientId", clientId, first: true) }
                field("level", target.level.rawValue, first: clientId == nil)
                field("name", target.name)
                if let owner = target.owner { field("owner", owner) }
            }
            output.append(UInt8(ascii: "}"))
            field("time", time.text)
            output += "}\n".utf8
        }
        return output
    }
}
