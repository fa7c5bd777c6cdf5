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
            case (_?, _?), (nil, nil):
                break  // unchanged, or absent from both
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
        // Pins first, so an entry matched by name never takes a pinned credential.
        for (offset, entry) in desired.enumerated() {
            guard let clientId = entry.clientId else { continue }
            try matchPinned(entry, clientId: clientId, inView: inView[offset], &claimed, statePath: statePath)
        }
        for (offset, entry) in desired.enumerated() where entry.clientId == nil {
            guard inView[offset] else {
                entriesOutOfView += 1
                continue
            }
            matchByName(entry, &claimed)
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

    /// An entry pinned by `clientId` to a credential the actor sees: its match, whose
    /// level and owner must be the entry's.
    private mutating func matchPinned(
        _ entry: DesiredCredential, clientId: String, inView: Bool, _ claimed: inout [Bool], statePath: String
    ) throws(PlanError) {
        guard let position = index.credentialsByClientId.single(for: clientId),
            visibility.canSee(state.credentials[position])
        else {
            try pinMatchesNothing(entry, clientId: clientId, inView: inView, statePath: statePath)
            return
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

    /// A pin to no credential the actor sees: an account-level entry creates it with that
    /// `clientId` (an import); a user-level one is an error.
    private mutating func pinMatchesNothing(
        _ entry: DesiredCredential, clientId: String, inView: Bool, statePath: String
    ) throws(PlanError) {
        guard inView else {
            entriesOutOfView += 1
            return
        }
        guard entry.ensure == .present else { return }
        guard entry.spec.level == .account else {
            throw .clientIdNotFound(clientId: clientId, at: entry.location, statePath: statePath)
        }
        let target = CredentialTarget(clientId: clientId, name: entry.spec.name, owner: nil, level: .account)
        credentialChanges.append(
            DraftChange(
                id: "credential:\(clientId)", action: .create,
                subject: .credential(target, before: nil, after: entry.spec), location: entry.location))
    }

    /// An entry without a pin, matched by name, owner and level among the credentials not
    /// yet claimed: none is a create, one its match, several an ambiguous change.
    private mutating func matchByName(_ entry: DesiredCredential, _ claimed: inout [Bool]) {
        // The common case, one credential by this name, without building a list.
        if let only = index.credentialsByKey.single(for: entry.spec.key) {
            if claimed[only] {
                if entry.ensure == .present { appendCreate(entry) }
                return
            }
            claimed[only] = true
            diff(state.credentials[only], entry)
            return
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
            appendAmbiguous(entry, matching: candidates)
        }
    }

    /// One change for an entry that matches several credentials, naming them all.
    private mutating func appendAmbiguous(_ entry: DesiredCredential, matching candidates: [Int]) {
        let present = entry.ensure == .present
        credentialChanges.append(
            DraftChange(
                id: Self.newCredentialId(entry.spec), action: present ? .update : .delete,
                subject: .credential(Self.target(entry.spec), before: nil, after: present ? entry.spec : nil),
                // In view, like the entry: the same level and owner.
                ambiguousMatches: candidates.map { state.credentials[$0].clientId }.sorted(),
                location: entry.location))
    }

    private mutating func appendCreate(_ entry: DesiredCredential) {
        credentialChanges.append(
            DraftChange(
                id: Self.newCredentialId(entry.spec), action: .create,
                subject: .credential(Self.target(entry.spec), before: nil, after: entry.spec),
                location: entry.location))
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

    /// The target of a credential still to be made: no `clientId` yet.
    static func target(_ spec: CredentialSpec) -> CredentialTarget {
        CredentialTarget(clientId: nil, name: spec.name, owner: spec.owner, level: spec.level)
    }

    static func newCredentialId(_ spec: CredentialSpec) -> String {
        "credential:\(spec.owner ?? spec.level.rawValue)/\(spec.name)"
    }

    /// Squares the draft with the portal steps still open: a change a step already makes
    /// is left out (it is awaiting the portal, not planned twice); any other change to a
    /// step's target, or to a credential of a user with an open step, is marked so the
    /// policy refuses it. Returns the steps the actors can see, in order.
    mutating func settle(_ pending: [PendingStep]) -> [PendingStep] {
        guard !pending.isEmpty else { return [] }
        let byId = Dictionary(pending.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var userSteps: [String: String] = [:]
        for step in pending { if let id = step.subject.userId { userSteps[id] = step.id } }
        func settled(_ changes: [DraftChange]) -> [DraftChange] {
            changes.compactMap { change in
                if let step = byId[change.id] {
                    if step.action == change.action && Self.sameOutcome(step.subject, change.subject) { return nil }
                    var marked = change
                    marked.openStep = step.id
                    return marked
                }
                if let owner = change.subject.owner, let step = userSteps[owner] {
                    var marked = change
                    marked.openStep = step
                    return marked
                }
                return change
            }
        }
        userChanges = settled(userChanges)
        credentialChanges = settled(credentialChanges)
        return pending.filter { step in
            guard let target = step.subject.credentialTarget else { return true }
            return visibility.canSee(level: target.level, owner: target.owner)
        }
    }

    /// Whether two subjects leave their target the same: what a step and a change set.
    static func sameOutcome(_ step: ChangeSubject, _ change: ChangeSubject) -> Bool {
        switch (step, change) {
        case (.user(let a, _, let left), .user(let b, _, let right)): return a == b && left == right
        case (.credential(let a, _, let left), .credential(let b, _, let right)):
            return a.clientId == b.clientId && a.level == b.level && a.owner == b.owner && left == right
        default: return false
        }
    }
}
