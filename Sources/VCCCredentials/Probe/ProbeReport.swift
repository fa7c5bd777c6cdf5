import StrictJSON

/// What a probe found: each credential checked, or why not, and what the run cost. No
/// secret or token is in it; it can be kept as `--format json` output and read back.
public struct ProbeReport: Sendable {
    public var account: String
    public var lineage: String
    /// The serial of the state probed.
    public var serial: Int
    /// In (level, owner, name) order.
    public var findings: [ProbeFinding]
    /// Whether scopes beyond the declared ones were asked for (`--excess`).
    public var excessChecked: Bool
    /// Requests sent, each retry counted.
    public var requests: Int
    /// Seconds the rate limit and retries made the run wait.
    public var secondsWaited: Double
    public var probedAt: Timestamp

    public var drifted: [ProbeFinding] { findings.filter(\.isDrift) }
    public var unchecked: [ProbeFinding] {
        findings.filter { if case .unchecked = $0.status { return true } else { return false } }
    }
    public var hasDrift: Bool { findings.contains(where: \.isDrift) }

    /// Credentials whose secret is held but that no sealed file the key opens holds: the
    /// probe could not say whether VCC agrees (a wrong key, or run away from `secrets/`).
    public var unopened: [ProbeFinding] { findings.filter { $0.status == .unchecked(.noFileOpens) } }

    /// What to do about a drifted credential, one sentence each: the commands that bring
    /// the state and VCC back together.
    public func todo(_ finding: ProbeFinding, statePath: String) -> [String] {
        let state = Runbook.shellQuoted(statePath)
        let id = finding.credential.clientId
        var todo: [String] = []
        if finding.status == .rejected {
            todo.append(
                "deleted in the portal on purpose: vcc-creds forget --state \(state) --as ADMIN \(id) --reason TEXT; "
                    + "else its secret was regenerated: rotate it (vcc-creds rotate --state \(state) --as OWNER "
                    + "\(Runbook.shellQuoted(CredentialAddress(finding.credential).description)))")
        }
        if !finding.missing.isEmpty {
            todo.append(
                "give it back \(finding.missing.identifiers.joined(separator: ", ")) in the Admin Portal "
                    + "(Edit credential, as the runbook's edit steps say)")
        }
        if !finding.excess.isEmpty {
            todo.append(
                "take \(finding.excess.identifiers.joined(separator: ", ")) away in the Admin Portal, or declare it "
                    + "in the manifests if it is meant")
        }
        return todo
    }

    /// `{account, credentials: [{clientId, excess?, held, level, missing, name, owner?,
    /// reason?, status}], excessChecked, formatVersion, lineage, probedAt, requests,
    /// secondsWaited, serial, summary: {agree, drift, unchecked}}`, sorted keys.
    public func json() -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty, capacity: 256 + findings.count * 256)
        out.beginObject()
        out.field("account", account)
        out.key("credentials")
        out.beginArray()
        for finding in findings {
            let credential = finding.credential
            out.element()
            out.beginObject()
            out.field("clientId", credential.clientId)
            if excessChecked {
                out.key("excess")
                out.strings(finding.excess.identifiers)
            }
            out.key("held")
            out.strings(finding.held.identifiers)
            out.field("level", credential.level.rawValue)
            out.key("missing")
            out.strings(finding.missing.identifiers)
            out.field("name", credential.name)
            if let owner = credential.owner { out.field("owner", owner) }
            let status: String
            switch finding.status {
            case .alive: status = "alive"
            case .rejected: status = "rejected"
            case .unchecked(let reason):
                status = "unchecked"
                out.field("reason", reason.rawValue)
            }
            out.field("status", status)
            out.endObject()
        }
        out.endArray()
        out.key("excessChecked")
        out.bool(excessChecked)
        out.field("formatVersion", 1)
        out.field("lineage", lineage)
        out.field("probedAt", probedAt)
        out.field("requests", requests)
        out.key("secondsWaited")
        out.encoded(Self.tenths(secondsWaited).utf8)
        out.field("serial", serial)
        out.key("summary")
        out.beginObject()
        out.field("agree", findings.count - drifted.count - unchecked.count)
        out.field("drift", drifted.count)
        out.field("unchecked", unchecked.count)
        out.endObject()
        out.endObject()
        out.endLine()
        return out.finish()
    }

    /// Seconds to a tenth, as `12.3`.
    static func tenths(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
