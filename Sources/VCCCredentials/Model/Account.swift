/// The VCC account a state file describes.
public struct Account: Sendable, Hashable {
    public var id: String
    /// Whether the account has the API Credentials feature turned on.
    public var apiCredentialsEnabled: Bool

    public init(id: String, apiCredentialsEnabled: Bool) {
        self.id = id
        self.apiCredentialsEnabled = apiCredentialsEnabled
    }
}
