import ArgumentParser
import VCCCredentials

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the manifests without a state: syntax, keys, licences, scopes, duplicates.",
        discussion: """
            Every problem is printed as path:line:column: error: message; with --format json, \
            stdout is {"valid", "problems": [{"file", "line", "column", "severity", "message"}]} \
            (and the account and counts when valid). Exit 0 valid, 1 not.

            Example:
              vcc-creds validate --manifests manifests
            """
    )

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files (*.yaml, *.yml), read recursively \(InputPaths.manifestsHelp).",
            valueName: "folder"))
    var manifests: String?

    @Option(help: "Output format: text, or json for tools (problems as data on stdout).")
    var format: ResultFormat = .text

    func run() throws {
        let manifests = InputPaths.manifests(manifests)
        if format == .json {
            do {
                let desired = try PlanPipeline().loadManifests(manifests)
                Output.standardOutput(bytes: ValidationJSON.render(desired: desired, problems: []))
                Output.exit(.success)
            } catch {
                Output.standardOutput(bytes: ValidationJSON.render(desired: nil, problems: error.diagnostics))
                Output.exit(.failure)
            }
        }
        let desired = try PlanPipeline().loadManifests(manifests)
        Output.standardOutput(ValidationText.valid(manifests, desired))
        Output.exit(.success)
    }
}
