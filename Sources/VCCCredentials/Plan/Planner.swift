/// Diffs the manifests against the part of the state the actor may see, orders the
/// changes for apply and has ``Policy`` decide each. Pure: it reads values, writes
/// nothing, and indexes everything once so large accounts plan in linear time.
public enum Planner {
    public static func plan(desired: Desired, state: State, actor actorId: String, statePath: String) throws(PlanError)
        -> Plan
    {
        try plan(desired: desired, state: state, index: StateIndex(state), actor: actorId, statePath: statePath)
    }

    /// With the state's index built beforehand (while the manifests are still being read).
    static func plan(
        desired: Desired, state: State, index: StateIndex, actor actorId: String, statePath: String
    ) throws(PlanError) -> Plan {
        guard desired.account == state.account.id else {
            throw .accountMismatch(
                manifests: desired.account, at: desired.accountLocation, state: state.account.id, statePath: statePath)
        }
        guard let actor = index.usersById[actorId] else {
            throw .unknownActor(
                actorId, statePath: statePath, suggestion: Suggestion.hint(for: actorId, in: state.users.map(\.id)))
        }
        var draft = Draft(state: state, index: index, visibility: Visibility(actor: actor), prune: desired.settings.prune)
        draft.diffUsers(desired.users)
        try draft.diffCredentials(desired.credentials, statePath: statePath)
        let changes = Decider(draft: draft, actor: actor, account: state.account, settings: desired.settings).decide()
        let hiddenCredentials = state.credentials.reduce(0) { $0 + (draft.visibility.canSee($1) ? 0 : 1) }
        return Plan(
            account: state.account.id, actor: actor, stateLineage: state.lineage, stateSerial: state.serial, changes: changes,
            hidden: Plan.Hidden(users: 0, credentials: hiddenCredentials, entries: draft.entriesOutOfView),
            unmanaged: Plan.Unmanaged(
                users: draft.unmanagedUsers.sorted(), credentials: draft.unmanagedCredentials.sorted()))
    }
}

/// The state, indexed for matching: users by id, credentials by client ID, by
/// (level, owner, name) and by owner.
struct StateIndex: Sendable {
    let usersById: [String: User]
    let credentialsByClientId: PositionIndex<String>
    let credentialsByKey: PositionIndex<CredentialKey>
    let credentialsByOwner: PositionIndex<String>
    let admins: [String]

    init(_ state: State) {
        var users: [String: User] = [:]
        users.reserveCapacity(state.users.count)
        for user in state.users { users[user.id] = user }
        usersById = users
        let count = state.credentials.count
        var byClientId = PositionIndex<String>(count: count)
        var byKey = PositionIndex<CredentialKey>(count: count)
        var byOwner = PositionIndex<String>(count: count)
        for position in state.credentials.indices {
            byClientId.insert(position, for: state.credentials[position].clientId)
            guard state.credentials[position].level == .user, let owner = state.credentials[position].owner else {
                continue
            }
            byKey.insert(position, for: state.credentials[position].key)
            byOwner.insert(position, for: owner)
        }
        credentialsByClientId = byClientId
        credentialsByKey = byKey
        credentialsByOwner = byOwner
        admins = state.users.filter { $0.license == .admin }.map(\.id).sorted()
    }
}

/// A change before it is ordered and decided.
struct DraftChange {
    var id: String
    var action: Action
    var subject: ChangeSubject
    var ambiguousMatches: [String] = []
}

/// The undecided changes: what differs between the manifests and the visible state.
struct Draft {
    let state: State
    let index: StateIndex
    let visibility: Visibility
    let prune: Bool
    private(set) var userChanges: [DraftChange] = []
    private(set) var credentialChanges: [DraftChange] = []
    private(set) var unmanagedUsers: [String] = []
    private(set) var unmanagedCredentials: [CredentialTarget] = []
    /// Manifest entries left out: for credentials the actor could not see.
    private(set) var entriesOutOfView = 0

    init(state: State, index: StateIndex, visibility: Visibility, prune: Bool) {
        self.state = state
        self.index = index
        self.visibility = visibility
        self.prune = prune
    }

    mutating func diffUsers(_ desired: [DesiredUser]) {
        var named = Set<String>()
        named.reserveCapacity(desired.count)
        for entry in desired {
            named.insert(entry.id)
            let current = index.usersById[entry.id]
            if let current, !visibility.canSee(current) { continue }
            switch (current, entry.user) {
            case (let before?, nil):
                userChanges.append(userChange(.delete, before: before, after: nil))
            case (let before?, let after?) where before != after:
                userChanges.append(userChange(.update, before: before, after: after))
            case (nil, let after?):
                userChanges.append(userChange(.create, before: nil, after: after))
            default:
                break
            }
        }
        for user in state.users where !named.contains(user.id) && visibility.canSee(user) {
            if prune {
                userChanges.append(userChange(.delete, before: user, after: nil))
            } else {
                unmanagedUsers.append(user.id)
            }
        }
    }

    private func userChange(_ action: Action, before: User?, after: User?) -> DraftChange {
        let id = (before ?? after)!.id
        return DraftChange(id: "user:\(id)", action: action, subject: .user(id: id, before: before, after: after))
    }

