import ArgumentParser
import VCCCredentials

/// `--format`, `--detailed-exitcode` and `--out`: what `plan` and `rotate` do with the
/// plan they make.
struct PlanOutputOptions: ParsableArguments {
    @Option(help: "Output format: text, json or markdown (for pull-request comments).")
    var format: PlanFormat = .text

    @Flag(help: "Exit 2 when the plan has permitted changes.")
    var detailedExitcode = false

    @Option(
        help: ArgumentHelp(
            "Save the plan (JSON, bound to the state and manifests) for 'vcc-creds apply PLANFILE'.",
            valueName: "file"))
    var out: String?
}
