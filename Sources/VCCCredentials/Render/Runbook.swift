import StrictJSON

/// The open portal steps of a state, for the person who does them (Markdown, in the
/// words of the Admin Portal's own screens) and for tools (JSON): what a portal apply
/// writes and prints, and what `pending` shows again at any time. A view of the state,
/// so a runbook lost with a crash or a CI log is never lost for good.
public struct Runbook: Sendable {
    public var state: State
    /// The state's path as the run spelled it, for the `record` commands shown.
    public var statePath: String
    /// The manifests folder, when not the default: `record` reads it for recipients.
    public var manifests: String?

    /// Every open step of `state`.
    public init(state: State, statePath: String, manifests: String? = nil) {
        self.state = state
        self.statePath = statePath
        self.manifests = manifests == PathDefaults.manifestsFolder ? nil : manifests
    }

    /// The open steps, in apply order.
    public var steps: [PendingStep] { state.pending }

    /// The steps' users, in the order of their first step: the groups of the runbook.
    var groups: [(user: String, steps: [(number: Int, step: PendingStep)])] {
        var order: [String] = []
        var byUser: [String: [(Int, PendingStep)]] = [:]
        for (offset, step) in steps.enumerated() {
            if byUser[step.by] == nil { order.append(step.by) }
            byUser[step.by, default: []].append((offset + 1, step))
        }
        return order.map { ($0, byUser[$0]!) }
    }

