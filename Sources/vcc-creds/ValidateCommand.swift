import ArgumentParser
import VCCCredentials

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests without a state: syntax, keys, licences, scopes, duplicates.",
        discussion: """
            Every problem is printed as path:line:column: error: message.

            Example:
              vcc-creds validate --manifests manifests
            """
    )

    @Option(help: "Folder of manifest files (*.yaml, *.yml), read recursively \(InputPaths.manifestsHelp).")
    var manifests: String?

    func run() throws {
        let manifests = InputPaths.manifests(manifests)
        let desired = try PlanPipeline().loadManifests(manifests)
        Output.standardOutput(
            "\(manifests): valid (\(desired.files.count) files, \(desired.users.count) users, \(desired.credentials.count) credentials, account \(desired.account))\n"
        )
        Output.exit(.success)
    }
}
