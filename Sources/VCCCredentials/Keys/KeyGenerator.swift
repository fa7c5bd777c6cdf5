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
