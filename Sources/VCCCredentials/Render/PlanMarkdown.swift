import Foundation

/// The plan as a pull-request comment: a one-line summary, a banner when anything is
/// deleted, a table of refusals, the changes grouped by owner (folded when long), and a
/// footer binding it to its inputs. Never longer than ``limit`` bytes, whatever the plan's
/// size: what does not fit is counted, not cut mid-line.
public enum PlanMarkdown {
    /// GitHub rejects comments over 65,536 characters; bytes are counted, which is never less.
    public static let limit = 65_000
    /// Groups with more lines than this are folded in `<details>`.
    static let foldAfter = 12
    /// Room kept for the truncation note and the footer.
    static let reserve = 1_500

    /// `now` dates the open portal steps, as in ``PlanText/render(_:style:now:)``.
    public static func render(_ plan: PlanDocument, limit: Int = limit, now: Timestamp? = nil) -> String {
        // The digest is the plan's, as saved: taken before escaping for display.
        let digest = PlanFile.digest(plan)
        let plan = plan.escapedForDisplay()
        let head =
            ["### " + summaryLine(plan, plan.summary), ""] + partialBanner(plan) + sensitiveBanner(plan)
            + expiryBanner(plan) + refreshedNote(plan) + awaitingNote(plan, now: now) + rekeyNote(plan)
            + deletionBanner(plan) + rotatingNote(plan)
        let footer = footerLines(plan, digest: digest)
        var budget = limit - reserve - size(head) - size(footer)
        var body = refusalTable(plan, budget: &budget)
        let (groups, omitted) = ownerGroups(plan, budget: &budget)
        body += groups
        if omitted > 0 {
            body.append(
                "> [!NOTE]\n> \(count(omitted, "change")) not shown: this comment is limited to \(limit) characters. "
                    + "Run `vcc-creds show PLANFILE` for the whole plan."
            )
            body.append("")
        }
        var tail = unmanagedList(plan, room: min(budget, 4_000))
        if let hidden = PlanText.hiddenLine(plan.hidden, actors: plan.actorIds) {
            tail.append("_\(cell(hidden))_")
            tail.append("")
        }
        return (head + body + tail + footer).joined(separator: "\n")
    }

    /// What `--refresh` read from VCC, before the changes planned against it.
    static func refreshedNote(_ plan: PlanDocument) -> [String] {
        guard let refreshed = plan.refreshed else { return [] }
        var lines = ["> [!NOTE]", "> **\(cell(PlanText.refreshedLine(refreshed)))**"]
        if !refreshed.drift.isEmpty { lines.append(">") }
        for item in refreshed.drift.prefix(50) {
            lines.append("> - \(item.sign) user \(codeSpan(item.user)): \(cell(item.detail))")
        }
        if refreshed.drift.count > 50 {
            lines.append("> - and \(refreshed.drift.count - 50) more (`vcc-creds show PLANFILE`)")
        }
        return lines + [""]
    }

    /// What is under way in the portal, first: those steps are not in the plan.
    static func awaitingNote(_ plan: PlanDocument, now: Timestamp?) -> [String] {
        guard !plan.awaiting.isEmpty else { return [] }
        var lines = [
            "> [!NOTE]",
            "> **\(cell(PlanText.awaitingLine(plan.awaiting.map(\.plannedAt), now: now).capitalizedFirst))**: not "
                + "planned again; `vcc-creds record` closes them.",
            ">",
        ]
        for step in plan.awaiting.prefix(50) {
            let target: String
            switch step.target {
            case .user(let id): target = "user \(codeSpan(id))"
            case .credential(let credential): target = "credential \(codeSpan(PlanText.address(credential)))"
            }
            lines.append("> - \(step.action.rawValue) \(target) by \(codeSpan(step.by))")
        }
        if plan.awaiting.count > 50 { lines.append("> - and \(plan.awaiting.count - 50) more (`vcc-creds pending`)") }
        return lines + [""]
    }

    /// A partial plan says so before anything else: what it leaves out is not reviewed here.
    static func partialBanner(_ plan: PlanDocument) -> [String] {
        guard let line = PlanText.partialLine(plan) else { return [] }
        return ["> [!WARNING]", "> **\(cell(line))**", ""]
    }

