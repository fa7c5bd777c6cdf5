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
    /// Client IDs this credential replaced by rotation, oldest first: a manifest's
    /// `clientId` pin to any of them means this credential now.
    public var predecessors: [String]
    /// While set, the last of `predecessors` is still in the state, valid beside this
    /// one; the first plan at or after this time deletes it.
    public var overlapEndsAt: Timestamp?
    public var createdAt: Timestamp
    public var createdBy: String
    public var updatedAt: Timestamp

    public init(
        clientId: String, name: String, level: CredentialLevel, owner: String?, scopes: ScopeSet,
        secretSha256: String?, sealedTo: [String]? = nil, predecessors: [String] = [], overlapEndsAt: Timestamp? = nil,
        createdAt: Timestamp, createdBy: String, updatedAt: Timestamp
    ) {
        self.clientId = clientId
        self.name = name
        self.level = level
        self.owner = owner
        self.scopes = scopes
        self.secretSha256 = secretSha256
        self.sealedTo = sealedTo
        self.predecessors = predecessors
        self.overlapEndsAt = overlapEndsAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
    }

    public var spec: CredentialSpec {
        CredentialSpec(name: name, level: level, owner: owner, scopes: scopes)
    }

    public var key: CredentialKey { spec.key }

    /// The predecessor still valid beside this credential (its overlap not yet over).
    public var livePredecessor: String? { overlapEndsAt == nil ? nil : predecessors.last }
}
