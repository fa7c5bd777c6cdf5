import Foundation

/// The plan as text for a terminal or CI log, in the manner of `terraform plan`:
/// `+` create, `~` update (`from -> to` per field), `-` delete, `!` refused.
public enum PlanText {
    /// How many user ids to list before "and N more".
    static let namesShown = 5

    /// `now` dates the open portal steps ("planned 3 days ago"); without it they show
    /// when they were planned.
    /// "Refreshed from VCC: 1200 users read, 2 differences (apply takes them in):".
    static func refreshedLine(_ refreshed: PlanDocument.Refreshed) -> String {
        let read = "Refreshed from VCC: \(refreshed.observed) user\(refreshed.observed == 1 ? "" : "s") read, "
        guard !refreshed.drift.isEmpty else { return read + "no drift." }
        let count = refreshed.drift.count
        return read + "\(count) difference\(count == 1 ? "" : "s") (planned against; apply takes them in):"
    }

    public static func render(_ plan: PlanDocument, style: TextStyle = .plain, now: Timestamp? = nil) -> String {
        let plan = plan.escapedForDisplay()
        var text = ""
        text.reserveCapacity(256 + 200 * plan.changes.count)
        text += style.bold("vcc-creds plan")
        text += " for account \(plan.account) as \(actorList(plan)), state serial \(plan.state.serial)\n"
        if plan.dependsOnTime {
            text += style.dim("Planned at \(plan.plannedAt.text): rotation and expiry are decided by this time.") + "\n"
        }
        if let partial = partialLine(plan) { text += style.bold(partial) + "\n" }
        text += "\n"
        if let refreshed = plan.refreshed {
            text += style.bold(refreshedLine(refreshed)) + "\n"
            let width = min(40, refreshed.drift.map { $0.user.count }.max() ?? 0)
            for item in refreshed.drift {
                text +=
                    "  \(item.sign) \(item.user)\(String(repeating: " ", count: max(0, width - item.user.count)))  "
                    + "\(item.detail)\n"
            }
            text += "\n"
        }
        if !plan.expiring.isEmpty {
            text += style.bold("Expiring or expired") + " (settings.expiryWarning):\n"
            for notice in plan.expiring { text += "  ⚠ " + expiryLine(notice, now: plan.plannedAt) + "\n" }
            text += "\n"
        }
        if !plan.awaiting.isEmpty {
            text +=
                style.bold(awaitingLine(plan.awaiting.map(\.plannedAt), now: now).capitalizedFirst)
                + " (not planned again; vcc-creds record closes them):\n"
            for step in plan.awaiting {
                text += "  … \(step.action.rawValue) \(title(step.target)) (by \(step.by); step \(step.id))\n"
            }
            text += "\n"
        }
        if plan.changes.isEmpty { text += "No changes. The visible account matches the manifests.\n\n" }
        for change in plan.changes {
            write(change, style: style, byline: plan.actors.count > 1, into: &text)
            text += "\n"
        }
        if !plan.rotating.isEmpty {
            text += "Rotating, both secrets valid (the successor is the one to use):\n"
            for notice in plan.rotating { text += "  ↻ " + rotatingLine(notice) + "\n" }
            text += "\n"
        }
        if !plan.unmanaged.isEmpty {
            text += "Unmanaged, left alone (not in the manifests; settings.prune is off):\n"
            for user in plan.unmanaged.users { text += "  ? user \(user)\n" }
            for credential in plan.unmanaged.credentials { text += "  ? credential \(address(credential))\n" }
            text += "\n"
        }
        text += summaryLine(plan) + "\n"
        if let rekey = rekeyLine(plan) {
            text += style.bold(rekey.capitalizedFirst) + " (vcc-creds rekey --state STATE --dry-run lists them).\n"
        }
        if let hidden = hiddenLine(plan.hidden, actors: plan.actorIds) { text += style.dim(hidden) + "\n" }
        return text
    }

