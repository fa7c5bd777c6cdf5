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

    public static func render(_ plan: PlanDocument, limit: Int = limit) -> String {
        let plan = plan.escapedForDisplay()
        let summary = plan.summary
        var head: [String] = []
        head.append("### " + summaryLine(plan, summary))
        head.append("")
        if plan.hasDeletions {
            let deletions = plan.changes.filter { $0.action == .delete }
            let permitted = deletions.filter(\.decision.isPermitted).count
            head.append("> [!CAUTION]")
            head.append(
                "> This plan **deletes** \(count(deletions.count, "resource"))"
                    + (permitted == deletions.count ? ":" : " (\(permitted) permitted, \(deletions.count - permitted) refused):"))
            let listed = deletions.prefix(10).map { "`" + PlanText.title($0.target).replacingOccurrences(of: "`", with: "'") + "`" }
            head.append("> " + listed.joined(separator: ", ") + (deletions.count > 10 ? " and \(deletions.count - 10) more." : "."))
            head.append(">")
            head.append("> Deleted credentials stop working at once; their secrets cannot be recovered.")
            head.append("")
        }
        let footer = footerLines(plan)
        var budget = limit - reserve - size(head) - size(footer)
        var body: [String] = []
        var omitted = 0

        let refusals = plan.changes.filter { !$0.decision.isPermitted }
        if !refusals.isEmpty {
            var table = [
                "#### Refused (\(refusals.count))", "",
                "| change | rule | reason | can be applied by |", "|---|---|---|---|",
            ]
            var shown = 0
            // The table may take half the room at most: the changes themselves need the rest.
            let tableBudget = plan.changes.count > refusals.count ? budget / 2 : budget
            for entry in refusals {
                guard case .refused(let rule, let reason, let appliableBy) = entry.decision else { continue }
                let row = "| \(cell(symbol(entry) + " " + PlanText.title(entry.target))) | `\(rule.rawValue)` | \(cell(reason)) | \(cell(appliable(appliableBy))) |"
                guard size([row]) <= tableBudget - size(table) else { break }
                table.append(row)
                shown += 1
            }
            if shown < refusals.count { table.append("| … \(refusals.count - shown) more refusals | | | |") }
            table.append("")
            budget -= size(table)
            body += table
        }

        if !plan.changes.isEmpty {
            body.append("#### Changes by owner")
            body.append("")
            budget -= size(["#### Changes by owner", ""])
        }
        for (owner, entries) in groups(plan.changes) {
            let rendered = entries.map { PlanText.lines($0, style: .plain).map { String($0.dropFirst(2)) } }
            let name = owner.map { cell($0) } ?? "account level"
            let fold = rendered.reduce(0) { $0 + $1.count } > foldAfter
            var heading = fold
                ? "<details><summary><b>\(name)</b>: \(count(entries.count, "change"))</summary>"
                : "**\(name)**: \(count(entries.count, "change"))"
            let frame = fold ? [heading, "", "", "", "</details>", ""] : [heading, "", "", "", ""]
            // As many whole changes as fit; the rest of the group is counted.
            var lines: [String] = []
            var room = budget - size(frame) - 8
            var shown = 0
            for change in rendered {
                guard size(change) <= room else { break }
                lines += change
                room -= size(change)
                shown += 1
            }
            omitted += entries.count - shown
            guard shown > 0 else { continue }
            if shown < entries.count {
                heading = heading.replacingOccurrences(
                    of: count(entries.count, "change"), with: "\(count(entries.count, "change")) (first \(shown) shown)")
            }
            let fenced = fence(lines)
            let block = fold ? [heading, ""] + fenced + ["", "</details>", ""] : [heading, ""] + fenced + [""]
            budget -= size(block)
            body += block
        }
        if omitted > 0 {
            body.append(
                "> [!NOTE]\n> \(count(omitted, "change")) not shown: this comment is limited to \(limit) characters. Run `vcc-creds show PLANFILE` for the whole plan.")
            body.append("")
        }

        var tail: [String] = []
        if !plan.unmanaged.isEmpty {
            let names = plan.unmanaged.users.map { "user \($0)" }
                + plan.unmanaged.credentials.map { "credential \(PlanText.address($0))" }
            var listed: [String] = []
            var room = min(budget, 4_000)
            for name in names {
                let line = "- \(cell(name))"
                guard line.utf8.count + 1 <= room else { break }
                room -= line.utf8.count + 1
                listed.append(line)
            }
            if listed.count < names.count { listed.append("- … and \(names.count - listed.count) more") }
            tail += [
                "<details><summary>Unmanaged (left alone, settings.prune is off): \(names.count)</summary>", "",
            ] + listed + ["", "</details>", ""]
        }
        if let hidden = PlanText.hiddenLine(plan.hidden, actor: plan.actor) {
            tail.append("_\(hidden)_")
            tail.append("")
        }
        return (head + body + tail + footer).joined(separator: "\n")
    }

    static func summaryLine(_ plan: PlanDocument, _ summary: Plan.Summary) -> String {
        guard !plan.changes.isEmpty else {
            return "vcc-creds plan for `\(plan.account)` as `\(plan.actor)`: no changes"
        }
        var parts = [
            "\(summary.create) to create", "\(summary.update) to update", "\(summary.delete) to delete",
        ]
        if summary.refused > 0 { parts.append("**\(summary.refused) refused**") }
        return "vcc-creds plan for `\(plan.account)` as `\(plan.actor)`: " + parts.joined(separator: ", ")
    }

    static func footerLines(_ plan: PlanDocument) -> [String] {
        [
            "---",
            "<sub>account `\(plan.account)` · actor `\(plan.actor)` (\(plan.actorLicense.rawValue)) · state serial \(plan.state.serial) (lineage `\(plan.state.lineage.prefix(8))`) · plan `sha256:\(PlanFile.digest(plan).prefix(16))` · vcc-creds \(plan.toolVersion)</sub>",
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

    static func symbol(_ entry: PlanDocument.Entry) -> String {
        switch entry.action {
        case .create: return "+"
        case .update: return "~"
        case .delete: return "-"
        }
    }

    static func appliable(_ users: [String]) -> String {
        guard !users.isEmpty else { return "nobody: fix the manifests" }
        let shown = users.prefix(PlanText.namesShown).joined(separator: ", ")
        return users.count > PlanText.namesShown ? "\(shown) and \(users.count - PlanText.namesShown) more" : shown
    }

    /// A `diff` code block (GitHub colours `+` and `-` lines), fenced with more backticks
    /// than any run inside it.
    static func fence(_ lines: [String]) -> [String] {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let marker = String(repeating: "`", count: max(3, longest + 1))
        return [marker + "diff"] + lines + [marker]
    }

    /// Text safe inside a table cell: no line breaks, pipes or HTML.
    static func cell(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
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
