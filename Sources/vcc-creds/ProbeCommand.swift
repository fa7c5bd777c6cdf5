import ArgumentParser
import VCCCredentials
import VCCNetwork

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check the state's credentials against VCC's token endpoint: alive, and holding their scopes.",
        discussion: """
            For every credential whose current secret KEY opens (its own sealed file, or a \
            bundle in secrets/), asks VCC for a token for each declared scope, and drops it \
            unread. A credential VCC no longer authenticates (invalid_client) was deleted, or \
            its secret regenerated, in the portal; a scope VCC refuses (invalid_scope) is \
            missing. --excess also asks for each scope the owner's licence could grant beyond \
            those declared. No credential of the tool's own is needed: each asks as itself, in \
            the region $VCC_CREDS_REGION (or at $VCC_CREDS_TOKEN_URL), under the client-side \
            rate limit ($VCC_CREDS_RATE_LIMIT). Writes nothing.

            Exit codes: 0 VCC agrees with the state, 2 drift, 1 error (also when a \
            credential's secret is held but no sealed file the key opens holds it).

            Example:
              VCC_CREDS_REGION=emea vcc-creds probe --state state.json \\
                --identity escrow-key.txt --excess
            """
    )

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp("An identity file (age-keygen format) that opens the sealed files.", valueName: "key-file"))
    var identity: String

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Check only this credential: CLIENT-ID, credential:CLIENT-ID, credential:OWNER/NAME or OWNER/NAME. "
                + "Repeatable.", valueName: "id"))
    var targets: [String] = []

    @Flag(help: "Also ask for every scope the owner's licence could grant beyond those declared.")
    var excess = false

    @Option(
        help: ArgumentHelp("Where credentials' own sealed files are (default secrets/ACCOUNT).", valueName: "folder"))
    var sealedDir: String?

    @Option(
        name: .customLong("sealed"),
        help: ArgumentHelp(
            "A bundle written elsewhere than secrets/ACCOUNT-SERIAL.age (apply's --sealed-out). Repeatable.",
            valueName: "file"))
    var bundles: [String] = []

    @Option(help: "How to report: text, json or markdown.")
    var format: PlanFormat = .text

    func validate() throws {
        _ = try InputPaths.state(state)
    }

    func run() async throws {
        let environment = SystemEnvironment.live
        let statePath = try InputPaths.state(state)
        let connection = try LiveConnection.make(environment: environment, tokenOnly: true)
        let report = try await Prober(environment: environment).probe(
            ProbeOptions(
                statePath: statePath, identityFile: identity, targets: targets, excess: excess, sealedDir: sealedDir,
                bundles: bundles),
            connection: connection)
        switch format {
        case .json: Output.standardOutput(bytes: report.json())
        case .markdown: Output.standardOutput(report.markdown(statePath: statePath))
        case .text: Output.standardOutput(report.text(statePath: statePath))
        }
        // Not knowing is not agreeing: a credential the key could not be found for fails.
        if !report.unopened.isEmpty {
            let count = report.unopened.count
            Output.print(
                .error(
                    "\(count) credential\(count == 1 ? "" : "s") could not be checked: no sealed file \(Printable.escaped(identity)) "
                        + "opens holds \(count == 1 ? "its" : "their") current secret (another key? the sealed files "
                        + "are found from the current folder: secrets/, or --sealed-dir and --sealed)"))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        if report.hasDrift { throw ExitCode(ExitStatus.changesPresent.rawValue) }
    }
}
