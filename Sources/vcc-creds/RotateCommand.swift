import ArgumentParser
import Foundation
import VCCCredentials

struct RotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Plan an immediate rotation of a credential (a leaked secret), whatever its age.",
        discussion: """
            The plan creates a successor (same owner, name and scopes; decided like any \
            create: only the owner may) and deletes the old credential once the overlap has \
            passed: in the same plan, after the successor, when it is 0d. Save it with --out \
            and apply it with 'vcc-creds apply PLANFILE'. Exit codes as for plan.

            Examples:
              vcc-creds rotate --state state.json --as sam@acme.example \\
                sam@acme.example/reporting --overlap 0d --out plan.json
              vcc-creds apply plan.json
            """
    )

    @Argument(help: "The credential: OWNER/NAME (account/NAME for an account-level one) or its client ID.")
    var credential: String

    @Option(
        help: ArgumentHelp(
            "How long old and new stay valid together, like 7d or 12h; 0d deletes the old one in the same plan "
                + "(default: the credential's declared rotate.overlap).",
            valueName: "span"))
    var overlap: String?

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files (*.yaml, *.yml), read recursively \(InputPaths.manifestsHelp).",
            valueName: "folder"))
    var manifests: String?

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "A user the run acts as; repeatable, as for plan (default: $VCC_CREDS_AS, comma-separated).",
            valueName: "user"))
    var actors: [String] = []

    @OptionGroup var output: PlanOutputOptions

    func validate() throws {
        _ = try InputPaths.state(state)
        if let overlap, let problem = TimeSpan.problem(overlap, "--overlap") { throw ValidationError(problem) }
    }

    func run() throws {
        try PlanCommand.plan(
            state: state, manifests: manifests, actors: actors, format: output.format,
            detailedExitcode: output.detailedExitcode, out: output.out,
            rotations: [RotationRequest(credential: credential, overlap: overlap.flatMap(TimeSpan.init))])
    }
}
