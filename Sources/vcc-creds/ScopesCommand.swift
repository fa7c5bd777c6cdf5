import ArgumentParser
import VCCCredentials

struct ScopesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scopes",
        abstract:
            "Print the scope catalogue: each scope's label, the VCC APIs it unlocks, and whether it is sensitive.",
        discussion: """
            With --manifests, sensitive is what settings.sensitiveScopes declares; else the \
            default (globalpci, interaction-content:delete, users:write, interactions:write).

            Example:
              vcc-creds scopes --format json
            """
    )

    @Option(help: "Output format: text or json.")
    var format: ResultFormat = .text

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files whose settings.sensitiveScopes to show (default: the built-in set).",
            valueName: "folder"))
    var manifests: String?

    func run() throws {
        let sensitive =
            try manifests.map { try PlanPipeline().loadManifests($0).settings.sensitive }
            ?? ScopeCatalogue.defaultSensitive
        switch format {
        case .text: Output.standardOutput(ScopesReport.text(sensitive: sensitive))
        case .json: Output.standardOutput(bytes: ScopesReport.json(sensitive: sensitive))
        }
    }
}
