/// A credential whose `expires` is near (within `settings.expiryWarning`), or an entry
/// already expired that is therefore not created.
public struct ExpiryNotice: Sendable, Hashable {
    public var target: CredentialTarget
    public var expires: Timestamp

    public init(target: CredentialTarget, expires: Timestamp) {
        self.target = target
        self.expires = expires
    }
}
