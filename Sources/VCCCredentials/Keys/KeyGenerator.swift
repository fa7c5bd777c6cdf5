import AgeEncryption

/// `keygen`: a new age X25519 identity in `age-keygen`'s file format.
public struct KeyGenerator: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    /// A new identity file's text and its public key.
    public func generate() -> (file: String, recipient: String) {
        let random = environment.random
        let identity = X25519Identity.generate(random: { random.randomBytes($0) })
        let created = Timestamp(environment.clock.now()).text
        return (IdentityFile.render(identity, created: created), identity.recipient.description)
    }

    /// Writes a new identity to `path` with mode 0600, never over an existing file.
    public func write(to path: String) throws -> String {
        let (file, recipient) = generate()
        if environment.fileSystem.kind(of: path) != nil { throw KeyError.exists(path) }
        do {
            try AtomicFile(fileSystem: environment.fileSystem, random: environment.random)
                .create(path, with: Array(file.utf8), permissions: .new(0o600))
        } catch {
            if error.alreadyExists { throw KeyError.exists(path) }
            throw error
        }
        return recipient
    }
}

/// Problems with key and sealed files.
public enum KeyError: Error, Sendable, VCCError {
    case exists(String)
    case unreadable(String, AgeError)
    case unknownClientId(String, statePath: String)

    public var diagnostics: [Diagnostic] {
        switch self {
        case .exists(let path): return [.error("already exists; keygen never overwrites a key file", at: SourceLocation(file: path))]
        case .unreadable(let path, let error): return [.error("\(error)", at: SourceLocation(file: path))]
        case .unknownClientId(let clientId, let statePath):
            return [.error("no credential with clientId \(Quoted.of(clientId))", at: SourceLocation(file: statePath))]
        }
    }
}
