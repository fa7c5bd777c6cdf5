/// How a plan names a credential: `{clientId?, name, owner?, level}`.
public struct CredentialTarget: Sendable, Hashable, Comparable {
    public var clientId: String?
    public var name: String
    public var owner: String?
    public var level: CredentialLevel

    public init(clientId: String?, name: String, owner: String?, level: CredentialLevel) {
        self.clientId = clientId
        self.name = name
        self.owner = owner
        self.level = level
    }

    public static func < (lhs: CredentialTarget, rhs: CredentialTarget) -> Bool {
        let left = CredentialKey(level: lhs.level, owner: lhs.owner, name: lhs.name)
        let right = CredentialKey(level: rhs.level, owner: rhs.owner, name: rhs.name)
        if left != right { return left < right }
        return (lhs.clientId ?? "") < (rhs.clientId ?? "")
    }
}
