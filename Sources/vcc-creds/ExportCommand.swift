import ArgumentParser
import Foundation
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

    func validate() throws { _ = try InputPaths.state(state) }

    func run() throws {
        let actors = ActorList.resolve(flags: actor.map { [$0] } ?? [], environment: ProcessInfo.processInfo.environment)
        guard actors.count == 1 else {
            throw ValidationError(
                actors.isEmpty
                    ? "Missing expected argument '--as <user>'"
                    : "--as: export shows one user's view, but \(ActorList.variable) names \(actors.count); give --as USER")
        }
        let state = try InputPaths.state(state)
        let loaded = try StateStore().load(state)
        Output.standardOutput(try Exporter.export(loaded.state, actor: actors[0], statePath: state))
    }
}