    /// Sensitive scopes granted, first of all: what a reviewer must not wave through.
    static func sensitiveBanner(_ plan: PlanDocument) -> [String] {
        let grants = plan.sensitiveGrants
        guard !grants.isEmpty else { return [] }
        let scopes = Set(grants.flatMap(\.scopes)).sorted()
        var lines = [
            "> [!CAUTION]",
            "> **Sensitive scopes granted**: \(scopes.map(codeSpan).joined(separator: ", ")) "
                + "(\(count(grants.count, "change"))):",
            ">",
        ]
        for (entry, granted) in grants.prefix(20) {
            let unlocks = entry.impact?.gained.joined(separator: ", ") ?? ""
            lines.append(
                "> - \(codeSpan(entry.action.symbol + " " + PlanText.title(entry.target))): "
                    + "\(granted.map(codeSpan).joined(separator: ", ")) (unlocks \(cell(unlocks)))"
                    + (entry.decision.isPermitted ? "" : ", refused"))
        }
        if grants.count > 20 { lines.append("> - and \(grants.count - 20) more") }
        return lines + [""]
    }

    /// Credentials about to expire, first: a consumer must be moved before the date.
    static func expiryBanner(_ plan: PlanDocument) -> [String] {
        guard !plan.expiring.isEmpty else { return [] }
        var lines = [
            "> [!WARNING]", "> **\(count(plan.expiring.count, "credential")) expiring** (settings.expiryWarning):", ">",
        ]
        for notice in plan.expiring.prefix(20) {
            lines.append("> - \(cell(PlanText.expiryLine(notice, now: plan.plannedAt)))")
        }
        if plan.expiring.count > 20 { lines.append("> - and \(plan.expiring.count - 20) more") }
        return lines + [""]
    }

    /// Pairs in their overlap: no change, but both secrets are valid and consumers
    /// should be on the successor before the predecessor goes.
    static func rotatingNote(_ plan: PlanDocument) -> [String] {
        guard !plan.rotating.isEmpty else { return [] }
        var lines = [
            "> [!NOTE]",
            "> **\(count(plan.rotating.count, "credential")) rotating**: both secrets valid; the successor is the "
                + "one to use.",
            ">",
        ]
        for notice in plan.rotating.prefix(20) { lines.append("> - \(cell(PlanText.rotatingLine(notice)))") }
        if plan.rotating.count > 20 { lines.append("> - and \(plan.rotating.count - 20) more") }
        return lines + [""]
    }

    /// Sealed files whose readers the manifests change: no change in VCC, so not in the
    /// table, but a reviewer must see who gains and loses access.
    static func rekeyNote(_ plan: PlanDocument) -> [String] {
        guard let line = PlanText.rekeyLine(plan) else { return [] }
        return [
            "> [!IMPORTANT]",
            "> **\(cell(line.capitalizedFirst))**: run `vcc-creds rekey --state STATE --dry-run` for the list.", "",
        ]
    }

    /// The caution banner when anything is deleted: reviewers must not miss it.
    static func deletionBanner(_ plan: PlanDocument) -> [String] {
        guard plan.hasDeletions else { return [] }
        let deletions = plan.changes.filter { $0.action == .delete }
        let permitted = deletions.filter(\.decision.isPermitted).count
        let listed = deletions.prefix(10).map { codeSpan(PlanText.title($0.target)) }
        return [
            "> [!CAUTION]",
            "> This plan **deletes** \(count(deletions.count, "resource"))"
                + (permitted == deletions.count
                    ? ":" : " (\(permitted) permitted, \(deletions.count - permitted) refused):"),
            "> " + listed.joined(separator: ", ") + (deletions.count > 10 ? " and \(deletions.count - 10) more." : "."),
            ">",
            "> Deleted credentials stop working at once; their secrets cannot be recovered.",
            "",
        ]
    }

