/// The VCC account a state file describes.
public struct Account: Sendable, Hashable {
    public var id: String
    /// Whether the account has the API Credentials feature turned on.
    public var apiCredentialsEnabled: Bool
    /// How apply carries out changes; `local` when the state does not say.
    public var executor: Executor

    public init(id: String, apiCredentialsEnabled: Bool, executor: Executor = .local) {
        self.id = id
        self.apiCredentialsEnabled = apiCredentialsEnabled
        self.executor = executor
    }
}
