/// `account --user-executor`: switches how an existing account's user changes are made,
/// under the lock and crash safety of every state change, by an admin, audited
/// (``AuditEvent/configured``). Nothing in VCC changes.
public struct AccountConfigurator: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Result: Sendable {
        public var account: Account
        /// The serial written; nil when the account already had that user executor.
        public var newSerial: Int?
        public var notes: [Diagnostic]
    }

    /// Sets the user executor: `api`, or the account's executor's own (which the state
    /// then leaves unwritten). Open portal user steps must be closed first: they would
    /// otherwise wait for a person while the API makes the same user's next change.
    public func setUserExecutor(
        _ executor: UserExecutor, statePath: String, actor: String, lockTimeout: LockTimeout = .none
    ) throws -> Result {
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: lockTimeout)
        defer { locked.lock.release() }
        var next = locked.loaded.state
        let admin = try Importer.admin(actor, command: "account --user-executor", in: next, statePath: statePath)
        let implied = UserExecutor.implied(by: next.account.executor)
        guard executor == .api || executor == implied else {
            throw DiagnosticsError(
                .error(
                    "--user-executor \(executor.rawValue): a \(next.account.executor.rawValue) account's user changes "
                        + "go as its credential changes do (\(implied.rawValue)), or through the API (api)"))
        }
        guard executor != next.account.userExecutor else {
            return Result(account: next.account, newSerial: nil, notes: locked.notes)
        }
        if executor == .api, let step = next.pending.first(where: { $0.subject.kind == .user }) {
            throw DiagnosticsError(
                .error(
                    "the open portal step \(step.id) changes a user: record or abandon it first (vcc-creds pending "
                        + "lists them)",
                    at: SourceLocation(file: statePath)))
        }
        let before = next.account.userExecutor
        next.account.declaredUserExecutor = executor == .api ? .api : nil
        var change = StateChange(next: next, changes: [], time: Timestamp(environment.clock.now()))
        change.accountAudit = (admin.id, "userExecutor \(before.rawValue) -> \(executor.rawValue)")
        change.checked = true
        let written = try transaction.write(change, locked)
        return Result(account: written.next.account, newSerial: written.next.serial, notes: locked.notes)
    }
}
