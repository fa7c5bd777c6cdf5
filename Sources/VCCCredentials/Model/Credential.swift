/// A credential as the state records it. The secret itself is never held here: only
/// its SHA-256, enough to verify a secret someone presents.
public struct Credential: Sendable, Hashable {
    /// Lowercase UUID, minted by apply, immutable.
    public var clientId: String
    public var name: String
    public var level: CredentialLevel
    public var owner: String?
    public var scopes: ScopeSet
    /// Lowercase hex SHA-256 of the client secret; nil when the secret is not held (a
    /// credential adopted by `import`, whose secret this tool never saw).
    public var secretSha256: String?
    /// Fingerprints (sorted) of the recipients its own sealed file
    /// (`--sealed-dir`/CLIENT-ID.age) is readable by; nil when it has none (its secret
    /// went to the escrow bundle only, or was never held).
    public var sealedTo: [String]?
    public var createdAt: Timestamp
    public var createdBy: String
    public var updatedAt: Timestamp

    public init(
        clientId: String, name: String, level: CredentialLevel, owner: String?, scopes: ScopeSet,
        secretSha256: String?, sealedTo: [String]? = nil, createdAt: Timestamp, createdBy: String, updatedAt: Timestamp
    ) {
        self.clientId = clientId
        self.name = name
        self.level = level
        self.owner = owner
        self.scopes = scopes
        self.secretSha256 = secretSha256
        self.sealedTo = sealedTo
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
    }

    public var spec: CredentialSpec {
        CredentialSpec(name: name, level: level, owner: owner, scopes: scopes)
    }

    public var key: CredentialKey { spec.key }
}
