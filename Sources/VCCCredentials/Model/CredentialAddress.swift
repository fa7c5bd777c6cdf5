/// A credential by owner and name, as people write it: `OWNER/NAME`, or `account/NAME`
/// for an account-level one. One spelling, one parser; the owner is the account exactly
/// when the credential is account-level.
public struct CredentialAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// nil for an account-level credential.
    public var owner: String?
    public var name: String

    public init(owner: String?, name: String) {
        self.owner = owner
        self.name = name
    }

    public init(_ spec: CredentialSpec) { self.init(owner: spec.owner, name: spec.name) }
    public init(_ credential: Credential) { self.init(owner: credential.owner, name: credential.name) }
    public init(_ target: CredentialTarget) { self.init(owner: target.owner, name: target.name) }

    /// What stands before the `/` of an account-level credential.
    public static let accountOwner = CredentialLevel.account.rawValue

    public var level: CredentialLevel { owner == nil ? .account : .user }

    public var description: String { "\(owner ?? Self.accountOwner)/\(name)" }

    /// Parses `OWNER/NAME` (split at the first `/`: user ids have none, names may); nil
    /// without one, or with an empty side.
    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let owner = String(text[..<slash])
        let name = String(text[text.index(after: slash)...])
        guard !owner.isEmpty, !name.isEmpty else { return nil }
        self.init(owner: owner == Self.accountOwner ? nil : owner, name: name)
    }

    public static func < (lhs: CredentialAddress, rhs: CredentialAddress) -> Bool { lhs.description < rhs.description }
}
