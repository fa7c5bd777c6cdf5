import StrictJSON

/// What `refresh` (and `plan --refresh`) found: VCC's users against the state's, as
/// text, JSON or Markdown. Built from the reconciler's outcome only, so a dry run and a
/// real run report the same drift.
public struct RefreshReport: Sendable {
    public var account: String
    /// The serial of the state compared.
    public var serial: Int
    public var drift: [UserDrift]
    /// VCC users read (Vonage's own left out).
    public var observed: Int
    public var linked: Int
    public var skipped: [Diagnostic]

    public init(state: State, outcome: UserReconciler.Outcome) {
        account = state.account.id
        serial = state.serial
        drift = outcome.drift
        observed = outcome.observed
        linked = outcome.linked
        skipped = outcome.skipped
    }

    /// Whether VCC and the state disagree about anything but VCC ids.
    public var hasDrift: Bool { !drift.isEmpty }

    /// One line of a drift: a sign and what differs, as text and Markdown show it.
    static func describe(_ item: UserDrift) -> (sign: String, text: String) {
        switch item.kind {
        case .created:
            let license =
                item.remote.map { role in
                    if case .license(let license) = role.role { return license.rawValue }
                    return "?"
                } ?? "?"
            let name = item.remote.map { " \(Quoted.of(Printable.escaped($0.name)))" } ?? ""
            return ("+", "in VCC, not in the state: \(license)\(name)")
        case .missing:
            return ("-", "in the state, not in VCC" + kept(item))
        case .archived:
            return ("-", "archived in VCC" + kept(item))
        case .licenseChanged(let from, let to):
            return ("~", "licence \(from.rawValue) -> \(to.rawValue)")
        case .renamed(let from, let to):
            return ("~", "name \(Quoted.of(Printable.escaped(from))) -> \(Quoted.of(Printable.escaped(to)))")
        case .emailChanged(let from, let to):
            return ("~", "email \(from.map(Printable.escaped) ?? "(none)") -> \(to.map(Printable.escaped) ?? "(none)")")
        }
    }

    private static func kept(_ item: UserDrift) -> String {
        guard item.ownedCredentials > 0 else { return "" }
        let count = item.ownedCredentials == 1 ? "1 credential" : "\(item.ownedCredentials) credentials"
        return "; kept: owns \(count) (delete or forget them, then refresh)"
    }

    public func text() -> String {
        var text =
            "VCC users of account \(Printable.escaped(account)) against state serial \(serial): \(observed) read, "
            + (drift.isEmpty ? "no drift.\n" : "\(drift.count) difference\(drift.count == 1 ? "" : "s"):\n")
        if !drift.isEmpty {
            let width = min(40, drift.map { Printable.escaped($0.user).count }.max() ?? 0)
            text += "\n"
            for item in drift {
                let (sign, line) = Self.describe(item)
                let user = Printable.escaped(item.user)
                text += "  \(sign) \(user)\(String(repeating: " ", count: max(0, width - user.count)))  \(line)\n"
            }
        }
        if linked > 0 {
            text += "\n\(linked) user\(linked == 1 ? "" : "s") of the state matched to VCC ids not yet recorded.\n"
        }
        return text
    }

    public func markdown() -> String {
        var text = "### VCC users of account `\(Printable.escaped(account))` (state serial \(serial))\n\n"
        text += "\(observed) read from VCC; "
        text += drift.isEmpty ? "no drift.\n" : "\(drift.count) difference\(drift.count == 1 ? "" : "s").\n"
        if !drift.isEmpty {
            text += "\n| | user | drift | detail |\n|---|---|---|---|\n"
            for item in drift {
                let (sign, line) = Self.describe(item)
                text +=
                    "| \(sign) | \(PlanMarkdown.cell(item.user)) | \(item.kind.name) | \(PlanMarkdown.cell(line)) |\n"
            }
        }
        if linked > 0 { text += "\n\(linked) user\(linked == 1 ? "" : "s") matched to VCC ids not yet recorded.\n" }
        return text
    }

    /// `{account, serial, observed, linked, drift: [...], skipped: [...], written}`.
    /// `written`: the serial committed, or null (a dry run, or nothing to take in).
    public func json(written: Int?) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 256 * (drift.count + 4))
        out.beginObject()
        out.field("account", account)
        out.key("drift")
        out.beginArray()
        for item in drift {
            out.element()
            out.beginObject()
            switch item.kind {
            case .licenseChanged(let from, let to):
                out.field("from", from.rawValue)
                out.field("kind", item.kind.name)
                out.field("to", to.rawValue)
            case .renamed(let from, let to):
                out.field("from", from)
                out.field("kind", item.kind.name)
                out.field("to", to)
            case .emailChanged(let from, let to):
                out.key("from")
                if let from { out.string(from) } else { out.null() }
                out.field("kind", item.kind.name)
                out.key("to")
                if let to { out.string(to) } else { out.null() }
            case .created:
                out.field("kind", item.kind.name)
                if let remote = item.remote, case .license(let license) = remote.role {
                    out.field("license", license.rawValue)
                    out.field("name", remote.name)
                }
            case .missing, .archived:
                out.key("keptOwningCredentials")
                out.int(item.ownedCredentials)
                out.field("kind", item.kind.name)
            }
            out.field("user", item.user)
            if let remote = item.remote { out.field("vccUserId", remote.userId) }
            out.endObject()
        }
        out.endArray()
        out.field("linked", linked)
        out.field("observed", observed)
        out.field("serial", serial)
        out.key("skipped")
        out.strings(skipped.map(\.message))
        out.key("written")
        if let written { out.int(written) } else { out.null() }
        out.endObject()
        return out.finish()
    }
}
