import ArgumentParser
import Foundation
import VCCCredentials

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change, each change decided for the acting user.",
        discussion: """
            --refresh reads VCC's users first (as 'refresh' does, with the tool's own API \
            credential, in settings.region or $VCC_CREDS_REGION) and plans against the \
            state's users as VCC has them; nothing is written. The plan lists the drift, and \
            apply takes it into the state with the changes; a saved plan applies only while \
            VCC still has the users it read.

            --probe-report FILE (a 'probe --format json' report) plans against the \
            credentials as VCC had them when probed: a rejected credential as gone, scopes \
            as VCC gave tokens for. For review only: it cannot be saved with --out.

            Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, \
            2 permitted changes (or drift, with --refresh) with --detailed-exitcode, 3 some \
            changes refused.

            Examples:
              vcc-creds plan --state examples/acme/state.json --as sam@acme.example
              vcc-creds plan --state state.json --as alice@acme.example --out plan.json \\
                --format markdown
              vcc-creds plan --state state.json --as alice@acme.example --refresh
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

    @Flag(help: "Read VCC's users first and plan against them (the tool's own API credential; nothing is written).")
    var refresh = false

    @Option(
        help: ArgumentHelp(
            "Plan against the credentials as this probe report (probe --format json) says VCC has them.",
            valueName: "file"))
    var probeReport: String?

    func validate() throws {
        _ = try InputPaths.state(state)
        if probeReport != nil && output.out != nil {
            throw ValidationError("--probe-report is for review: a plan made with it cannot be saved (--out)")
        }
        if probeReport != nil && refresh { throw ValidationError("give --probe-report or --refresh, not both") }
    }

    func run() async throws {
        if let probeReport {
            let statePath = try InputPaths.state(state)
            let manifests = InputPaths.manifests(manifests)
            let (run, notes) = try PlanPipeline().plan(
                manifests: manifests, statePath: statePath,
                actors: ActorList.resolve(flags: actors, environment: ProcessInfo.processInfo.environment),
                context: PlanContext(now: Output.now, targeting: targeting.targeting), probeReport: probeReport)
            for note in notes { Output.print(note) }
            try Self.finish(
                run, state: statePath, manifests: manifests, format: output.format,
                detailedExitcode: output.detailedExitcode, out: nil)
        }
        guard refresh else {
            try Self.plan(
                state: state, manifests: manifests, actors: actors, format: output.format,
                detailedExitcode: output.detailedExitcode, out: output.out, rotations: [],
                targeting: targeting.targeting)
        }
        let statePath = try InputPaths.state(state)
        let manifests = InputPaths.manifests(manifests)
        let run = try await PlanPipeline().plan(
            manifests: manifests, statePath: statePath,
            actors: ActorList.resolve(flags: actors, environment: ProcessInfo.processInfo.environment),
            context: PlanContext(now: Output.now, targeting: targeting.targeting),
            refreshingWith: RemoteUsers.read)
        for note in run.refresh?.report.skipped ?? [] { Output.print(note) }
        try Self.finish(
            run, state: statePath, manifests: manifests, format: output.format,
            detailedExitcode: output.detailedExitcode, out: output.out)
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
        try finish(
            result, state: state, manifests: manifests, format: format, detailedExitcode: detailedExitcode, out: out)
    }

    /// Saves (with `--out`), prints and exits.
    static func finish(
        _ result: PlanRun, state: String, manifests: String, format: PlanFormat, detailedExitcode: Bool, out: String?
    ) throws -> Never {
        let pipeline = PlanPipeline()
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
        var status = ExitStatus.forPlan(result.plan, detailedExitCode: detailedExitcode)
        // Drift is a change too: apply would take it into the state.
        if detailedExitcode, status == .success, !(result.refresh?.changes.isEmpty ?? true) { status = .changesPresent }
        Output.exit(status)
    }
}

extension PlanFormat: ExpressibleByArgument {}
