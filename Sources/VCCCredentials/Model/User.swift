/// A VCC user as the state records it and as a manifest declares it.
public struct User: Sendable, Hashable {
    /// The login; unique in the account.
    public var id: String
    public var name: String
    public var license: License

    public init(id: String, name: String, license: License) {
        self.id = id
        self.name = name
        self.license = license
    }
}
