import ArgumentParser
import VCCCredentials

struct PendingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "List the open portal steps of a state (the runbook, again).",
        discussion: """
            text: one line a step; markdown: the runbook a portal apply wrote, step by step in \
            the portal's words; json: the steps and the record command that closes each.

            Example:
              vcc-creds pending --state state.json --format markdown
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func validate() throws { _ = try InputPaths.state(state) }

    func run() throws {
        let path = try InputPaths.state(state)
        let runbook = Runbook(state: try StateStore().load(path).state, statePath: path)
        switch format {
        case .text: Output.standardOutput(runbook.text(now: Output.now))
        case .json: Output.standardOutput(bytes: runbook.json())
        case .markdown: Output.standardOutput(runbook.markdown())
        }
    }
}
