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
                userChanges.append(userChange(.delete, before: before, after: nil, from: entry))
            case (let before?, let after?) where before != after:
                userChanges.append(userChange(.update, before: before, after: after, from: entry))
            case (nil, let after?):
                userChanges.append(userChange(.create, before: nil, after: after, from: entry))
            default:
                break
            }
        }
        for user in state.users where !named.contains(user.id) && visibility.canSee(user) {
            if prune {
                userChanges.append(userChange(.delete, before: user, after: nil, from: nil))
            } else {
                unmanagedUsers.append(user.id)
            }
        }
    }

    private func userChange(_ action: Action, before: User?, after: User?, from entry: DesiredUser?) -> DraftChange {
        let id = (before ?? after)!.id
        return DraftChange(
            id: "user:\(id)", action: action, subject: .user(id: id, before: before, after: after),
            location: entry?.location)
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
                        subject: .credential(target, before: nil, after: entry.spec), location: entry.location))
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
                        ambiguousMatches: candidates.map { state.credentials[$0].clientId }.sorted(),
                        location: entry.location))
            }
        }
        for (position, credential) in state.credentials.enumerated()
        where !claimed[position] && visibility.canSee(credential) {
            if prune {
                credentialChanges.append(credentialChange(.delete, credential, after: nil, from: nil))
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
                subject: .credential(target, before: nil, after: entry.spec), location: entry.location))
    }

    /// A matched pair: delete when absent, update when name or scopes differ.
    private mutating func diff(_ current: Credential, _ entry: DesiredCredential) {
        switch entry.ensure {
        case .absent:
            credentialChanges.append(credentialChange(.delete, current, after: nil, from: entry))
        case .present where current.name != entry.spec.name || current.scopes != entry.spec.scopes:
            credentialChanges.append(credentialChange(.update, current, after: entry.spec, from: entry))
        case .present:
            break
        }
    }

    private func credentialChange(
        _ action: Action, _ current: Credential, after: CredentialSpec?, from entry: DesiredCredential?
    ) -> DraftChange {
        var target = Self.target(current)
        if let after { target.name = after.name }
        return DraftChange(
            id: "credential:\(current.clientId)", action: action,
            subject: .credential(target, before: current, after: after), location: entry?.location)
    }

    static func target(_ credential: Credential) -> CredentialTarget {
        CredentialTarget(
            clientId: credential.clientId, name: credential.name, owner: credential.owner, level: credential.level)
    }

    static func newCredentialId(_ spec: CredentialSpec) -> String {
        "credential:\(spec.owner ?? spec.level.rawValue)/\(spec.name)"
    }
}
