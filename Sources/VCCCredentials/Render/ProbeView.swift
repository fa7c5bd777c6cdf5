/// `probe`'s report for people: text for a terminal, Markdown for a pull request or an
/// issue. Drift first, each with what to do; agreeing credentials are only counted.
extension ProbeReport {
    /// "alice@acme.example/reporting (6f1c2f8e-...)".
    static func name(_ credential: Credential) -> String {
        "\(Printable.escaped(CredentialAddress(credential).description)) (\(credential.clientId))"
    }

    /// What differs, one line each: a label and the sentence.
    static func lines(_ finding: ProbeFinding) -> [(label: String, text: String)] {
        var lines: [(String, String)] = []
        if finding.status == .rejected {
            lines.append(
                (
                    "rejected",
                    "VCC does not authenticate it (invalid_client: deleted, or its secret regenerated, "
                        + "in the portal)"
                ))
        }
        if !finding.missing.isEmpty {
            lines.append(
                ("missing", finding.missing.identifiers.joined(separator: ", ") + " (declared; VCC refuses a token)"))
        }
        if !finding.excess.isEmpty {
            lines.append(
                ("excess", finding.excess.identifiers.joined(separator: ", ") + " (not declared; VCC gives a token)"))
        }
        return lines
    }

    var summary: String {
        let agree = findings.count - drifted.count - unchecked.count
        let noun = findings.count == 1 ? "credential" : "credentials"
        return "\(findings.count) \(noun) of account \(Printable.escaped(account)) (state serial \(serial)) asked "
            + "about at VCC's token endpoint: \(agree) agree, \(drifted.count) drift, \(unchecked.count) not checked"
            + (excessChecked ? "" : " (scopes beyond those declared not asked for: --excess)")
    }

    var cost: String {
        "\(requests) request\(requests == 1 ? "" : "s"); the rate limit and retries waited "
            + "\(Self.tenths(secondsWaited)) s."
    }

    public func text(statePath: String) -> String {
        var text = summary + ".\n"
        for finding in drifted {
            text += "\n~ \(Self.name(finding.credential))\n"
            for line in Self.lines(finding) { text += "    \(line.label): \(line.text)\n" }
            for step in todo(finding, statePath: statePath) { text += "    to do: \(step)\n" }
        }
        if !unchecked.isEmpty {
            text += "\nNot checked:\n"
            for finding in unchecked {
                guard case .unchecked(let reason) = finding.status else { continue }
                text += "  \(Self.name(finding.credential)): \(reason.sentence)\n"
            }
        }
        return text + "\n" + cost + "\n"
    }

    public func markdown(statePath: String) -> String {
        let md = PlanMarkdown.self
        var text = "### VCC credentials of account \(md.codeSpan(account)) (probe)\n\n\(summary).\n"
        if !drifted.isEmpty {
            text += "\n| credential | client ID | drift | to do |\n|---|---|---|---|\n"
            for finding in drifted {
                let drift = Self.lines(finding).map { "**\($0.label)**: " + md.cell($0.text) }
                let todo = todo(finding, statePath: statePath).map(md.cell)
                text +=
                    "| \(md.cell(CredentialAddress(finding.credential).description)) | "
                    + "\(md.codeSpan(finding.credential.clientId)) | \(drift.joined(separator: "<br>")) | "
                    + "\(todo.joined(separator: "<br>")) |\n"
            }
        }
        if !unchecked.isEmpty {
            text += "\nNot checked:\n\n"
            for finding in unchecked {
                guard case .unchecked(let reason) = finding.status else { continue }
                text +=
                    "- \(md.codeSpan(CredentialAddress(finding.credential).description)) "
                    + "(\(md.codeSpan(finding.credential.clientId))): \(reason.sentence)\n"
            }
        }
        return text + "\n" + cost + "\n"
    }
}
