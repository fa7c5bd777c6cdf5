import AgeEncryption

/// Problems with key and sealed files.
public enum KeyError: Error, Sendable, VCCError {
    case exists(String)
    case unreadable(String, AgeError)
    case unknownClientId(String, statePath: String)

    public var diagnostics: [Diagnostic] {
        switch self {
        case .exists(let path):
            return [.error("already exists; keygen never overwrites a key file", at: SourceLocation(file: path))]
        case .unreadable(let path, let error): return [.error("\(error)", at: SourceLocation(file: path))]
        case .unknownClientId(let clientId, let statePath):
            return [.error("no credential with clientId \(Quoted.of(clientId))", at: SourceLocation(file: statePath))]
        }
    }
}
