/// `refresh`: the state's users brought in line with VCC's User Admin API. VCC is read
/// first, with no lock held; the state is then locked, reconciled with what VCC said
/// and written through the one transaction every writer uses (event `refreshed`).
public struct Refresher: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment) {
        self.environment = environment
    }

    public struct Result: Sendable {
        public var report: RefreshReport
        /// The serial written; nil for a dry run or when nothing changed.
        public var newSerial: Int?
        public var notes: [Diagnostic]
    }

    /// Reads every VCC user through `api` and reconciles the state at `statePath` with
    /// them; `dryRun` writes nothing. A state that does not load stops the run before
    /// any request.
    public func refresh(
        statePath: String, api: UserAdminAPI, dryRun: Bool, lockTimeout: LockTimeout = .none
    ) async throws -> Result {
        let store = StateStore(environment: environment)
        let before = try store.load(statePath)
        let remote = try await api.allUsers()
        if dryRun {
            let outcome = UserReconciler.reconcile(state: before.state, remote: remote)
            return Result(report: RefreshReport(state: before.state, outcome: outcome), newSerial: nil, notes: [])
        }
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: lockTimeout)
        defer { locked.lock.release() }
        let current = locked.loaded.state
        let outcome = UserReconciler.reconcile(state: current, remote: remote)
        let report = RefreshReport(state: current, outcome: outcome)
        let changes = Self.changes(from: current.users, to: outcome.users)
        guard !changes.isEmpty else { return Result(report: report, newSerial: nil, notes: locked.notes) }
        var next = current
        next.users = outcome.users
        let written = try transaction.write(
            StateChange(
                next: next, changes: changes, time: Timestamp(environment.clock.now()), event: .refreshed,
                reason: nil),
            locked)
        return Result(report: report, newSerial: written.next.serial, notes: locked.notes)
    }

    /// The audit's actor for what VCC reported: no user of the state made these changes.
    static let actor = "vcc"

    /// One change per user record created, updated (VCC id learnt included) or removed.
    static func changes(from old: [User], to new: [User]) -> [Change] {
        let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [Change] = []
        for user in old {
            if let updated = after[user.id] {
                if updated != user { changes.append(change(.update, id: user.id, before: user, after: updated)) }
            } else {
                changes.append(change(.delete, id: user.id, before: user, after: nil))
            }
        }
        for user in new where before[user.id] == nil {
            changes.append(change(.create, id: user.id, before: nil, after: user))
        }
        return changes
    }

    private static func change(_ action: Action, id: String, before: User?, after: User?) -> Change {
        Change(
            id: .user(id), action: action, subject: .user(id: id, before: before, after: after),
            decision: .permitted(by: actor))
    }
}
