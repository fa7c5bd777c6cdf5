import ArgumentParser
import VCCCredentials

struct ScopesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scopes",
        abstract:
            "Print the scope catalogue: each scope's label, the VCC APIs it unlocks, and whether it is sensitive.",
        discussion: """
            VCC's own scopes; with --manifests, also the scopes settings.scopes declares, and \
            sensitive is what settings.sensitiveScopes says; else the default (admin:write, \
            globalpci, interaction-content:delete, interactions:write, users:write).

            Example:
              vcc-creds scopes --format json
            """
    )

    @Option(help: "Output format: text or json.")
    var format: ResultFormat = .text

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files whose settings.scopes and settings.sensitiveScopes to show.",
            valueName: "folder"))
    var manifests: String?

    func run() throws {
        let settings = try manifests.map { try PlanPipeline().loadManifests($0).settings } ?? Settings()
        switch format {
        case .text: Output.standardOutput(ScopesReport.text(sensitive: settings.sensitive, declared: settings.scopes))
        case .json:
            Output.standardOutput(bytes: ScopesReport.json(sensitive: settings.sensitive, declared: settings.scopes))
        }
    }
}
