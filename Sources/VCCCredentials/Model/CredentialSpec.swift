/// The editable shape of a credential: what a manifest declares and a plan proposes.
/// Client ID and secret are minted by apply, never declared.
public struct CredentialSpec: Sendable, Hashable {
    public var name: String
    public var level: CredentialLevel
    /// The owning user's id; nil for account-level credentials.
    public var owner: String?
    public var scopes: ScopeSet

    public init(name: String, level: CredentialLevel, owner: String?, scopes: ScopeSet) {
        self.name = name
        self.level = level
        self.owner = owner
        self.scopes = scopes
    }

    /// How a credential without a client ID is matched to the state.
    public var key: CredentialKey { CredentialKey(level: level, owner: owner, name: name) }
}
