import ArgumentParser
import Foundation
import VCCCredentials

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the permitted changes: mint and seal new secrets, then commit the state.",
        discussion: """
            New secrets are sealed with age for settings.recipients, --recipient and \
            --recipients-file before the state is written; the state keeps only their SHA-256.

            Typed at a terminal without a PLANFILE, apply shows the plan and asks first; only \
            'yes' applies it, and if the state or manifests change before it is applied, nothing \
            is (exit 4). --auto-approve skips the question; a pipeline (stdin not a terminal) \
            and a saved plan are never asked.

            --refresh reads VCC's users first (as 'plan --refresh'), plans against them and \
            takes them into the state with the changes (audit event 'refreshed'); a saved plan \
            made with --refresh does so by itself, and is stale (exit 4) if VCC's users changed \
            since.

            On an account whose user executor is api ('vcc-creds account'), user changes are \
            made through VCC's User Admin API with the tool's own credential (users:write), \
            one at a time in plan order, each committed as VCC makes it; a failed request \
            stops the run (exit 1) with what was made committed.

            --format json prints the result as data instead (serial, changes made and by whom, \
            the sealed file and its client IDs, refusals; never a secret); --quiet prints only \
            the summary lines.

            Exit codes: 0 all applied (or nothing to do), 1 error or not approved (nothing changed, \
            but for the user changes an api account made before a request failed), \
            3 some changes refused (the permitted ones were applied, unless --all-or-nothing), \
            4 the saved plan is stale, or the plan changed after it was approved (plan again), \
            5 the state is locked by another run (retry, or wait with --lock-timeout).

            Examples:
              vcc-creds apply --state examples/acme/state.json --as sam@acme.example \\
                --recipient age1...
              vcc-creds apply plan.json
              vcc-creds apply --state state.json --as olga@acme.example \\
                --as sam@acme.example
            """
    )

    @Argument(help: "A plan saved by 'plan --out': applied only if nothing it was planned from has changed.")
    var planFile: String?

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files (default: the saved plan's, else $\(PathDefaults.manifestsVariable), else "
                + "manifests).",
            valueName: "folder"))
    var manifests: String?

    @Option(
        help: ArgumentHelp(
            "The JSON state file (default: the saved plan's, else $\(PathDefaults.stateVariable)).",
            valueName: "file"))
    var state: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "A user the run acts as; must be a user in the state. Repeatable: each change is made by the first that "
                + "may make it, its owner first (default: $VCC_CREDS_AS, comma-separated; with a saved plan, its "
                + "actors).",
            valueName: "user"))
    var actors: [String] = []

    @OptionGroup var sealing: SealingOptions

    @Flag(help: "Apply nothing when any change is refused.")
    var allOrNothing = false

    @Flag(help: "Do not ask before applying, even at a terminal.")
    var autoApprove = false

    @Option(help: "Output format: text, or json for the pipeline (what was applied, sealed and refused).")
    var format: ResultFormat = .text

    @Flag(name: .shortAndLong, help: "Print only the summary lines, not the plan (text format).")
    var quiet = false

    @OptionGroup var targeting: TargetingOptions

    @Flag(help: "Read VCC's users first, plan against them and take them into the state with the changes.")
    var refresh = false

    func validate() throws {
        if planFile != nil && refresh {
            throw ValidationError(
                "--refresh is for a plan made here; a saved plan made with 'plan --refresh' refreshes by itself")
        }
        if quiet && format == .json {
            throw ValidationError("--quiet is for the text format; --format json is quiet already")
        }
        if planFile != nil && !targeting.targeting.isEmpty {
            throw ValidationError(
                "--target and --exclude are for a plan made here; a saved plan applies the part it was planned for")
        }
        if planFile == nil { _ = try InputPaths.state(state) }
    }

    func run() async throws {
        // --state and --manifests left out are the saved plan's, else the environment's:
        // Applier reads the plan once.
        var options =
            ApplyOptions(
                planFile: planFile, manifests: manifests, statePath: state,
                actors: ActorList.resolve(flags: actors, environment: ProcessInfo.processInfo.environment),
                recipients: sealing.recipients,
                recipientsFile: sealing.recipientsFile, sealedOut: sealing.sealedOut, sealedDir: sealing.sealedDir,
                allOrNothing: allOrNothing, targeting: targeting.targeting,
                lockTimeout: sealing.lockTimeout, approval: autoApprove ? .automatic : .ask(style: Output.style))
        options.refresh = refresh
        let result = try await Applier().apply(options, connectingWith: RemoteUsers.api)
        for note in result.notes + (result.refresh?.skipped ?? []) { Output.print(note) }
        if let stop = result.stoppedBy { Output.print(stop) }
        switch format {
        case .json:
            Output.standardOutput(bytes: ApplyJSON.render(result))
        case .text where quiet:
            Output.standardOutput(ApplyText.outcome(result, style: Output.style))
        case .text:
            // A plan shown before the question is not shown again.
            Output.standardOutput(
                result.planShown
                    ? "\n" + ApplyText.outcome(result, style: Output.style)
                    : ApplyText.render(result, style: Output.style))
        }
        Output.exit(result.exitStatus)
    }
}
