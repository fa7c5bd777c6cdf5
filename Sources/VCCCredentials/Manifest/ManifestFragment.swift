/// What one manifest document declares, before documents are merged.
struct ManifestFragment: Sendable {
    struct Located<Value: Sendable>: Sendable {
        var value: Value
        var location: SourceLocation
    }

    /// A credential entry and where its owner was written, to point at it if unknown.
    struct CredentialEntry: Sendable {
        var credential: DesiredCredential
        var ownerLocation: SourceLocation?
    }

    var account: Located<String>?
    var prune: Located<Bool>?
    var maxDeletes: Located<Int>?
    var recipients: Located<[String]>?
    var rotate: Located<RotationPolicy>?
    var expiryWarning: Located<TimeSpan>?
    var sensitiveScopes: Located<ScopeSet>?
    var scopes: Located<[ScopeDeclaration]>?
    /// Scope names that are not VCC's own, where written: `settings.scopes` (in any
    /// file) must declare each.
    var scopeUses: [Located<String>] = []
    var region: Located<Region>?
    var forbidScopes: Located<[Guardrails.ForbiddenScope]>?
    var maxCredentialsPerUser: Located<Int>?
    var requireDescription: Located<Bool>?
    var namePattern: Located<String>?
    var users: [DesiredUser] = []
    var credentials: [CredentialEntry] = []
}
