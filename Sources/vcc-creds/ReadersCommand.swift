import ArgumentParser
import VCCCredentials

struct ReadersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readers",
        abstract: "Who can open each credential's current secret (an access review).",
        discussion: """
            For each credential of the state: the fingerprints of the recipients its own sealed \
            file is for, each with where the manifests declare it (owner, the credential's own \
            recipients, escrow), or that they no longer do. Secrets sealed only in an escrow \
            bundle, and imported ones, are named as such. Fingerprints are the first 32 hex \
            digits of the SHA-256 of the age1... recipient.

            Example:
              vcc-creds readers --state state.json --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "The manifests folder, for who each fingerprint is \(InputPaths.manifestsHelp); without one, "
                + "fingerprints only.",
            valueName: "folder"))
    var manifests: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func validate() throws { _ = try InputPaths.state(state) }

    func run() throws {
        let path = try InputPaths.state(state)
        let state = try StateStore().load(path).state
        let folder = InputPaths.manifests(manifests)
        // The default folder is optional: without manifests, fingerprints only.
        var directory: RecipientDirectory?
        if manifests != nil || LocalFileSystem().kind(of: folder) != nil {
            let desired = try ManifestLoader().load(directory: folder)
            if desired.account != state.account.id {
                throw PlanError.accountMismatch(
                    manifests: desired.account, at: desired.accountLocation, state: state.account.id, statePath: path)
            }
            directory = RecipientDirectory(desired)
        }
        if let note = StateStore.interruptedRunNote(statePath: path) { Output.print(.warning(note)) }
        let report = ReadersReport(state: state, directory: directory)
        switch format {
        case .text: Output.standardOutput(report.text())
        case .json: Output.standardOutput(bytes: report.json())
        }
    }
}
