/// Why a state file could not be read or written.
public enum StateError: Error, Sendable {
    case notFound(path: String)
    case alreadyExists(path: String)
    case invalid(DiagnosticsError)
    case fileSystem(FileSystemError)

    public var diagnostics: [Diagnostic] {
        switch self {
        case .notFound(let path):
            return [
                .error(
                    "no such state file; create one with 'vcc-creds init --state \(path) --account ID'",
                    at: SourceLocation(file: path))
            ]
        case .alreadyExists(let path):
            return [.error("already exists; init never overwrites anything", at: SourceLocation(file: path))]
        case .invalid(let error): return error.diagnostics
        case .fileSystem(let error): return error.diagnostics
        }
    }
}
