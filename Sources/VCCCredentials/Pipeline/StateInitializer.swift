/// `init`: a new, empty state for an account, with a fresh lineage.
public struct StateInitializer: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    /// Creates the state file; never overwrites one. `admin` seeds the first admin
    /// user, without whom no plan can run; `executor` is how apply will carry out
    /// changes (``Executor``).
    public func initialize(
        statePath: String, account: String, apiCredentialsEnabled: Bool, admin: User?, executor: Executor = .local,
        userExecutor: UserExecutor? = nil
    ) throws -> State {
        if let problem = Identifiers.accountIdProblem(account) {
            throw DiagnosticsError(.error("--account: \(problem)"))
        }
        if let admin, let problem = Identifiers.userIdProblem(admin.id) {
            throw DiagnosticsError(.error("--admin: \(problem)"))
        }
        let state = State(
            lineage: environment.random.uuid(), serial: 1,
            account: Account(
                id: account, apiCredentialsEnabled: apiCredentialsEnabled, executor: executor,
                userExecutor: userExecutor),
            users: admin.map { [$0] } ?? [], credentials: [])
        try StateStore(environment: environment).create(state, at: statePath)
        return state
    }
}
