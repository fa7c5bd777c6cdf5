/// The `api` user executor: an apply's user changes made through VCC's User Admin API,
/// in plan order, one at a time, each committed to the state as soon as VCC has made it.
///
/// For each user change: the credential changes planned before it are committed first
/// (so a user is never deleted in VCC while the state still records their credentials);
/// then ``RemoteIntent`` is written, the request sent, the outcome committed (with VCC's
/// id for the user) and the intent removed. A request VCC refuses stops the run with
/// what was made committed; one whose outcome is unknown (no answer, a 5xx to a POST) is
/// settled at once by asking VCC, or, if VCC cannot be asked, by the next apply.
struct RemoteUserChanges {
    var environment: SystemEnvironment
    var api: UserAdminAPI

    private var transaction: StateTransaction { StateTransaction(environment: environment) }

    /// Makes the user changes of `ready.permitted` and the credential changes that come
    /// before them; returns the changes left for the account's credential executor
    /// (creates, and what depends on a user change). `ready` follows every commit.
    mutating func make(_ ready: inout Applier.Ready) async throws -> [Change] {
        let permitted = ready.permitted
        // Before anything changes: every user to create has an address, and the tool's
        // credential may write users.
        for change in permitted where change.subject.kind == .user && change.action == .create {
            guard case .user(let id, _, let after?) = change.subject else { continue }
            if Self.email(for: after) == nil {
                throw DiagnosticsError(
                    .error(
                        "user \(Quoted.of(Printable.escaped(id))) must be created through VCC's User Admin API, which "
                            + "needs an email address: declare 'email:' for the user; nothing was changed",
                        at: change.location))
            }
        }
        try await api.requireWriteAccess()

        let executor = ready.locked.loaded.state.account.executor
        // Made, or about to be committed before the next request.
        var done = Set<ChangeID>()
        var batch: [Change] = []
        var left: [Change] = []
        var held: [Change] = []
        for (position, change) in permitted.enumerated() {
            if change.subject.kind == .user {
                // A change waits for what it depends on: a credential deletion handed
                // to the portal, say, must be done before its owner goes.
                guard change.dependsOn.allSatisfy(done.contains) else {
                    held.append(change)
                    continue
                }
                if !batch.isEmpty || !ready.observed.isEmpty {
                    try commit(batch, into: &ready)
                    batch = []
                }
                do {
                    try await send(change, into: &ready)
                    done.insert(change.id)
                } catch {
                    let rest = Array(permitted[(position + 1)...])
                    ready.result.stoppedBy = Self.diagnostic(error, change: change)
                    ready.result.notMade = [change] + held + left + rest
                    return []
                }
            } else if executor == .local && change.action != .create && change.dependsOn.allSatisfy(done.contains) {
                batch.append(change)
                done.insert(change.id)
            } else {
                left.append(change)
            }
        }
        ready.result.notMade = held
        // What the credential executor makes: what came before no user change, and
        // what waits for one that was made. A change depending on a held one waits too.
        let open = Set(held.map(\.id))
        let waiting = left.filter { $0.dependsOn.contains(where: open.contains) }
        ready.result.notMade += waiting
        return batch + left.filter { !$0.dependsOn.contains(where: open.contains) }
    }

    /// The address VCC gets for a new user: the declared one, else the id when it is one.
    static func email(for user: User) -> String? {
        if let email = user.email { return email }
        return Identifiers.emailProblem(user.id) == nil ? user.id : nil
    }

    /// Commits credential changes (and VCC's users read by `--refresh`) in one transaction.
    private func commit(_ changes: [Change], into ready: inout Applier.Ready) throws {
        let now = Timestamp(environment.clock.now())
        let next = StateTransition.apply(changes, to: ready.base, minted: [:], now: now)
        var change = StateChange(next: next, changes: changes, time: now, sealedDir: ready.sealedDir)
        change.observed = ready.observed
        let written = try transaction.write(change, ready.locked)
        ready.result.applied += changes
        ready.result.refreshed += ready.observed
        ready.observed = []
        advance(&ready, written)
    }

    private func advance(_ ready: inout Applier.Ready, _ written: StateTransaction.Prepared) {
        ready.locked = transaction.advanced(ready.locked, by: written)
        ready.base = written.next
        ready.result.newSerial = written.next.serial
    }

