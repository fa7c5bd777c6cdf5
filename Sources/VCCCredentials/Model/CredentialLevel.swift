/// Whether a credential belongs to one user or (deprecated) to the whole account.
public enum CredentialLevel: String, CaseIterable, Sendable, Hashable, Comparable {
    case user
    case account

    public static func < (lhs: CredentialLevel, rhs: CredentialLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
