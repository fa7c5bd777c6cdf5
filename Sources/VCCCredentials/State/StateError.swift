/// Why a state file could not be read or written.
public enum StateError: Error, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case alreadyExists(path: String)
    case invalid(DiagnosticsError)
    case fileSystem(FileSystemError)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such state file; create one with 'vcc-creds init --state \(path) --account ID'"
        case .alreadyExists(let path):
            return "\(path): already exists; init never overwrites anything"
        case .invalid(let error): return error.description
        case .fileSystem(let error): return error.description
        }
    }
}
