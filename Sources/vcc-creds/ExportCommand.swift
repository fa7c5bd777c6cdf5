import ArgumentParser
import VCCCredentials

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print manifests (YAML) for everything the user can see, to adopt an existing account.",
        discussion: """
            Account-level credentials are pinned by clientId. Planning the output as the \
            same user shows no changes.

            Example:
              vcc-creds export --state state.json --as alice@acme.example \\
                > manifests/adopted.yaml
            """
    )

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The user whose view is exported (default: $VCC_CREDS_AS, if it names one).",
            valueName: "user"))
    var actor: String?

    static let purpose = "export shows one user's view"

    func validate() throws {
        _ = try InputPaths.state(state)
        _ = try InputPaths.actor(actor, Self.purpose)
    }

    func run() throws {
        let state = try InputPaths.state(state)
        let loaded = try StateStore().load(state)
        Output.standardOutput(
            try Exporter.export(loaded.state, actor: try InputPaths.actor(actor, Self.purpose), statePath: state))
    }
}
