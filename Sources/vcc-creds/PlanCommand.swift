import ArgumentParser
import Foundation
import VCCCredentials

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change, each change decided for the acting user.",
        discussion: """
            Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, \
            2 permitted changes with --detailed-exitcode, 3 some changes refused.

            Examples:
              vcc-creds plan --state examples/acme/state.json --as sam@acme.example
              vcc-creds plan --state state.json --as alice@acme.example --out plan.json \\
                --format markdown
            """
    )

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
            "A user the run acts as; must be a user in the state. Repeatable: each change is made by the first that "
                + "may make it, its owner first (default: $VCC_CREDS_AS, comma-separated).",
            valueName: "user"))
    var actors: [String] = []

    @OptionGroup var output: PlanOutputOptions

    @OptionGroup var targeting: TargetingOptions

    func validate() throws { _ = try InputPaths.state(state) }

    func run() throws {
        try Self.plan(
            state: state, manifests: manifests, actors: actors, format: output.format,
            detailedExitcode: output.detailedExitcode, out: output.out, rotations: [], targeting: targeting.targeting)
    }

    /// Plans, saves (with `--out`), prints and exits: `plan`, and `rotate` with the
    /// rotations it asks for.
    static func plan(
        state: String?, manifests: String?, actors: [String], format: PlanFormat, detailedExitcode: Bool, out: String?,
        rotations: [RotationRequest], targeting: Targeting = Targeting()
    ) throws -> Never {
        let state = try InputPaths.state(state)
        let manifests = InputPaths.manifests(manifests)
        let pipeline = PlanPipeline()
        let actors = ActorList.resolve(flags: actors, environment: ProcessInfo.processInfo.environment)
        let context = PlanContext(now: Output.now, rotations: rotations, targeting: targeting)
        let result = try pipeline.plan(manifests: manifests, statePath: state, actors: actors, context: context)
        let document = result.document(inputs: out.map { _ in PlanDocument.Inputs(state: state, manifests: manifests) })
        if let out {
            try pipeline.save(document, to: out)
            let creates = result.plan.changes.contains(where: \.mintsSecret)
            let recipients =
                creates && result.state.state.account.executor == .local && result.desired.settings.recipients.isEmpty
                ? " --recipient age1..." : ""
            Output.standardError(
                "Saved the plan to \(out). Apply exactly this plan with: vcc-creds apply \(out)\(recipients)")
        }
        Output.standardOutput(PlanPipeline.render(document, format: format, style: Output.style, now: Output.now))
        Output.exit(ExitStatus.forPlan(result.plan, detailedExitCode: detailedExitcode))
    }
}

extension PlanFormat: ExpressibleByArgument {}
