import ArgumentParser
import VCCCredentials

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove from the state a credential someone deleted in the portal (audited).",
        discussion: """
            Drift learnt by hand: nothing in VCC is touched. Only an admin forgets, with a \
            reason for the audit log; a credential with an open portal step must have the step \
            recorded or abandoned first.

            Example:
              vcc-creds forget --state state.json --as alice@acme.example 6f1c2f8e-... \\
                --reason "deleted in the portal by Bob"
            """
    )

    @Argument(help: "The client ID of the credential to forget.")
    var clientId: String

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("The admin removing it (default: $VCC_CREDS_AS, if it names one).", valueName: "user"))
    var actor: String?

    @Option(help: ArgumentHelp("Why, for the audit log.", valueName: "text"))
    var reason: String

    @Option(
        help: ArgumentHelp(
            "The folder of credentials' own sealed files, whose index drops it (default: secrets/ACCOUNT).",
            valueName: "folder"))
    var sealedDir: String?

    static let purpose = "forget acts as one admin"

    func validate() throws {
        _ = try InputPaths.state(state)
        _ = try InputPaths.actor(actor, Self.purpose)
    }

    func run() throws {
        let result = try Forgetter().forget(
            clientId: clientId, reason: reason, statePath: try InputPaths.state(state),
            actor: try InputPaths.actor(actor, Self.purpose), sealedDir: sealedDir)
        for note in result.notes { Output.print(note) }
        Output.standardOutput(
            "Forgot credential \(result.forgotten.clientId) (\(Printable.escaped(result.forgotten.name))). State "
                + "serial \(result.newSerial) committed.\n"
        )
    }
}
