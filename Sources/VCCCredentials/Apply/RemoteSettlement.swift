/// Settles a user change whose outcome a run did not see (``RemoteIntent``): asks VCC
/// what became of that one user and records exactly that, as `refresh` would, with the
/// audit event `refreshed` and a reason saying so. A deletion VCC archived but did not
/// finish is finished (VCC deletes only archived users).
struct RemoteSettlement {
    var environment: SystemEnvironment

    private var fileSystem: any FileSystem { environment.fileSystem }
    private var transaction: StateTransaction { StateTransaction(environment: environment) }

    static let reason = "settled: a user change an apply sent to VCC, recorded as VCC has it"

    /// Writes the intent, fsynced, before its request is sent.
    func write(_ intent: RemoteIntent, statePath: String, permissions: FilePermissions) throws {
        do {
            // Never over another: the lock refuses to start while one is there.
            try AtomicFile(fileSystem: fileSystem, random: environment.random).create(
                RemoteIntent.path(for: statePath), with: intent.encoded(), permissions: permissions)
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    /// Removes the intent once the state records the outcome. Left behind (a failure
    /// here), it is settled again by the next apply, which finds nothing to record.
    func discard(statePath: String) {
        try? fileSystem.removeFile(at: RemoteIntent.path(for: statePath))
    }

    /// The next apply's start: settles what an interrupted one left, under the lock.
    func settleInterrupted(
        statePath: String, api: UserAdminAPI, lockTimeout: LockTimeout
    ) async throws -> [Diagnostic] {
        let path = RemoteIntent.path(for: statePath)
        // Read under the lock: another run may have settled it, or left another, meanwhile.
        let locked = try transaction.lock(statePath, timeout: lockTimeout, settling: true)
        defer { locked.lock.release() }
        let bytes: [UInt8]
        do {
            guard try fileSystem.requireRegularFileOrNothing(at: path, singleLink: true) != nil else {
                return locked.notes
            }
            bytes = try fileSystem.readFile(at: path, maxBytes: 64 * 1024, followingLinks: false)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        let intent = try RemoteIntent.decode(bytes, file: path)
        guard intent.lineage == locked.loaded.state.lineage else {
            throw DiagnosticsError(
                .error(
                    "\(path) is of another state (lineage \(intent.lineage)); remove it only if you know that "
                        + "change was settled",
                    at: SourceLocation(file: path)))
        }
        let (next, changes, words) = try await outcome(intent, api: api, state: locked.loaded.state)
        if !changes.isEmpty {
            try transaction.write(
                StateChange(
                    next: next, changes: changes, time: Timestamp(environment.clock.now()), event: .refreshed,
                    reason: Self.reason),
                locked)
        }
        discard(statePath: statePath)
        return locked.notes + [.note("recovered: \(words)")]
    }

    /// Settles `intent` within the run that sent it, and commits what VCC says.
    /// `keepingUnlessFound`: VCC may still be making a create whose answer was lost; if
    /// it does not show the user yet, the intent stays for the next apply to ask again.
    func settle(
        _ intent: RemoteIntent, api: UserAdminAPI, ready: inout Applier.Ready, keepingUnlessFound: Bool = false
    ) async throws -> Diagnostic {
        let (next, changes, words) = try await outcome(intent, api: api, state: ready.base)
        if !changes.isEmpty {
            let written = try transaction.write(
                StateChange(
                    next: next, changes: changes, time: Timestamp(environment.clock.now()), event: .refreshed,
                    reason: Self.reason, sealedDir: ready.sealedDir),
                ready.locked)
            ready.locked = transaction.advanced(ready.locked, by: written)
            ready.base = written.next
            ready.result.newSerial = written.next.serial
            ready.result.refreshed += changes
        }
        if keepingUnlessFound && !ready.base.users.contains(where: { $0.id == intent.user }) {
            return .note(
                "asked VCC: \(words); \(RemoteIntent.path(for: ready.locked.loaded.path)) is kept, and the next apply "
                    + "asks again")
        }
        discard(statePath: ready.locked.loaded.path)
        return .note("asked VCC: \(words)")
    }

    /// What VCC has for the intent's user, and the state that records it.
    private func outcome(
        _ intent: RemoteIntent, api: UserAdminAPI, state: State
    ) async throws -> (State, [Change], String) {
        var remote: RemoteUser?
        if let id = intent.vccUserId { remote = try await api.user(id: id) }
        if remote == nil { remote = try await api.find(username: intent.user) }
        if remote?.role == .vonage { remote = nil }
        let shown = Quoted.of(Printable.escaped(intent.user))
        let current = state.users.first { $0.id == intent.user }
        var next = state
        func change(_ action: Action, after: User?) -> Change {
            Change(
                id: .user(intent.user), action: action,
                subject: .user(id: intent.user, before: current, after: after),
                decision: .permitted(by: Refresher.actor))
        }
        switch intent.action {
        case .delete:
            if let remote, remote.active {
                return (state, [], "VCC still has user \(shown): the deletion was not made")
            }
            if let remote { try await api.archiveAndDelete(id: remote.userId) }
            guard let current else { return (state, [], "user \(shown) is gone from VCC and the state") }
            if state.credentials.contains(where: { $0.owner == current.id }) {
                return (state, [], "user \(shown) is gone from VCC, but kept: the state records credentials they own")
            }
            next.users.removeAll { $0.id == current.id }
            return (next, [change(.delete, after: nil)], "user \(shown) is gone from VCC: recorded")
        case .create, .update:
            guard let remote, remote.active, case .license(let license) = remote.role else {
                let what = intent.action == .create ? "creation" : "change"
                return (state, [], "VCC has no active user \(shown): the \(what) was not made")
            }
            let record = User(
                id: intent.user, name: UserReconciler.usableName(remote) ?? current?.name ?? intent.user,
                license: license, email: UserReconciler.usableEmail(remote) ?? current?.email,
                vccUserId: remote.userId)
            guard record != current else { return (state, [], "user \(shown) is as the state records them") }
            if let index = next.users.firstIndex(where: { $0.id == intent.user }) {
                next.users[index] = record
                return (next, [change(.update, after: record)], "user \(shown) is \(license.rawValue) in VCC: recorded")
            }
            next.users.append(record)
            return (next, [change(.create, after: record)], "VCC has user \(shown) (\(license.rawValue)): recorded")
        }
    }
}
