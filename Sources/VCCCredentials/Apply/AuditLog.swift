import StrictJSON

/// `STATE.audit.jsonl`: one JSON line per applied change, appended once the state is
/// committed. No secrets: targets and actions only. Each line is compact JSON with
/// sorted keys: `{action, actor, change, event?, kind, reason?, serial, target, time}`;
/// `actor` is the user that made the change (of several `--as`, the one the plan says
/// `by`); `event` is absent for a change apply made itself (see ``AuditEvent``).
enum AuditLog {
    static func path(for statePath: String) -> String { StateStore.auditPath(for: statePath) }

    static func lines(
        for changes: [Change], serial: Int, time: Timestamp, minted: [ChangeID: MintedCredential],
        event: AuditEvent? = nil, reason: String? = nil
    ) -> [UInt8] {
        var output = JSONStreamWriter(style: .compact, capacity: changes.count * 256)
        for change in changes {
            output.beginObject()
            output.field("action", change.action.rawValue)
            output.field("actor", change.decision.actor ?? "")
            output.field("change", change.id)
            if let event { output.field("event", event.rawValue) }
            output.field("kind", change.subject.kind.rawValue)
            if let reason { output.field("reason", reason) }
            output.field("serial", serial)
            output.key("target")
            output.beginObject()
            switch change.subject {
            case .user(let id, _, _):
                output.field("id", id)
            case .credential(let target, _, _):
                if let clientId = target.clientId ?? minted[change.id]?.clientId { output.field("clientId", clientId) }
                output.field("level", target.level.rawValue)
                output.field("name", target.name)
                if let owner = target.owner { output.field("owner", owner) }
            }
            output.endObject()
            output.field("time", time)
            output.endObject()
            output.endLine()
        }
        return output.finish()
    }
}

extension AuditLog {
    /// The line of an account setting changed (``AuditEvent/configured``): kind
    /// `account`, the account's id as target, what changed as the reason.
    static func accountLine(account: String, actor: String, reason: String, serial: Int, time: Timestamp) -> [UInt8] {
        var output = JSONStreamWriter(style: .compact, capacity: 256)
        output.beginObject()
        output.field("action", Action.update.rawValue)
        output.field("actor", actor)
        output.field("change", "account")
        output.field("event", AuditEvent.configured.rawValue)
        output.field("kind", "account")
        output.field("reason", reason)
        output.field("serial", serial)
        output.key("target")
        output.beginObject()
        output.field("id", account)
        output.endObject()
        output.field("time", time)
        output.endObject()
        output.endLine()
        return output.finish()
    }
}

