import ArgumentParser
import VCCCredentials

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Render a saved plan; a stale one is shown with a warning on stderr.",
        discussion: """
            Staleness is checked against the state and manifests the plan was made from \
            (or --state / --manifests).

            Example:
              vcc-creds show plan.json --format markdown > comment.md
            """
    )

    @Argument(help: "A plan saved by 'vcc-creds plan --out'.")
    var planFile: String

    @Option(help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @Option(
        help: ArgumentHelp(
            "The state to check the plan against (default: the one it was planned from, else "
                + "$\(PathDefaults.stateVariable)).",
            valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "The manifests to check the plan against (default: the ones it was planned from, else "
                + "$\(PathDefaults.manifestsVariable)).",
            valueName: "folder"))
    var manifests: String?

    func run() throws {
        let shown = try ShowPipeline().show(planFile: planFile, state: state, manifests: manifests)
        for warning in shown.warnings { Output.print(warning) }
        Output.standardOutput(PlanPipeline.render(shown.document, format: format, style: Output.style, now: Output.now))
    }
}
