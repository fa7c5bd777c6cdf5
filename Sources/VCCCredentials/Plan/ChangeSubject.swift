/// What a change is about, with the resource before and after it.
public enum ChangeSubject: Sendable, Hashable {
    /// `before` is nil for a create, `after` nil for a delete.
    case user(id: String, before: User?, after: User?)
    /// `before` is nil for a create (and for an entry that matched ambiguously).
    case credential(CredentialTarget, before: Credential?, after: CredentialSpec?)

    public enum Kind: String, CaseIterable, Sendable, Hashable {
        case user, credential
    }

    public var kind: Kind {
        switch self {
        case .user: return .user
        case .credential: return .credential
        }
    }

    /// The owner of a user-level credential; nil for users and account-level credentials.
    public var owner: String? {
        if case .credential(let target, _, _) = self { return target.owner }
        return nil
    }

    /// The credential a credential change is about; nil for user changes.
    public var credentialTarget: CredentialTarget? {
        if case .credential(let target, _, _) = self { return target }
        return nil
    }

    /// The user a user change is about; nil for credential changes.
    public var userId: String? {
        if case .user(let id, _, _) = self { return id }
        return nil
    }

    /// The licence before and after, for a user update that changes it; nil for anything
    /// else (a user created or deleted has no licence change, it has a user change).
    public var licenseChange: (from: License, to: License)? {
        guard case .user(_, let before?, let after?) = self, before.license != after.license else { return nil }
        return (before.license, after.license)
    }

    /// Whose the target is, as ownership rules see it: a user-level credential's owner,
    /// or the user a user change is about.
    public var ownerOrUser: String? { ChangeTarget(self).owner }
}