extension AuditLog {
    /// Why a journal's audit lines do not describe `state` as the apply at `serial` left
    /// it, or nil. Each must be an audit line exactly as apply writes them, of that
    /// serial and one time; created and updated targets must be in the state
    /// (a created credential with that creator and creation time, an updated one with
    /// that update time), deleted ones must not.
    static func mismatch(_ lines: [UInt8], serial: Int, state: State) -> String? {
        guard lines.isEmpty || lines.last == UInt8(ascii: "\n") else {
            return "the audit lines do not end with a line break"
        }
        let credentials = Dictionary(
            state.credentials.map { ($0.clientId, $0) }, uniquingKeysWith: { first, _ in first })
        let userIds = Set(state.users.map(\.id))
        var first: Record?
        let split = lines.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        let records = split.map { Record(Array($0)) }
        // A target may have two lines in one serial (`apply --refresh`: VCC's record of a
        // user, then the plan's change of them): the state holds what the last one says.
        var last: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            if let record, record.event?.changesState ?? true { last["\(record.kind)/\(record.target)"] = index }
        }
        for (index, record) in records.enumerated() {
            let number = index + 1
            guard let record else { return "audit line \(number) is not an audit line" }
            guard record.serial == serial else {
                return "audit line \(number) is of serial \(record.serial), not \(serial)"
            }
            if let first, first.time != record.time {
                return "audit line \(number) has another time than audit line 1"
            }
            first = first ?? record
            let target = Quoted.of(record.target)
            let noun = record.kind == .user ? "user" : "credential"
            // A step handed off or abandoned changed nothing; a create handed off has no
            // client ID yet.
            if let event = record.event, !event.changesState { continue }
            if last["\(record.kind)/\(record.target)"] != index { continue }
            let present = record.kind == .user ? userIds.contains(record.target) : credentials[record.target] != nil
            guard present == (record.action != .delete) else {
                return
                    "audit line \(number) records a \(record.action.rawValue) of \(noun) \(target), which the state "
                    + "\(present ? "still holds" : "does not hold")"
            }
            guard record.kind == .credential, let credential = credentials[record.target] else { continue }
            if record.action == .create
                && (credential.createdAt.text != record.time || credential.createdBy != record.actor)
            {
                return
                    "audit line \(number) records a create of credential \(target) at \(record.time) by "
                    + "\(Quoted.of(record.actor)), which the state records at \(credential.createdAt.text) by "
                    + "\(Quoted.of(credential.createdBy))"
            }
            if record.action == .update && credential.updatedAt.text != record.time {
                return
                    "audit line \(number) records an update of credential \(target) at \(record.time), which the "
                    + "state records at \(credential.updatedAt.text)"
            }
        }
        return nil
    }

    /// The fields of an audit line that tie it to a state, read only from a line with
    /// exactly the keys ``lines(for:serial:time:minted:)`` writes.
    private struct Record {
        var action: Action
        var event: AuditEvent?
        var kind: ChangeSubject.Kind
        var actor: String
        var serial: Int
        var time: String
        /// A user's id, or a credential's client ID.
        var target: String

        private static let keys: Set = ["action", "actor", "change", "kind", "serial", "target", "time"]
        private static let optionalKeys: Set = ["event", "reason"]

        init?(_ line: [UInt8]) {
            guard case .object(let members)? = try? JSONParser.parse(line).root.content,
                Set(members.map(\.key)).subtracting(Self.optionalKeys) == Self.keys
            else { return nil }
            let fields = JSONFields(members: members)
            if let node = fields["event"] {
                guard case .string(let text) = node.content, let event = AuditEvent(rawValue: text) else { return nil }
                self.event = event
            }
            if let node = fields["reason"] {
                guard case .string = node.content else { return nil }
            }
            // An account line (``accountLine``) names no user or credential: read as a
            // user-like line whose event changes nothing the checks look at.
            let isAccount: Bool
            if case .string("account")? = fields["kind"]?.content {
                guard event == .configured else { return nil }
                isAccount = true
            } else {
                isAccount = false
            }
            guard case .string(let action)? = fields["action"]?.content, let action = Action(rawValue: action),
                case .string(let kindName)? = fields["kind"]?.content,
                let kind = isAccount ? ChangeSubject.Kind.user : ChangeSubject.Kind(rawValue: kindName),
                case .string(let actor)? = fields["actor"]?.content, case .string(_)? = fields["change"]?.content,
                case .string(let time)? = fields["time"]?.content, Timestamp(time) != nil,
                let serial = fields["serial"]?.int, case .object(let target)? = fields["target"]?.content
            else { return nil }
            let targetKeys = Set(target.map(\.key))
            var expected: [Set<String>] =
                kind == .user ? [["id"]] : [["clientId", "level", "name"], ["clientId", "level", "name", "owner"]]
            // A create handed to the portal has no client ID yet.
            if kind == .credential && (event == .pending || event == .abandoned) {
                expected += [["level", "name"], ["level", "name", "owner"]]
            }
            guard expected.contains(targetKeys) else { return nil }
            let id: String
            if case .string(let value)? = JSONFields(members: target)[kind == .user ? "id" : "clientId"]?.content {
                id = value
            } else if kind == .credential && !(event?.changesState ?? true) {
                id = ""
            } else {
                return nil
            }
            self.action = action
            self.kind = kind
            self.actor = actor
            self.serial = serial
            self.time = time
            self.target = id
        }
    }

    /// How much of the log's end to read to tell which of `lines` it already holds.
    static func tailBytes(for lines: [UInt8]) -> Int { 2 * lines.count + 64 * 1024 }

    /// What a log must get so that it holds each of `lines` exactly once, given its last
    /// bytes (`tail`, the whole file when `isWholeFile`). An interrupted append left some
    /// of `lines` there, possibly ending in a torn piece of the next one.
    enum Completion: Equatable {
        /// Every line is there.
        case complete
        /// Append these bytes: the lines the log lacks, in order.
        case append([UInt8])
        /// The log ends with a torn piece of one of `lines`: cut its last `cut` bytes,
        /// then append.
        case repairTornLine(cut: Int, append: [UInt8])
        /// The log ends with an unterminated line that is not part of one of `lines`.
        case foreignTornLine
    }

    static func completion(of lines: [UInt8], tail: [UInt8], isWholeFile: Bool) -> Completion {
        let newline = UInt8(ascii: "\n")
        let ours = lines.split(separator: newline).map(Array.init)
        // The torn piece: what follows the log's last line break.
        let lastBreak = tail.lastIndex(of: newline)
        let tornStart = lastBreak.map { $0 + 1 } ?? 0
        let torn = Array(tail[tornStart...])
        if !torn.isEmpty && !(isWholeFile || lastBreak != nil) { return .foreignTornLine }
        if !torn.isEmpty && !ours.contains(where: { $0.starts(with: torn) }) { return .foreignTornLine }
        // The whole lines held: all of the tail's, but a first one the window cut into.
        var whole = tail[..<tornStart].split(separator: newline, omittingEmptySubsequences: true).map(Array.init)
        if !isWholeFile && !whole.isEmpty { whole.removeFirst() }
        let held = Set(whole)
        let missing = ours.filter { !held.contains($0) }.flatMap { $0 + [newline] }
        if torn.isEmpty { return missing.isEmpty ? .complete : .append(missing) }
        return .repairTornLine(cut: torn.count, append: missing)
    }
}
