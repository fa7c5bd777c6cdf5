import Foundation

/// The plan as text for a terminal or CI log, in the manner of `terraform plan`:
/// `+` create, `~` update (`from -> to` per field), `-` delete, `!` refused.
public enum PlanText {
    /// How many user ids to list before "and N more".
    static let namesShown = 5

    public static func render(_ plan: PlanDocument, style: TextStyle = .plain) -> String {
        var lines: [String] = []
        lines.append(
            style.bold("vcc-creds plan")
                + " for account \(plan.account) as \(plan.actor) (\(plan.actorLicense.rawValue)), state serial \(plan.state.serial)"
        )
        lines.append("")
        if plan.changes.isEmpty {
            lines.append("No changes. The visible account matches the manifests.")
            lines.append("")
        }
        for change in plan.changes {
            lines += render(change, style: style)
            lines.append("")
        }
        if !plan.unmanaged.isEmpty {
            lines.append("Unmanaged, left alone (not in the manifests; settings.prune is off):")
            for user in plan.unmanaged.users { lines.append("  ? user \(user)") }
            for credential in plan.unmanaged.credentials { lines.append("  ? credential \(address(credential))") }
            lines.append("")
        }
        lines.append(summaryLine(plan))
        if let hidden = hiddenLine(plan.hidden) { lines.append(style.dim(hidden)) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ change: PlanDocument.Entry, style: TextStyle) -> [String] {
        let symbol: String
        switch change.action {
        case .create: symbol = style.green("+")
        case .update: symbol = style.yellow("~")
        case .delete: symbol = style.red("-")
        }
        let refused = !change.decision.isPermitted
        let marker = refused ? style.red(style.bold("!")) + " " + symbol : symbol
        var lines = ["  \(marker) \(title(change.target))"]
        let indent = refused ? "        " : "      "
        if change.action != .delete {
            let diff = change.diff
            let width = diff.map(\.field.count).max() ?? 0
            for field in diff {
                let label = field.field + ":" + String(repeating: " ", count: width - field.field.count)
                let value: String
                switch (field.from, field.to) {
                case (let from?, let to?): value = "\(from) -> \(to)"
                case (nil, let to?): value = to.description
                case (let from?, nil): value = "\(from) -> (none)"
                case (nil, nil): value = ""
                }
                lines.append("\(indent)\(label) \(value)")
            }
        }
        if !change.dependsOn.isEmpty {
            lines.append(style.dim("\(indent)after \(change.dependsOn.joined(separator: ", "))"))
        }
        if case .refused(let rule, let reason, let appliableBy) = change.decision {
            lines.append("\(indent)" + style.red("refused by \(rule.rawValue)") + ": \(reason)")
            lines.append("\(indent)\(appliableSentence(appliableBy))")
        }
        return lines
    }

    /// "can be applied by a, b" or "nobody can apply this".
    static func appliableSentence(_ users: [String]) -> String {
        guard !users.isEmpty else { return "nobody can apply this: fix the manifests" }
        var shown = users.prefix(namesShown).joined(separator: ", ")
        if users.count > namesShown { shown += " and \(users.count - namesShown) more" }
        return "can be applied by \(shown)"
    }

    static func title(_ target: ChangeTarget) -> String {
        switch target {
        case .user(let id): return "user \(id)"
        case .credential(let credential): return "credential \(address(credential))"
        }
    }

    /// `owner/name (client-id)`, `account/name (client-id)`.
    static func address(_ target: CredentialTarget) -> String {
        let base = "\(target.owner ?? "account")/\(target.name)"
        return target.clientId.map { "\(base) (\($0))" } ?? base
    }

    static func summaryLine(_ plan: PlanDocument) -> String {
        let summary = plan.summary
        return "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.delete) to delete, \(summary.refused) refused."
    }

    static func hiddenLine(_ hidden: Plan.Hidden) -> String? {
        var parts: [String] = []
        if hidden.credentials > 0 {
            parts.append(
                "\(hidden.credentials) credential\(hidden.credentials == 1 ? "" : "s") belong\(hidden.credentials == 1 ? "s" : "") to other owners")
        }
        if hidden.users > 0 { parts.append("\(hidden.users) user\(hidden.users == 1 ? " is" : "s are") not visible") }
        guard !parts.isEmpty else { return nil }
        return "Hidden (not visible to this actor, not changed): " + parts.joined(separator: "; ") + "."
    }
}
