import ArgumentParser
import VCCCredentials

/// Where new secrets are sealed, and how long to wait for the state's lock: the
/// options of every command that seals (`apply`, `record`).
struct SealingOptions: ParsableArguments {
    @Option(name: .customLong("recipient"), help: "An age recipient (age1...) for this run's escrow bundle; repeatable.")
    var recipients: [String] = []

    @Option(help: "A file of age recipients, one per line (# comments allowed).")
    var recipientsFile: String?

    @Option(
        help: "Where to write the escrow bundle of every new secret, for settings.recipients and --recipient (default: secrets/ACCOUNT-SERIAL.age). Never overwritten.")
    var sealedOut: String?

    @Option(
        help: "The folder of credentials' own sealed files (CLIENT-ID.age, for their owner's or their own recipients) and their index.json (default: secrets/ACCOUNT).")
    var sealedDir: String?

    @Option(
        help: ArgumentHelp("Seconds to wait for another run's lock on the state (default 0, at most 3600).", valueName: "seconds"),
        transform: { text in
            guard let timeout = LockTimeout(text) else { throw ValidationError(LockTimeout.rule) }
            return timeout
        })
    var lockTimeout = LockTimeout.none
}