    /// One change's lines, each ending in a newline, indented as in a plan.
    static func lines(_ change: PlanDocument.Entry, style: TextStyle, byline: Bool = false) -> [String] {
        var text = ""
        write(change, style: style, byline: byline, into: &text)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// `byline`: name the actor that makes a permitted change (plans for several actors).
    static func write(_ change: PlanDocument.Entry, style: TextStyle, byline: Bool = false, into text: inout String) {
        let symbol: String
        switch change.action {
        case .create: symbol = style.green(change.action.symbol)
        case .update: symbol = style.yellow(change.action.symbol)
        case .delete: symbol = style.red(change.action.symbol)
        }
        let refused = !change.decision.isPermitted
        text += "  "
        if refused { text += style.red(style.bold("!")) + " " }
        text += symbol
        text += " "
        text += title(change.target)
        if byline, let actor = change.decision.actor { text += style.dim(" (by \(actor))") }
        text += "\n"
        let indent = refused ? "        " : "      "
        if let lifecycle = change.lifecycle {
            text += indent + style.bold(lifecycleLine(lifecycle, change.target)) + "\n"
            if change.decision.isPermitted, let location = change.location {
                text += indent + "declared at \(location)\n"
            }
        }
        if change.action != .delete {
            let diff = change.diff
            let width = diff.map(\.field.count).max() ?? 0
            for field in diff {
                text += indent
                text += field.field
                text += ":"
                text += String(repeating: " ", count: width - field.field.count + 1)
                switch (field.from, field.to) {
                case (let from?, let to?):
                    text += from.description
                    text += " -> "
                    text += to.description
                case (nil, let to?): text += to.description
                case (let from?, nil):
                    text += from.description
                    text += " -> (none)"
                case (nil, nil): break
                }
                text += "\n"
            }
        }
        if let impact = change.impact {
            if !impact.gained.isEmpty { text += indent + "unlocks: " + impact.gained.joined(separator: ", ") + "\n" }
            if !impact.lost.isEmpty { text += indent + "locks:   " + impact.lost.joined(separator: ", ") + "\n" }
            if !impact.sensitive.isEmpty {
                text += indent + style.red(style.bold("sensitive: " + impact.sensitive.joined(separator: ", "))) + "\n"
            }
        }
        if !change.dependsOn.isEmpty {
            text += style.dim("\(indent)after \(change.dependsOn.map(\.description).joined(separator: ", "))") + "\n"
        }
        if case .refused(let rule, let reason, let appliableBy, let alsoRefused) = change.decision {
            text += indent + style.red("refused by \(rule.rawValue)") + ": \(reason)\n"
            if let location = change.location { text += indent + "declared at \(location)\n" }
            text += indent + "\(appliableSentence(appliableBy, alsoRefused: alsoRefused, target: change.target))\n"
        }
    }

    /// "can be applied by a, b", or "nobody can apply this: fix the manifests" with, when
    /// there are some, who else is refused and by what in between.
    static func appliableSentence(_ users: [String], alsoRefused: [RefusedCandidate], target: ChangeTarget) -> String {
        if let names = appliableNames(users) { return "can be applied by \(names)" }
        return "nobody can apply this: " + (refusedAsWell(alsoRefused, target).map { $0 + "; " } ?? "")
            + "fix the manifests"
    }

    /// "the owner, sam@t, is refused as well by scope-not-allowed-for-license (a supervisor
    /// licence cannot grant stats)": one clause per rule and reason, the owner (or, for a
    /// user change, the user) named as such, the admins together; nil for nobody.
    static func refusedAsWell(_ candidates: [RefusedCandidate], _ target: ChangeTarget) -> String? {
        guard !candidates.isEmpty else { return nil }
        let owner = target.owner
        var isUser = false
        if case .user = target { isUser = true }
        var groups: [(rule: RuleID, reason: String, users: [String])] = []
        for candidate in candidates {
            if let index = groups.firstIndex(where: { $0.rule == candidate.rule && $0.reason == candidate.reason }) {
                groups[index].users.append(candidate.user)
            } else {
                groups.append((candidate.rule, candidate.reason, [candidate.user]))
            }
        }
        return groups.map { group in
            let admins = group.users.filter { $0 != owner }
            var who: [String] = []
            if let owner, group.users.contains(owner) {
                who.append(isUser ? "the user itself, \(owner)," : "the owner, \(owner),")
            }
            if !admins.isEmpty {
                who.append(admins.count == 1 ? "the admin, \(admins[0])," : "the admins, \(namesList(admins)),")
            }
            let verb = group.users.count == 1 ? "is" : "are"
            return
                "\(who.joined(separator: " and ")) \(verb) refused as well by \(group.rule.rawValue) (\(group.reason))"
        }.joined(separator: "; ")
    }

    /// "a", "a and b", "a, b and c", or the first ``namesShown`` and "and N more".
    static func namesList(_ users: [String]) -> String {
        guard users.count > namesShown else { return listed(users, conjunction: "and") }
        return users.prefix(namesShown).joined(separator: ", ") + " and \(users.count - namesShown) more"
    }

    /// "a, b and 3 more": the first ``namesShown`` names and a count; nil for nobody.
    static func appliableNames(_ users: [String]) -> String? {
        guard !users.isEmpty else { return nil }
        let shown = users.prefix(namesShown).joined(separator: ", ")
        return users.count > namesShown ? "\(shown) and \(users.count - namesShown) more" : shown
    }

    static func title(_ target: ChangeTarget) -> String {
        switch target {
        case .user(let id): return "user \(id)"
        case .credential(let credential): return "credential \(address(credential))"
        }
    }

    /// `owner/name (client-id)`, `account/name (client-id)`.
    static func address(_ target: CredentialTarget) -> String {
        let base = CredentialAddress(target).description
        return target.clientId.map { "\(base) (\($0))" } ?? base
    }

    /// Why time makes this change: "rotation: the secret is 100 days old (every 90d); ...".
    static func lifecycleLine(_ lifecycle: Lifecycle, _ target: ChangeTarget) -> String {
        switch lifecycle {
        case .rotation(let predecessor, let overlap, let trigger, let migration):
            let why: String
            switch trigger {
            case .due(let age, let every): why = "the secret is \(days(age)) old (rotate every \(every))"
            case .requested: why = "asked for by vcc-creds rotate"
            }
            let then =
                overlap.seconds == 0
                ? "it is deleted in this plan, after this successor exists"
                : "both stay valid for \(overlap), then the old one is deleted"
            if migration {
                let owner = target.owner ?? "an admin"
                return
                    "migration of account-level \(predecessor), which cannot rotate (account-level credentials "
                    + "cannot be created): this user-level successor, owned by \(owner), replaces it; \(why); "
                    + "\(then)"
            }
            return "rotation of \(predecessor): \(why); \(then)"
        case .retirement(let successor?, let ended):
            return "rotated: replaced by \(successor), the overlap ended \(ended.text)"
        case .retirement(nil, _):
            return "rotated: replaced by the successor this plan creates (overlap 0d)"
        case .expiry(let expires):
            return "expired: the manifests' expires is \(expires.text)"
        }
    }

    /// "alice/reporting (new-id): predecessor old-id is deleted from T".
    static func rotatingLine(_ notice: RotationNotice) -> String {
        "credential \(address(notice.successor)) replaces \(notice.predecessor), which the first plan from "
            + "\(notice.overlapEndsAt.text) deletes"
    }

    /// "alice/reporting (id) expires T (in 10 days)", or "... expired T: not created".
    static func expiryLine(_ notice: ExpiryNotice, now: Timestamp) -> String {
        let name = "credential \(address(notice.target))"
        guard notice.expires > now else { return "\(name) expired \(notice.expires.text): not created" }
        let left = notice.expires.seconds - now.seconds
        let when = left >= 86_400 ? "in \(days(left / 86_400))" : "in less than a day"
        return "\(name) expires \(notice.expires.text) (\(when)); the plan at or after that time deletes it"
    }

    /// "Partial plan (--target a, --exclude b): 3 changes of the whole plan left out."
    static func partialLine(_ plan: PlanDocument) -> String? {
        guard !plan.targeting.isEmpty else { return nil }
        let flags = plan.targeting.targets.map { "--target \($0)" } + plan.targeting.excludes.map { "--exclude \($0)" }
        return
            "Partial plan (\(flags.joined(separator: ", "))): \(plan.leftOut) change\(plan.leftOut == 1 ? "" : "s") "
            + "of the whole plan left out."
    }

    static func days(_ count: Int64) -> String { "\(count) day\(count == 1 ? "" : "s")" }

    /// "3 sealed files to rekey: ..." when the manifests changed who may open them.
    static func rekeyLine(_ plan: PlanDocument) -> String? {
        let count = plan.sealedFilesToRekey
        guard count > 0 else { return nil }
        return
            "\(count) sealed file\(count == 1 ? "" : "s") to rekey: the manifests changed who may open "
            + "\(count == 1 ? "it" : "them")"
    }

    /// "awaiting the portal: 2 steps, planned 3 days ago": the oldest step's age, or its
    /// time without `now`.
    static func awaitingLine(_ planned: [Timestamp], now: Timestamp?) -> String {
        let oldest = planned.min()
        let when =
            oldest.map { oldest in now.map { Self.age(from: oldest, to: $0) } ?? "at \(oldest.text)" } ?? "just now"
        return "awaiting the portal: \(planned.count) step\(planned.count == 1 ? "" : "s"), planned \(when)"
    }

    /// "just now", "5 minutes ago", "3 hours ago", "3 days ago".
    static func age(from then: Timestamp, to now: Timestamp) -> String {
        let seconds = max(0, Int(now.seconds - then.seconds))
        for (unit, size) in [("day", 86_400), ("hour", 3_600), ("minute", 60)] where seconds >= size {
            let count = seconds / size
            return "\(count) \(unit)\(count == 1 ? "" : "s") ago"
        }
        return "just now"
    }

    static func summaryLine(_ plan: PlanDocument) -> String {
        let summary = plan.summary
        return
            "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.delete) to delete, "
            + "\(summary.refused) refused."
    }

    /// "sam@t (supervisor)"; "olga@t (admin) and sam@t (supervisor)".
    static func actorList(_ plan: PlanDocument) -> String {
        listed(plan.actors.map { "\($0.id) (\($0.license.rawValue))" }, conjunction: "and")
    }

    /// "a", "a and b", "a, b and c".
    static func listed(_ items: [String], conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }

    /// "Hidden: 5 credentials are not visible to sam@t, and 2 manifest entries name
    /// credentials it cannot see; they are left out of the plan." Only counts: what a
    /// non-admin cannot see is never described. With several actors, hidden is what
    /// none of them can see.
    static func hiddenLine(_ hidden: Plan.Hidden, actors: [String]) -> String? {
        let actor = listed(actors, conjunction: "or")
        var parts: [String] = []
        if hidden.credentials > 0 {
            parts.append(
                hidden.credentials == 1
                    ? "1 credential is not visible to \(actor)"
                    : "\(hidden.credentials) credentials are not visible to \(actor)")
        }
        if hidden.entries > 0 {
            let cannotSee: String
            if actors.count > 1 {
                cannotSee =
                    parts.isEmpty ? "none of \(listed(actors, conjunction: "and")) can see" : "none of them can see"
            } else {
                cannotSee = "\(parts.isEmpty ? actor : "it") cannot see"
            }
            parts.append(
                hidden.entries == 1
                    ? "1 manifest entry names a credential \(cannotSee)"
                    : "\(hidden.entries) manifest entries name credentials \(cannotSee)")
        }
        guard !parts.isEmpty else { return nil }
        let listed = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + ", and " + parts.last!
        return
            "Hidden: \(listed); "
            + "\(parts.count == 1 && hidden.entries + hidden.credentials == 1 ? "it is" : "they are") left out "
            + "of the plan."
    }
}

extension String {
    /// The string with its first letter in upper case: a phrase starting a line.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