    /// The refusals as a table, as many rows as fit in half the room at most (the changes
    /// themselves need the rest); the others are counted.
    static func refusalTable(_ plan: PlanDocument, budget: inout Int) -> [String] {
        let refusals = plan.changes.filter { !$0.decision.isPermitted }
        guard !refusals.isEmpty else { return [] }
        var table = [
            "#### Refused (\(refusals.count))", "",
            "| change | rule | reason | can be applied by |", "|---|---|---|---|",
        ]
        var shown = 0
        let tableBudget = plan.changes.count > refusals.count ? budget / 2 : budget
        for entry in refusals {
            guard case .refused(let rule, let reason, let appliableBy, let alsoRefused) = entry.decision else {
                continue
            }
            let why = PlanText.refusedAsWell(alsoRefused, entry.target).map { $0 + "; " } ?? ""
            let applier = PlanText.appliableNames(appliableBy) ?? "nobody: \(why)fix the manifests"
            let row =
                "| \(cell(entry.action.symbol + " " + PlanText.title(entry.target))) | `\(rule.rawValue)` | "
                + "\(cell(reason)) | \(cell(applier)) |"
            guard size([row]) <= tableBudget - size(table) else { break }
            table.append(row)
            shown += 1
        }
        if shown < refusals.count { table.append("| … \(refusals.count - shown) more refusals | | | |") }
        table.append("")
        budget -= size(table)
        return table
    }

    /// Every change under its owner, in `diff` blocks (folded when long), as many whole
    /// changes as fit; `omitted` counts the rest.
    static func ownerGroups(_ plan: PlanDocument, budget: inout Int) -> (lines: [String], omitted: Int) {
        guard !plan.changes.isEmpty else { return ([], 0) }
        var body = ["#### Changes by owner", ""]
        budget -= size(body)
        var omitted = 0
        for (owner, entries) in groups(plan.changes) {
            let (block, shown) = ownerGroup(owner, entries, byline: plan.actors.count > 1, budget: budget)
            omitted += entries.count - shown
            budget -= size(block)
            body += block
        }
        return (body, omitted)
    }

    /// One owner's changes within `budget`: the block (empty when none fit) and how many
    /// changes it shows.
    static func ownerGroup(_ owner: String?, _ entries: [PlanDocument.Entry], byline: Bool = false, budget: Int) -> (
        block: [String], shown: Int
    ) {
        let rendered = entries.map {
            PlanText.lines($0, style: .plain, byline: byline).map { String($0.dropFirst(2)) }
        }
        let name = owner.map { cell($0) } ?? "account level"
        let fold = rendered.reduce(0) { $0 + $1.count } > foldAfter
        var heading =
            fold
            ? "<details><summary><b>\(name)</b>: \(count(entries.count, "change"))</summary>"
            : "**\(name)**: \(count(entries.count, "change"))"
        let frame = fold ? [heading, "", "", "", "</details>", ""] : [heading, "", "", "", ""]
        var lines: [String] = []
        var room = budget - size(frame) - 8
        var shown = 0
        for change in rendered {
            guard size(change) <= room else { break }
            lines += change
            room -= size(change)
            shown += 1
        }
        guard shown > 0 else { return ([], 0) }
        if shown < entries.count {
            heading = heading.replacingOccurrences(
                of: count(entries.count, "change"), with: "\(count(entries.count, "change")) (first \(shown) shown)")
        }
        let fenced = fence(lines)
        return (fold ? [heading, ""] + fenced + ["", "</details>", ""] : [heading, ""] + fenced + [""], shown)
    }

    /// What `settings.prune: false` leaves alone, folded, as many names as fit in `room`.
    static func unmanagedList(_ plan: PlanDocument, room: Int) -> [String] {
        guard !plan.unmanaged.isEmpty else { return [] }
        let names =
            plan.unmanaged.users.map { "user \($0)" }
            + plan.unmanaged.credentials.map { "credential \(PlanText.address($0))" }
        var listed: [String] = []
        var room = room
        for name in names {
            let line = "- \(cell(name))"
            guard line.utf8.count + 1 <= room else { break }
            room -= line.utf8.count + 1
            listed.append(line)
        }
        if listed.count < names.count { listed.append("- … and \(names.count - listed.count) more") }
        return ["<details><summary>Unmanaged (left alone, settings.prune is off): \(names.count)</summary>", ""]
            + listed + ["", "</details>", ""]
    }

