import ArgumentParser
import VCCCredentials

/// Where new secrets are sealed, and how long to wait for the state's lock: the
/// options of every command that seals (`apply`, `record`).
struct SealingOptions: ParsableArguments {
    @Option(
        name: .customLong("recipient"), help: "An age recipient (age1...) for this run's escrow bundle; repeatable.")
    var recipients: [String] = []

    @Option(help: ArgumentHelp("A file of age recipients, one per line (# comments allowed).", valueName: "file"))
    var recipientsFile: String?

    @Option(
        help: ArgumentHelp(
            "Where to write the escrow bundle of every new secret, for settings.recipients and --recipient (default: "
                + "secrets/ACCOUNT-SERIAL.age). Never overwritten.",
            valueName: "file"))
    var sealedOut: String?

    @Option(
        help: ArgumentHelp(
            "The folder of credentials' own sealed files (CLIENT-ID.age, for their owner's or their own recipients) "
                + "and their index.json (default: secrets/ACCOUNT).",
            valueName: "folder"))
    var sealedDir: String?

    @OptionGroup var lock: LockOptions

    var lockTimeout: LockTimeout { lock.lockTimeout }
}
