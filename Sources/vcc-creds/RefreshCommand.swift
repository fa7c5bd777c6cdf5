import ArgumentParser
import VCCCredentials
import VCCNetwork

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Bring the state's users in line with VCC's User Admin API, and report the drift.",
        discussion: """
            Reads every VCC user (active and archived, all pages) with the tool's own API \
            credential ($VCC_CREDS_CLIENT_ID with $VCC_CREDS_CLIENT_SECRET or \
            $VCC_CREDS_CLIENT_SECRET_FILE; scope users:read) in the region $VCC_CREDS_REGION, \
            and matches them to the state's users by username. Reports users VCC has and the \
            state lacks, users VCC lacks or has archived, and licence, name and email changes; \
            then takes them into the state (audit event 'refreshed'). Vonage's own NvmAdmin \
            users are never shown or managed.

            --dry-run writes nothing and exits 2 when there is drift, 0 when there is none.

            Example:
              VCC_CREDS_REGION=emea vcc-creds refresh --state state.json --dry-run
            """
    )

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Flag(help: "Report the drift and write nothing; exit 2 when there is drift.")
    var dryRun = false

    @Option(help: "How to report: text, json or markdown.")
    var format: PlanFormat = .text

    @OptionGroup var lock: LockOptions

    func validate() throws {
        _ = try InputPaths.state(state)
    }

    func run() async throws {
        let environment = SystemEnvironment.live
        let api = UserAdminAPI(connection: try LiveConnection.make(environment: environment))
        let result = try await Refresher(environment: environment).refresh(
            statePath: try InputPaths.state(state), api: api, dryRun: dryRun, lockTimeout: lock.lockTimeout)
        for note in result.notes + result.report.skipped { Output.print(note) }
        switch format {
        case .json:
            Output.standardOutput(bytes: result.report.json(written: result.newSerial))
        case .markdown:
            Output.standardOutput(result.report.markdown())
        case .text:
            var text = result.report.text()
            if dryRun {
                text += result.report.hasDrift ? "\nDry run: nothing written.\n" : ""
            } else if let serial = result.newSerial {
                text += "\nState serial \(serial) committed.\n"
            } else {
                text += "\nThe state already agrees with VCC: nothing written.\n"
            }
            Output.standardOutput(text)
        }
        if dryRun && result.report.hasDrift { throw ExitCode(ExitStatus.changesPresent.rawValue) }
    }
}
