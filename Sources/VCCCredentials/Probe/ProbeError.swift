/// Why a probe did not run. Nothing is written by a probe, whatever happens.
public enum ProbeError: Error, Sendable, VCCError {
    /// A `--target` that names no credential of the state.
    case unknownTarget(String, statePath: String)
    /// A `--probe-report` that does not belong to this state.
    case reportOfAnotherState(path: String, why: String)

    public var diagnostics: [Diagnostic] {
        switch self {
        case .unknownTarget(let target, let statePath):
            return [
                .error(
                    "--target \(Quoted.of(Printable.escaped(target))) names no credential of the state (give a "
                        + "client ID, credential:CLIENT-ID, credential:OWNER/NAME or OWNER/NAME)",
                    at: SourceLocation(file: statePath))
            ]
        case .reportOfAnotherState(let path, let why):
            return [.error("is not a probe report of this state: \(why)", at: SourceLocation(file: path))]
        }
    }
}