    static func summaryLine(_ plan: PlanDocument, _ summary: Plan.Summary) -> String {
        guard !plan.changes.isEmpty else {
            return "vcc-creds plan for \(codeSpan(plan.account)) as \(actorNames(plan)): no changes"
        }
        var parts = [
            "\(summary.create) to create", "\(summary.update) to update", "\(summary.delete) to delete",
        ]
        if summary.refused > 0 { parts.append("**\(summary.refused) refused**") }
        return "vcc-creds plan for \(codeSpan(plan.account)) as \(actorNames(plan)): " + parts.joined(separator: ", ")
    }

    /// "`sam@t`", "`olga@t` and `sam@t`".
    static func actorNames(_ plan: PlanDocument) -> String {
        PlanText.listed(plan.actorIds.map(codeSpan), conjunction: "and")
    }

    static func footerLines(_ plan: PlanDocument, digest: String) -> [String] {
        [
            "---",
            "<sub>account \(codeSpan(plan.account)) · \(plan.actors.count == 1 ? "actor" : "actors") "
                + PlanText.listed(plan.actors.map { "\(codeSpan($0.id)) (\($0.license.rawValue))" }, conjunction: "and")
                + " · state serial \(plan.state.serial) (lineage `\(plan.state.lineage.prefix(8))`)"
                + " · planned \(plan.plannedAt.text) · plan `sha256:\(digest.prefix(16))`"
                + " · vcc-creds \(plan.toolVersion)</sub>",
            "",
        ]
    }

    /// Changes grouped by owner (a user's own changes with their credentials), owners in
    /// order of first appearance, account-level credentials last.
    static func groups(_ entries: [PlanDocument.Entry]) -> [(String?, [PlanDocument.Entry])] {
        var order: [String?] = []
        var grouped: [String?: [PlanDocument.Entry]] = [:]
        for entry in entries {
            let owner = entry.owner
            if grouped[owner] == nil { order.append(owner) }
            grouped[owner, default: []].append(entry)
        }
        let sorted = order.filter { $0 != nil }.sorted { $0! < $1! } + order.filter { $0 == nil }
        return sorted.map { ($0, grouped[$0]!) }
    }

    /// A `diff` code block (GitHub colours `+` and `-` lines), fenced with more backticks
    /// than any run inside it.
    static func fence(_ lines: [String]) -> [String] {
        let longest = lines.map(longestBacktickRun).max() ?? 0
        let marker = String(repeating: "`", count: max(3, longest + 1))
        return [marker + "diff"] + lines + [marker]
    }

    /// A code span showing `text` exactly, whatever backticks it holds: fenced with one
    /// backtick more than its longest run, and padded with a space when it starts or ends
    /// with a backtick or a space (CommonMark strips one space on each side). Nothing in a
    /// code span links, mentions or formats.
    static func codeSpan(_ text: String) -> String {
        let fence = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") || (text.hasPrefix(" ") && text.hasSuffix(" "))
        return pad ? "\(fence) \(text) \(fence)" : fence + text + fence
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// Text safe inside a table cell or a line of prose: no line breaks, pipes, HTML or
    /// emphasis, and no `@` that could mention someone. GitHub and GitLab see a mention
    /// only in an `@` that no letter or digit precedes; such an `@` is followed by a word
    /// joiner, which reads the same and breaks the mention. An address like
    /// `sam@acme.example` is left as it is, so it can be copied.
    static func cell(_ text: String) -> String {
        var result = ""
        var previous: Character?
        for character in text {
            defer { previous = character }
            switch character {
            case "@" where !(previous.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false):
                result += "@\u{2060}"
            case "|": result += "\\|"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\n", "\r": result += " "
            case "`", "*", "_", "[", "]", "\\": result += "\\\(character)"
            default: result.append(character)
            }
        }
        return result
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func size(_ lines: [String]) -> Int {
        lines.reduce(0) { $0 + $1.utf8.count + 1 }
    }
}