    /// The number of each step, by id, for "after step N".
    private var numbers: [ChangeID: Int] {
        Dictionary(steps.enumerated().map { ($1.id, $0 + 1) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Markdown

    public func markdown() -> String {
        let md = PlanMarkdown.self
        var lines = ["# Portal runbook: account \(md.codeSpan(state.account.id))", ""]
        guard !steps.isEmpty else { return (lines + ["No open steps.", ""]).joined(separator: "\n") }
        lines.append(
            "\(md.count(steps.count, "step")) to do in Vonage Contact Center, in this order. VCC has no API for API "
                + "credentials: each step is done by hand in the Admin Portal, then recorded with `vcc-creds "
                + "record`, which seals a new secret at once and updates the state."
        )
        lines.append("")
        let numbers = numbers
        for group in groups {
            lines.append("## As \(md.codeSpan(group.user))")
            lines.append("")
            lines.append("Log in to Vonage Contact Center as \(md.codeSpan(group.user)).")
            lines.append("")
            for (number, step) in group.steps {
                lines += markdown(step, number: number, numbers: numbers)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func markdown(_ step: PendingStep, number: Int, numbers: [ChangeID: Int]) -> [String] {
        let md = PlanMarkdown.self
        var lines = ["### \(number). \(md.cell(heading(step)))", ""]
        if let rotates = step.rotates {
            lines += [
                "A rotation: this credential replaces `\(rotates.predecessor)`. Both stay valid for "
                    + "\(rotates.overlap) after it is recorded; then a plan deletes the old one.",
                "",
            ]
        }
        let after = step.dependsOn.compactMap { numbers[$0] }.sorted()
        if !after.isEmpty {
            lines.append(
                "Only after step\(after.count == 1 ? "" : "s") \(after.map(String.init).joined(separator: ", ")) "
                    + "\(after.count == 1 ? "is" : "are") recorded."
            )
            lines.append("")
        }
        var items: [String] = []
        switch step.subject {
        case .credential(let target, _, let spec):
            items.append(
                "Go to **API Credentials** (within **Account Settings**). If applicable, go to the "
                    + "**\(target.level == .account ? "Accounts" : "Users")** tab."
            )
            let current = target.clientId.flatMap { clientId in state.credentials.first { $0.clientId == clientId } }
            switch step.action {
            case .create:
                items.append("Click **Create New**. *Create API Credentials* appears.")
                items.append("In **Name**, type \(md.codeSpan(spec?.name ?? target.name)).")
                items.append(
                    "In the **Scopes** list, click the name of each scope to add it:\n" + scopeList(spec?.scopes ?? []))
                items.append(
                    "Click **Create**. Copy the **client ID** and the **secret** from the Success message: they "
                        + "cannot be retrieved later."
                )
                items.append(
                    "Record them: the secret is read from standard input (typed without echo at a terminal), never "
                        + "from a flag:\n\n   "
                        + md.codeSpan(recordCommand(step)))
                items.append("Click **OK**.")
            case .update:
                let oldName = current?.name ?? target.name
                items.append(
                    "Click to open the API credentials \(md.codeSpan(oldName)) (client ID "
                        + "\(md.codeSpan(target.clientId ?? "")))."
                )
                if let spec, spec.name != oldName { items.append("Change the name to \(md.codeSpan(spec.name)).") }
                let before = current?.scopes ?? []
                let wanted = spec?.scopes ?? []
                let added = wanted.subtracting(before)
                let removed = before.subtracting(wanted)
                if !added.isEmpty {
                    items.append("In the **Scopes** list, click the name of each scope to add:\n" + scopeList(added))
                }
                if !removed.isEmpty {
                    items.append("Click **x** alongside each scope to remove:\n" + scopeList(removed))
                }
                items.append("Click **Save API credential**.")
                items.append("Record it: " + md.codeSpan(recordCommand(step)))
            case .delete:
                items.append(
                    "Click the trash can icon at the right of \(md.codeSpan(current?.name ?? target.name)) (client "
                        + "ID \(md.codeSpan(target.clientId ?? ""))), and click **Delete API credentials** in the "
                        + "dialog box that appears."
                )
                items.append("Record it: " + md.codeSpan(recordCommand(step)))
            }
        case .user(let id, _, let after):
            let current = state.users.first { $0.id == id }
            switch step.action {
            case .create:
                items.append(
                    "In **User Admin**, create the user \(md.codeSpan(id)) named \(md.codeSpan(after?.name ?? id)) "
                        + "with the **\(after?.license.rawValue ?? "")** licence."
                )
            case .update:
                if let after, let current, after.license != current.license {
                    items.append(
                        "In **User Admin**, open the user \(md.codeSpan(id)) and change the licence from "
                            + "**\(current.license.rawValue)** to **\(after.license.rawValue)**."
                    )
                }
                if let after, let current, after.name != current.name {
                    items.append(
                        "In **User Admin**, open the user \(md.codeSpan(id)) and change the name to "
                            + "\(md.codeSpan(after.name))."
                    )
                }
            case .delete:
                items.append("In **User Admin**, delete the user \(md.codeSpan(id)).")
            }
            items.append("Record it: " + md.codeSpan(recordCommand(step)))
        }
        for (offset, item) in items.enumerated() { lines.append("\(offset + 1). \(item)") }
        lines.append("")
        return lines
    }

    /// "Create credential alice/reporting", "Delete user bob".
    func heading(_ step: PendingStep) -> String {
        let verb = ["create": "Create", "update": "Edit", "delete": "Delete"][step.action.rawValue]!
        switch step.subject {
        case .user(let id, _, _): return "\(verb) user \(id)"
        case .credential(let target, _, _): return "\(verb) credential \(PlanText.address(target))"
        }
    }

    private func scopeList(_ scopes: ScopeSet) -> String {
        // A declared scope's label is the manifests' text: shown escaped, never as markup.
        scopes.map { "   - \(PlanMarkdown.cell(Printable.escaped($0.label))) (\(PlanMarkdown.codeSpan($0.rawValue)))" }
            .joined(separator: "\n")
    }

    /// `text` as one POSIX shell word: single-quoted unless it is plainly safe.
    static func shellQuoted(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || "@%+=:,./_-".utf8.contains(byte)
            }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // MARK: - JSON and text

    /// `{account, steps: [{number, id, action, kind, target, to?, by, plannedAt, planDigest, dependsOn, record}]}`:
    /// the steps in order, each with the `record` command that closes it.
    public func json() -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty)
        out.beginObject()
        out.field("account", state.account.id)
        out.key("steps")
        out.beginArray()
        for (offset, step) in steps.enumerated() {
            out.element()
            out.beginObject()
            out.field("heading", heading(step))
            out.field("number", offset + 1)
            out.field("record", recordCommand(step))
            out.key("step")
            StateWriter.write(step, to: &out)
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return out.finish()
    }

    /// The command that closes `step`, with placeholders for what the portal shows.
    func recordCommand(_ step: PendingStep) -> String {
        var base = "vcc-creds record --state \(Self.shellQuoted(statePath))"
        if let manifests { base += " --manifests \(Self.shellQuoted(manifests))" }
        base += " \(Self.shellQuoted(step.id.description))"
        return step.action == .create && step.subject.kind == .credential
            ? base + " --client-id CLIENT-ID" : base + " --done"
    }

    /// One line a step: number, id, who, when planned.
    public func text(now: Timestamp) -> String {
        guard !steps.isEmpty else { return "No open portal steps.\n" }
        var text = PlanText.awaitingLine(steps.map(\.plannedAt), now: now).capitalizedFirst + ":\n"
        for (offset, step) in steps.enumerated() {
            text +=
                "  \(offset + 1). \(Printable.escaped(step.id.description)): \(Printable.escaped(heading(step))), by "
                + "\(Printable.escaped(step.by)), planned \(step.plannedAt.text)\n"
        }
        return text
    }
}
