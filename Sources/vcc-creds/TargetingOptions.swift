import ArgumentParser
import VCCCredentials

/// `--target` and `--exclude`, for `plan` and `apply`.
struct TargetingOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Plan only this change and what it depends on: an id as the JSON plan writes it (user:ID, "
                + "credential:CLIENT-ID, credential:OWNER/NAME) or OWNER/NAME. Repeatable.",
            valueName: "id"))
    var targets: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp(
            "Leave this change out (a change that needs it is refused). Repeatable; as for --target.", valueName: "id"))
    var excludes: [String] = []

    var targeting: Targeting { Targeting(targets: targets, excludes: excludes) }
}
