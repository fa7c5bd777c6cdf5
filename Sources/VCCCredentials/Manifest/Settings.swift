/// Manifest-wide settings.
public struct Settings: Sendable, Hashable {
    public static let defaultMaxDeletes = 10

    /// Delete visible resources the manifests do not name, instead of reporting them.
    public var prune: Bool
    /// A plan deleting more than this refuses every deletion.
    public var maxDeletes: Int
    /// age recipients (`age1...`) who can open the sealed output.
    public var recipients: [String]
    /// The rotation of every credential that declares none; nil: no rotation.
    public var rotate: RotationPolicy?
    /// How long before `expires` plans warn; nil when not declared (14 days).
    public var expiryWarning: TimeSpan?
    /// The scopes whose grant plans mark as sensitive; nil when not declared
    /// (``ScopeCatalogue/defaultSensitive``).
    public var sensitiveScopes: ScopeSet?
    /// Scopes VCC added after this release (`settings.scopes`), in identifier order.
    public var scopes: [ScopeDeclaration] = []
    /// The VCC region the account lives in: where `--refresh` and the `api` executor
    /// talk to (nil: `VCC_CREDS_REGION` decides).
    public var region: Region?

    /// The sensitive scopes in force: as declared, else VCC's sensitive ones and each
    /// declared scope marked `sensitive`.
    public var sensitive: ScopeSet {
        sensitiveScopes
            ?? ScopeCatalogue.defaultSensitive.union(ScopeSet(scopes.filter(\.sensitive).map(Scope.init(declared:))))
    }

    public static let defaultExpiryWarning = TimeSpan(count: 14, unit: .days)

    public init(
        prune: Bool = false, maxDeletes: Int = Settings.defaultMaxDeletes, recipients: [String] = [],
        rotate: RotationPolicy? = nil, expiryWarning: TimeSpan? = nil, sensitiveScopes: ScopeSet? = nil,
        region: Region? = nil
    ) {
        self.prune = prune
        self.maxDeletes = maxDeletes
        self.recipients = recipients
        self.rotate = rotate
        self.expiryWarning = expiryWarning
        self.sensitiveScopes = sensitiveScopes
        self.region = region
    }
}
