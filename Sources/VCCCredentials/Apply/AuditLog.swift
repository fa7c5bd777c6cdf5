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

extension AuditLog {
    /// Why audit lines do not belong to `state` at `serial`, or nil when every line is a
    /// well-formed audit line of that serial whose target the state agrees with: created
    /// and updated targets are in it, deleted ones are not.
    static func mismatch(_ lines: [UInt8], serial: Int, state: State) -> String? {
        let clientIds = Set(state.credentials.map(\.clientId))
        let userIds = Set(state.users.map(\.id))
        var number = 0
        for line in lines.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            number += 1
            guard let record = Record(Array(line)) else { return "audit line \(number) is not an audit line" }
            guard record.serial == serial else {
                return "audit line \(number) is of serial \(record.serial), not \(serial)"
            }
            let present = record.kind == .user ? userIds.contains(record.target) : clientIds.contains(record.target)
            guard present == (record.action != .delete) else {
                let noun = record.kind == .user ? "user" : "credential"
                return "audit line \(number) records a \(record.action.rawValue) of \(noun) \(Quoted.of(record.target)), which the state \(present ? "still holds" : "does not hold")"
            }
        }
        return lines.isEmpty || lines.last == UInt8(ascii: "\n") ? nil : "the audit lines do not end with a line break"
    }

    /// The fields of an audit line that tie it to a state.
    private struct Record {
        var action: Action
        var kind: ChangeSubject.Kind
        var serial: Int
        /// A user's id, or a credential's client ID.
        var target: String

        init?(_ line: [UInt8]) {
            guard case .object(let members)? = try? JSONParser.parse(line).root.content else { return nil }
            let fields = JSONFields(members: members)
            guard case .string(let action)? = fields["action"]?.content, let action = Action(rawValue: action),
                case .string(let kind)? = fields["kind"]?.content, let kind = ChangeSubject.Kind(rawValue: kind),
                let serial = fields["serial"]?.int, case .object(let target)? = fields["target"]?.content,
                case .string(let id)? = JSONFields(members: target)[kind == .user ? "id" : "clientId"]?.content
            else { return nil }
            self.action = action
            self.kind = kind
            self.serial = serial
            self.target = id
        }
    }

    /// What a log must get so that it ends with all of `lines` exactly once, given its
    /// last bytes (`tail`, the whole file when `isWholeFile`). An interrupted append
    /// left a prefix of `lines` there, possibly ending in a torn line.
    enum Completion: Equatable {
        /// Every line is there.
        case complete
        /// Append `lines` from this byte offset on.
        case append(from: Int)
        /// The log ends with a torn piece of the line starting at `from`: cut the last
        /// `cut` bytes, then append from `from`.
        case repairTornLine(cut: Int, from: Int)
        /// The log ends with an unterminated line that is not one of `lines`.
        case foreignTornLine
    }

    static func completion(of lines: [UInt8], tail: [UInt8], isWholeFile: Bool) -> Completion {
        // The longest prefix of `lines` the log ends with, starting at a line boundary.
        var present = 0
        for length in stride(from: min(lines.count, tail.count), through: 1, by: -1) {
            let start = tail.count - length
            let atBoundary = start > 0 ? tail[start - 1] == UInt8(ascii: "\n") : isWholeFile
            if atBoundary && tail[start...].elementsEqual(lines[..<length]) {
                present = length
                break
            }
        }
        if present == lines.count { return .complete }
        let terminated = tail.isEmpty || tail.last == UInt8(ascii: "\n")
        if terminated { return .append(from: present) }
        guard present > 0 else { return .foreignTornLine }
        let lineStart = lines[..<present].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return .repairTornLine(cut: present - lineStart, from: lineStart)
    }
}
