import ArgumentParser
import VCCCredentials

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change, each change decided for the acting user.",
        discussion: """
            Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, \
            2 permitted changes with --detailed-exitcode, 3 some changes refused.

            Example:
              vcc-creds plan --state examples/acme/state.json --as sam@acme.example
            """
    )

    @Option(help: "Folder of manifest files (*.yaml, *.yml), read recursively.")
    var manifests = "manifests"

    @Option(help: "The JSON state file.")
    var state: String

    @Option(name: .customLong("as"), help: "The user the run acts as; must be a user in the state.")
    var actor: String

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @Flag(help: "Exit 2 when the plan has permitted changes.")
    var detailedExitcode = false

    func run() throws {
        let result = try PlanPipeline().plan(manifests: manifests, statePath: state, actor: actor)
        Output.standardOutput(PlanPipeline.render(result.plan, format: format, style: Output.style))
        let status = ExitStatus.forPlan(result.plan, detailedExitCode: detailedExitcode)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

extension PlanFormat: ExpressibleByArgument {}
