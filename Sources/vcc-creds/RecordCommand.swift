import ArgumentParser
import VCCCredentials
import VCCNetwork

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Close an open portal step: record what was done in the Admin Portal.",
        discussion: """
            A create: give the client ID the portal showed with --client-id; the secret is read \
            from stdin (typed without echo at a terminal, or piped), never from a flag or an \
            environment variable. Before anything is written, VCC's token endpoint must \
            authenticate them and give a token for each scope the step declares (region \
            $VCC_CREDS_REGION or settings.region; no credential of the tool's own is needed); \
            --no-verify skips that, and the audit line says so. The secret is sealed at once, \
            like apply's (settings.recipients, --recipient, --recipients-file), and only its \
            SHA-256 is kept in the state.
            An edit, a deletion or a user change: --done. A step that will not be done: \
            --abandon --reason TEXT. The change is made in the state, committed and audited \
            under the same lock and crash-safety as apply.

            Examples:
              vcc-creds record --state state.json \\
                'credential:alice@acme.example/reporting' --client-id 6f1c2f8e-...
              vcc-creds record --state state.json 'credential:6f1c2f8e-...' --done
              vcc-creds record --state state.json 'user:bob@acme.example' --abandon \\
                --reason "not hired after all"
            """
    )

    @Argument(help: "The step's id, as the runbook and 'vcc-creds pending' show it.")
    var changeId: String

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Folder of manifest files, read for settings.recipients \(InputPaths.manifestsHelp).",
            valueName: "folder"))
    var manifests: String?

    @Option(help: "The client ID the portal showed for a created credential (its secret on stdin).")
    var clientId: String?

    @Flag(help: "The step (an edit, a deletion, a user change) was done as the runbook says.")
    var done = false

    @Flag(help: "The step will not be done: drop it (needs --reason).")
    var abandon = false

    @Option(help: ArgumentHelp("Why the step is abandoned, for the audit log.", valueName: "text"))
    var reason: String?

    @Flag(help: "Do not check a create's client ID, secret and scopes at VCC's token endpoint (offline).")
    var noVerify = false

    @OptionGroup var sealing: SealingOptions

    func validate() throws {
        _ = try InputPaths.state(state)
        let given = [clientId != nil, done, abandon].filter { $0 }.count
        if given != 1 {
            throw ValidationError("give exactly one of --client-id (a create), --done, or --abandon --reason TEXT")
        }
        if abandon && reason == nil {
            throw ValidationError("--abandon needs --reason TEXT (it goes to the audit log)")
        }
        if reason != nil && !abandon { throw ValidationError("--reason is for --abandon") }
        if noVerify && clientId == nil { throw ValidationError("--no-verify is for a create (--client-id)") }
    }

    func run() async throws {
        let outcome: RecordOptions.Outcome
        var verified: ScopeSet?
        if let clientId {
            try Recorder().checkCreateStep(changeId, statePath: try InputPaths.state(state))
            let input = try HiddenInput.read(prompt: "Client secret for \(clientId) (input hidden): ")
            let secret = try PresentedSecret(input: input, clientId: clientId)
            if !noVerify {
                // The manifests are read for the recipients anyway: their region, if declared.
                let environment = SystemEnvironment.live
                let folder =
                    PathDefaults.manifests(manifests, variables: environment.variables) ?? PathDefaults.manifestsFolder
                let region = try ManifestLoader(fileSystem: environment.fileSystem).load(directory: folder).settings
                    .region
                let connection: VCCConnection
                do {
                    connection = try LiveConnection.make(
                        environment: environment, manifestRegion: region, tokenOnly: true)
                } catch let error {
                    guard case .setting(let problem) = error else { throw error }
                    // Offline, or no region: checking is what the user opts out of, never skipped silently.
                    throw RemoteError.setting(problem + "; or give --no-verify to record without checking")
                }
                do {
                    verified = try await Recorder().verify(
                        changeId, statePath: try InputPaths.state(state), clientId: clientId, secret: secret,
                        connection: connection)
                } catch let error as RemoteError {
                    // VCC could not be asked: say how to record anyway, knowingly.
                    throw RemoteError.setting(
                        (error.diagnostics.first?.message ?? "VCC could not be asked")
                            + "; nothing was written (--no-verify records without checking)")
                }
            }
            outcome = .created(clientId: clientId, secret: secret)
        } else if abandon {
            outcome = .abandoned(reason: reason ?? "")
        } else {
            outcome = .done
        }
        let result = try Recorder().record(
            RecordOptions(
                statePath: try InputPaths.state(state), manifests: manifests, stepId: changeId, outcome: outcome,
                recipients: sealing.recipients, recipientsFile: sealing.recipientsFile, sealedOut: sealing.sealedOut,
                sealedDir: sealing.sealedDir, lockTimeout: sealing.lockTimeout, verifiedScopes: verified))
        for note in result.notes { Output.print(note) }
        var text =
            result.abandoned
            ? "Abandoned step \(Printable.escaped(result.step.id.description))."
            : "Recorded step \(Printable.escaped(result.step.id.description))."
        text += " State serial \(result.newSerial) committed.\n"
        for sealed in [result.sealedFile, result.sealedPath].compactMap({ $0 }) {
            guard let clientId = result.clientId else { break }
            let shown = Printable.escaped(sealed)
            text += "Secret of \(clientId) sealed in \(shown) (open with: age -d -i KEY \(shown)).\n"
        }
        Output.standardOutput(text)
    }
}
