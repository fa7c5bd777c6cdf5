/// The (level, owner, name) identity of a credential, used where no client ID is given.
public struct CredentialKey: Sendable, Hashable, Comparable {
    public var level: CredentialLevel
    public var owner: String?
    public var name: String

    public init(level: CredentialLevel, owner: String?, name: String) {
        self.level = level
        self.owner = owner
        self.name = name
    }

    public static func < (lhs: CredentialKey, rhs: CredentialKey) -> Bool {
        if lhs.level != rhs.level { return lhs.level < rhs.level }
        if lhs.owner != rhs.owner { return (lhs.owner ?? "") < (rhs.owner ?? "") }
        return lhs.name < rhs.name
    }
}