    /// One user change: intent, request, commit, intent removed.
    private func send(_ change: Change, into ready: inout Applier.Ready) async throws {
        guard case .user(let id, let before, let after) = change.subject else { return }
        let statePath = ready.locked.loaded.path
        let intent = RemoteIntent(
            action: change.action, user: id, vccUserId: before?.vccUserId, lineage: ready.base.lineage,
            serial: ready.base.serial)
        let settlement = RemoteSettlement(environment: environment)
        try settlement.write(intent, statePath: statePath, permissions: ready.locked.permissions)
        var observed: RemoteUser?
        do {
            switch change.action {
            case .create:
                observed = try await api.create(after!, email: Self.email(for: after!)!)
            case .update:
                let vccId = try await vccUserId(of: before!)
                observed = try await api.update(
                    id: vccId, license: after!.license == before!.license ? nil : after!.license,
                    name: after!.name == before!.name ? nil : after!.name,
                    email: after!.email == before!.email ? nil : after!.email)
            case .delete:
                if let vccId = try await existingVCCUserId(of: before!) { try await api.archiveAndDelete(id: vccId) }
            }
        } catch let error as RemoteError {
            // Whatever failed, VCC may have made some of it (a deletion archives first,
            // an answer can be lost, a create can meet the user made meanwhile): ask
            // now, and record exactly what VCC says. Made as planned, the run goes on;
            // else it stops. A create VCC does not show yet after a lost answer stays
            // journaled, for the next apply to ask again.
            let unknown = Self.isUncertain(error) && change.action == .create
            guard
                let note = try? await settlement.settle(
                    intent, api: api, ready: &ready, keepingUnlessFound: unknown)
            else { throw error }
            ready.result.notes.append(note)
            let recorded = ready.base.users.first { $0.id == id }
            let made =
                change.action == .delete
                ? recorded == nil
                : recorded?.license == after?.license && recorded?.name == after?.name
                    && (after?.email == nil || recorded?.email == after?.email)
            guard made else { throw error }
            ready.result.applied.append(change)
            return
        } catch {
            settlement.discard(statePath: statePath)
            throw error
        }
        var next = ready.base
        var record = after
        if let observed, var user = record {
            // Only what the state can hold: VCC's answer is input like any other.
            if Identifiers.vccUserIdProblem(observed.userId) == nil { user.vccUserId = observed.userId }
            if user.email == nil { user.email = UserReconciler.usableEmail(observed) }
            record = user
        }
        next = StateTransition.apply(
            [
                Change(
                    id: change.id, action: change.action, subject: .user(id: id, before: before, after: record),
                    decision: change.decision)
            ],
            to: next, minted: [:], now: Timestamp(environment.clock.now()))
        let written = try transaction.write(
            StateChange(
                next: next, changes: [change], time: Timestamp(environment.clock.now()), sealedDir: ready.sealedDir),
            ready.locked)
        settlement.discard(statePath: statePath)
        ready.result.applied.append(change)
        advance(&ready, written)
    }

    /// The user's VCC id: the one refresh recorded, else looked up by username.
    private func vccUserId(of user: User) async throws -> String {
        if let known = try await existingVCCUserId(of: user) { return known }
        throw RemoteError.status(
            request: "GET \(api.connection.settings.userAdminURL.appending("users"))", status: 404,
            detail: "VCC has no user \(Printable.escaped(user.id)); run vcc-creds refresh")
    }

    private func existingVCCUserId(of user: User) async throws(RemoteError) -> String? {
        if let id = user.vccUserId { return id }
        return try await api.find(username: user.id)?.userId
    }

    /// Whether VCC may have carried out the request although the run got no usable
    /// answer: then VCC is asked before anything is recorded.
    static func isUncertain(_ error: RemoteError) -> Bool {
        switch error {
        case .unanswered, .malformed: true
        case .status(_, let status, _): status >= 500
        case .setting, .credential, .tokenRefused, .retryAfterTooLong: false
        }
    }

    static func diagnostic(_ error: any Error, change: Change) -> Diagnostic {
        let message = (error as? any VCCError)?.diagnostics.first?.message ?? "\(error)"
        return .error("\(change.action.rawValue) \(change.id): \(message)")
    }
}
