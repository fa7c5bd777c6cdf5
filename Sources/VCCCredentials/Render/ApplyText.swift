/// The outcome of an apply, after the plan it applied: what was written where.
public enum ApplyText {
    /// How many credentials' own files the outcome lists by name.
    static let filesListed = 20

    public static func render(_ result: ApplyResult, style: TextStyle = .plain) -> String {
        PlanText.render(result.document, style: style) + "\n" + outcome(result, style: style)
    }

    /// The lines after the plan: all `--quiet` prints, and all that is left to print once
    /// the plan was shown before the question.
    public static func outcome(_ result: ApplyResult, style: TextStyle = .plain) -> String {
        if result.cancelled { return "Apply cancelled.\n" }
        var text = ""
        if let stop = result.stoppedBy {
            text += style.bold("Apply stopped:") + " \(stop.message)\n"
            let made = Plan.Summary(counting: result.applied)
            text +=
                "Made and committed: \(made.create) created, \(made.update) updated, \(made.delete) deleted"
                + (result.newSerial.map { " (state serial \($0))" } ?? "") + ".\n"
            if !result.notMade.isEmpty {
                text += "Not made (apply again once the cause is fixed):\n"
                for change in result.notMade {
                    text += "  \(change.action.rawValue) \(Printable.escaped(change.id.description))\n"
                }
            }
            return text
        }
        guard let serial = result.newSerial else {
            if result.heldBack {
                let refused = result.plan.summary.refused
                text +=
                    "Nothing applied: --all-or-nothing, and \(refused) change\(refused == 1 ? " was" : "s were") "
                    + "refused.\n"
            } else {
                text += "Nothing to apply.\n"
            }
            return text
        }
        let records = "\(result.refreshed.count) user record\(result.refreshed.count == 1 ? "" : "s") from VCC"
        if result.applied.isEmpty && result.handedOff.isEmpty {
            return "Nothing to apply; \(records) taken in.\nState serial \(serial) committed.\n"
        }
        if !result.refreshed.isEmpty { text += "\(records.capitalizedFirst) taken in.\n" }
        if !result.notMade.isEmpty {
            text += "Waiting (they depend on portal steps; apply again after 'record'):\n"
            for change in result.notMade {
                text += "  \(change.action.rawValue) \(Printable.escaped(change.id.description))\n"
            }
        }
        if !result.handedOff.isEmpty {
            let count = result.handedOff.count
            text +=
                style.bold("Handed to the portal:")
                + " \(count) step\(count == 1 ? "" : "s") to do in the Admin Portal, nothing minted"
            text += result.plan.hasRefusals ? ", \(result.plan.summary.refused) refused.\n" : ".\n"
            text += "State serial \(serial) committed with the open steps.\n"
            if !result.runbookPaths.isEmpty {
                text += "Runbook: \(result.runbookPaths.map(Printable.escaped).joined(separator: ", ")).\n"
            }
            if let runbook = result.runbook { text += "\n" + runbook.markdown() }
            return text
        }
        let applied = Plan.Summary(counting: result.applied)
        text +=
            style.bold("Apply complete!")
            + " \(applied.create) created, \(applied.update) updated, \(applied.delete) deleted"
        text += result.plan.hasRefusals ? ", \(result.plan.summary.refused) refused.\n" : ".\n"
        text += "State serial \(serial) committed.\n"
        if let sealed = result.sealedPath {
            let count = result.sealedClientIds.count
            let shown = Printable.escaped(sealed)
            text +=
                "\(count) new secret\(count == 1 ? "" : "s") sealed in \(shown) (open with: age -d -i KEY \(shown)).\n"
        }
        if let first = result.sealedFiles.first {
            let count = result.sealedFiles.count
            let folder = Printable.escaped(PathComponents.directory(of: first))
            text +=
                count == 1
                ? "1 secret sealed in a file of its own, for its recipients, in \(folder)/"
                : "\(count) secrets sealed, each in a file of its own for its recipients, in \(folder)/"
            text += result.indexPath.map { " (who can open which: \(Printable.escaped($0)))" } ?? ""
            text += ":\n"
            let files = Set(result.sealedFiles)
            var listed = 0
            for change in result.applied {
                guard let clientId = result.createdClientIds[change.id], listed < Self.filesListed else { continue }
                let path = PathComponents.join(PathComponents.directory(of: first), clientId + ".age")
                guard files.contains(path) else { continue }
                text += "  \(Printable.escaped(path))  \(PlanText.title(ChangeTarget(change.subject)))\n"
                listed += 1
            }
            if count > listed { text += "  and \(count - listed) more (apply --format json lists them all)\n" }
        } else if let index = result.indexPath {
            text += "Sealed-output index updated: \(Printable.escaped(index)).\n"
        }
        return text
    }
}
