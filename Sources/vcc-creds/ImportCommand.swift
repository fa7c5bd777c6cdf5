import ArgumentParser
import VCCCredentials

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Adopt credentials that exist in VCC from a listing copied from the API Credentials screen.",
        discussion: """
            LISTING is CSV with a header (name,clientId,owner,level,scopes; scopes separated by \
            spaces; owner empty for account-level) or YAML (credentials: a list with the same keys, \
            scopes a list). Each credential is added without a secret digest ("secret not held": \
            vcc-creds never saw it), audited, and the state committed. Only an admin imports: only \
            an admin sees every credential. Then 'vcc-creds export' gives manifests that plan no changes.

            Example:
              vcc-creds import --state state.json --as alice@acme.example credentials.csv
            """
    )

    @Argument(help: "The listing: a .csv or .yaml file.")
    var listing: String

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The admin who copied the listing (default: $VCC_CREDS_AS, if it names one).", valueName: "user"))
    var actor: String?

    static let purpose = "import acts as one admin"

    func validate() throws {
        _ = try InputPaths.state(state)
        _ = try InputPaths.actor(actor, Self.purpose)
    }

    func run() throws {
        let result = try Importer().importListing(
            listing, statePath: try InputPaths.state(state), actor: try InputPaths.actor(actor, Self.purpose))
        for note in result.notes { Output.print(note) }
        let count = result.imported.count
        Output.standardOutput(
            "Imported \(count) credential\(count == 1 ? "" : "s") (secret not held). State serial "
                + "\(result.newSerial) committed.\n"
        )
    }
}
