/// What a change is about, as a plan names it: a user `{id}` or a credential
/// `{clientId?, name, owner?, level}`.
public enum ChangeTarget: Sendable, Hashable {
    case user(id: String)
    case credential(CredentialTarget)

    public init(_ subject: ChangeSubject) {
        switch subject {
        case .user(let id, _, _): self = .user(id: id)
        case .credential(let target, _, _): self = .credential(target)
        }
    }

    /// Whose the target is: a user-level credential's owner, or the user a user change
    /// is about (nil for an account-level credential). Ownership rules and the plan's
    /// grouping by owner both ask this.
    public var owner: String? {
        switch self {
        case .user(let id): return id
        case .credential(let credential): return credential.owner
        }
    }
}
