import ArgumentParser
import VCCCredentials

struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Re-encrypt sealed files whose recipients the manifests changed.",
        discussion: """
            Every credential's own sealed file (SEALED-DIR/CLIENT-ID.age) whose recorded \
            recipients differ from what the manifests now declare is opened with --identity (the \
            escrow's key, typically: it opens every file) and sealed again for the new set, \
            with a fresh file key, each file replaced atomically; the state records the new \
            fingerprints and the index is rewritten. The report names the recipients removed \
            from each file: they may still hold old copies, so it lists the credentials to rotate.

            Examples:
              vcc-creds rekey --state state.json --dry-run
              vcc-creds rekey --state state.json --identity escrow.key
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("The manifests folder \(InputPaths.manifestsHelp).", valueName: "folder"))
    var manifests: String?

    @Option(help: ArgumentHelp("An age-keygen file whose key opens every file to rekey.", valueName: "key-file"))
    var identity: String?

    @Option(help: ArgumentHelp("The folder of the sealed files (default: secrets/ACCOUNT).", valueName: "folder"))
    var sealedDir: String?

    @Flag(help: "List the files to rekey; write nothing.")
    var dryRun = false

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var lock: LockOptions

    func validate() throws {
        _ = try InputPaths.state(state)
        if identity == nil && !dryRun {
            throw ValidationError("rekey needs --identity KEY (a key that opens every file to rekey), or --dry-run")
        }
    }

    func run() throws {
        let result = try Rekeyer().rekey(
            RekeyOptions(
                statePath: try InputPaths.state(state), manifests: manifests, identityFile: identity,
                sealedDir: sealedDir,
                dryRun: dryRun, lockTimeout: lock.lockTimeout))
        for note in result.notes { Output.print(note) }
        switch format {
        case .text: Output.standardOutput(RekeyReport.text(result))
        case .json: Output.standardOutput(bytes: RekeyReport.json(result))
        }
    }
}
