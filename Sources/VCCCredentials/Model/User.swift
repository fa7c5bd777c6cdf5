/// A VCC user as the state records it and as a manifest declares it.
public struct User: Sendable, Hashable {
    /// The login (VCC's username); unique in the account.
    public var id: String
    public var name: String
    public var license: License
    /// The user's email address: from VCC (`refresh`) or the manifests; nil when neither
    /// says. A manifest that declares none leaves the state's as it is.
    public var email: String?
    /// VCC's own id of the user (a GUID), learnt by `refresh`; nil until then. Never
    /// declared in manifests.
    public var vccUserId: String?

    public init(id: String, name: String, license: License, email: String? = nil, vccUserId: String? = nil) {
        self.id = id
        self.name = name
        self.license = license
        self.email = email
        self.vccUserId = vccUserId
    }

    /// This user as declared, with what the declaration leaves to VCC (the email when
    /// not declared, VCC's id) taken from `current`: what a change writes, and what a
    /// plan compares with the state.
    public func keeping(observedFrom current: User) -> User {
        var merged = self
        if merged.email == nil { merged.email = current.email }
        if merged.vccUserId == nil { merged.vccUserId = current.vccUserId }
        return merged
    }
}