    /// Matches the entries to the state. What the actor cannot see takes no part: an
    /// entry for a credential it could not see is left out (counted) whether or not one
    /// exists, and a `clientId` pin finds only credentials it can see, so a pin to a
    /// hidden credential is the same as a pin to none. Nothing in the plan then differs
    /// with what exists out of sight.
    mutating func diffCredentials(_ desired: [DesiredCredential], statePath: String) throws(PlanError) {
        var claimed = [Bool](repeating: false, count: state.credentials.count)
        let inView = desired.map { visibility.canSee(level: $0.spec.level, owner: $0.spec.owner) }
        for (offset, entry) in desired.enumerated() {
            guard let clientId = entry.clientId else { continue }
            guard let position = index.credentialsByClientId.single(for: clientId),
                visibility.canSee(state.credentials[position])
            else {
                guard inView[offset] else {
                    entriesOutOfView += 1
                    continue
                }
                guard entry.ensure == .present else { continue }
                guard entry.spec.level == .account else {
                    throw .clientIdNotFound(clientId: clientId, at: entry.location, statePath: statePath)
                }
                let target = CredentialTarget(clientId: clientId, name: entry.spec.name, owner: nil, level: .account)
                credentialChanges.append(
                    DraftChange(
                        id: "credential:\(clientId)", action: .create,
                        subject: .credential(target, before: nil, after: entry.spec)))
                continue
            }
            claimed[position] = true
            let current = state.credentials[position]
            if current.level != entry.spec.level {
                throw .immutableField(
                    field: "level", clientId: clientId, state: current.level.rawValue,
                    manifest: entry.spec.level.rawValue, at: entry.location)
            }
            if current.owner != entry.spec.owner {
                throw .immutableField(
                    field: "owner", clientId: clientId, state: current.owner ?? "", manifest: entry.spec.owner ?? "",
                    at: entry.location)
            }
            diff(current, entry)
        }
        for (offset, entry) in desired.enumerated() where entry.clientId == nil {
            guard inView[offset] else {
                entriesOutOfView += 1
                continue
            }
            // The common case, one credential by this name, without building a list.
            if let only = index.credentialsByKey.single(for: entry.spec.key) {
                if claimed[only] {
                    if entry.ensure == .present { appendCreate(entry) }
                    continue
                }
                claimed[only] = true
                diff(state.credentials[only], entry)
                continue
            }
            let candidates = index.credentialsByKey.positions(for: entry.spec.key).filter { !claimed[$0] }
            switch candidates.count {
            case 0:
                if entry.ensure == .present { appendCreate(entry) }
            case 1:
                claimed[candidates[0]] = true
                diff(state.credentials[candidates[0]], entry)
            default:
                for position in candidates { claimed[position] = true }
                let target = CredentialTarget(
                    clientId: nil, name: entry.spec.name, owner: entry.spec.owner, level: entry.spec.level)
                let action: Action = entry.ensure == .present ? .update : .delete
                credentialChanges.append(
                    DraftChange(
                        id: Self.newCredentialId(entry.spec), action: action,
                        subject: .credential(target, before: nil, after: entry.ensure == .present ? entry.spec : nil),
                        // In view, like the entry: the same level and owner.
                        ambiguousMatches: candidates.map { state.credentials[$0].clientId }.sorted()))
            }
        }
        for (position, credential) in state.credentials.enumerated()
        where !claimed[position] && visibility.canSee(credential) {
            if prune {
                credentialChanges.append(credentialChange(.delete, credential, after: nil))
            } else {
                unmanagedCredentials.append(Self.target(credential))
            }
        }
    }

    private mutating func appendCreate(_ entry: DesiredCredential) {
        let target = CredentialTarget(clientId: nil, name: entry.spec.name, owner: entry.spec.owner, level: entry.spec.level)
        credentialChanges.append(
            DraftChange(
                id: Self.newCredentialId(entry.spec), action: .create,
                subject: .credential(target, before: nil, after: entry.spec)))
    }

    /// A matched pair: delete when absent, update when name or scopes differ.
    private mutating func diff(_ current: Credential, _ entry: DesiredCredential) {
        switch entry.ensure {
        case .absent:
            credentialChanges.append(credentialChange(.delete, current, after: nil))
        case .present where current.name != entry.spec.name || current.scopes != entry.spec.scopes:
            credentialChanges.append(credentialChange(.update, current, after: entry.spec))
        case .present:
            break
        }
    }

    private func credentialChange(_ action: Action, _ current: Credential, after: CredentialSpec?) -> DraftChange {
        var target = Self.target(current)
        if let after { target.name = after.name }
        return DraftChange(
            id: "credential:\(current.clientId)", action: action,
            subject: .credential(target, before: current, after: after))
    }

    static func target(_ credential: Credential) -> CredentialTarget {
        CredentialTarget(
            clientId: credential.clientId, name: credential.name, owner: credential.owner, level: credential.level)
    }

    static func newCredentialId(_ spec: CredentialSpec) -> String {
        "credential:\(spec.owner ?? spec.level.rawValue)/\(spec.name)"
    }
}
