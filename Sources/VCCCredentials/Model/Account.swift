/// The VCC account a state file describes.
public struct Account: Sendable, Hashable {
    public var id: String
    /// Whether the account has the API Credentials feature turned on.
    public var apiCredentialsEnabled: Bool
    /// How apply carries out changes; `local` when the state does not say.
    public var executor: Executor
    /// How apply carries out user changes, when the state names it; nil: as
    /// ``executor`` (``userExecutor`` says which is in force).
    public var declaredUserExecutor: UserExecutor?

    /// The user executor in force.
    public var userExecutor: UserExecutor { declaredUserExecutor ?? .implied(by: executor) }

    public init(
        id: String, apiCredentialsEnabled: Bool, executor: Executor = .local, userExecutor: UserExecutor? = nil
    ) {
        self.id = id
        self.apiCredentialsEnabled = apiCredentialsEnabled
        self.executor = executor
        declaredUserExecutor = userExecutor
    }
}
