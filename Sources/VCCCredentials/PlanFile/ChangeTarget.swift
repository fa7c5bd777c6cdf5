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
}
