/// The undecided changes: what differs between the manifests and the visible state.
struct Draft {
    let state: State
    let index: StateIndex
    let visibility: Visibility
    let prune: Bool
    let settings: Settings
    let context: PlanContext
    /// Who owns an account-level credential's user-level successor: the first admin
    /// the run acts as.
    let migrationOwner: String?
    private(set) var userChanges: [DraftChange] = []
    private(set) var credentialChanges: [DraftChange] = []
    private(set) var unmanagedUsers: [String] = []
    private(set) var unmanagedCredentials: [CredentialTarget] = []
    /// Manifest entries left out: for credentials the actor could not see.
    private(set) var entriesOutOfView = 0
    /// Pairs in their overlap that this plan leaves as they are.
    private(set) var rotating: [RotationNotice] = []
    /// Entries whose `expires` is near, or past before they were created.
    private(set) var expiring: [ExpiryNotice] = []
    /// Live predecessors' client IDs -> their successor's position.
    private let successorOf: [String: Int]
    /// Every rotated-away client ID -> the position of the credential that replaced it.
    private let replacedBy: [String: Int]
    /// The overlap asked for, by entry (position in the manifests).
    private var requested: [Int: TimeSpan] = [:]

    init(
        state: State, index: StateIndex, visibility: Visibility, settings: Settings, context: PlanContext,
        actors: [User] = []
    ) {
        self.state = state
        self.index = index
        self.visibility = visibility
        self.prune = settings.prune
        self.settings = settings
        self.context = context
        migrationOwner = actors.first { $0.license == .admin }?.id
        var successorOf: [String: Int] = [:]
        var replacedBy: [String: Int] = [:]
        for (position, credential) in state.credentials.enumerated() where !credential.predecessors.isEmpty {
            // The latest successor: the one that lists the most (it inherits the others').
            for predecessor in credential.predecessors {
                if let other = replacedBy[predecessor],
                    state.credentials[other].predecessors.count >= credential.predecessors.count
                {
                    continue
                }
                replacedBy[predecessor] = position
            }
            if let predecessor = credential.livePredecessor, index.credentialsByClientId.single(for: predecessor) != nil
            {
                successorOf[predecessor] = position
            }
        }
        self.successorOf = successorOf
        self.replacedBy = replacedBy
    }

    private var now: Timestamp { context.now }

    mutating func diffUsers(_ desired: [DesiredUser]) {
        var named = Set<String>()
        named.reserveCapacity(desired.count)
        for entry in desired {
            named.insert(entry.id)
            let current = index.usersById[entry.id]
            if let current, !visibility.canSee(current) { continue }
            switch (current, current.flatMap { entry.user?.keeping(observedFrom: $0) } ?? entry.user) {
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
            id: .user(id), action: action, subject: .user(id: id, before: before, after: after),
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
        try resolveRequests(desired, inView: inView)
        // Pins first, so an entry matched by name never takes a pinned credential.
        for (offset, entry) in desired.enumerated() {
            guard let clientId = entry.clientId else { continue }
            try matchPinned(entry, offset, clientId: clientId, inView: inView[offset], &claimed, statePath: statePath)
        }
        for (offset, entry) in desired.enumerated() where entry.clientId == nil {
            guard inView[offset] else {
                entriesOutOfView += 1
                continue
            }
            try matchByName(entry, offset, &claimed)
        }
        try checkSuccessorIds()
        for (position, credential) in state.credentials.enumerated()
        where !claimed[position] && visibility.canSee(credential) {
            // Half of a pair whose other half the actors cannot see (an account-level
            // predecessor, for an owner no longer an admin) is the hidden entry's: left alone.
            if let predecessor = credential.livePredecessor,
                let other = index.credentialsByClientId.single(for: predecessor),
                !visibility.canSee(state.credentials[other])
            {
                continue
            }
            if prune {
                credentialChanges.append(credentialChange(.delete, credential, after: nil, from: nil))
            } else if let successorAt = successorOf[credential.clientId] {
                // A rotation the state decided is finished even when the manifests no
                // longer name the pair: an old secret must not stay valid for ever.
                let successor = state.credentials[successorAt]
                let ends = successor.overlapEndsAt ?? now
                if ends <= now {
                    credentialChanges.append(
                        credentialChange(
                            .delete, credential, after: nil, from: nil,
                            lifecycle: .retirement(successor: successor.clientId, overlapEnded: ends)))
                } else {
                    rotating.append(
                        RotationNotice(
                            successor: Self.target(successor), predecessor: credential.clientId, overlapEndsAt: ends))
                }
            } else {
                unmanagedCredentials.append(Self.target(credential))
            }
        }
    }

    /// A successor's id (`credential:OWNER/NAME`) is unique by the manifests only when
    /// its entry's owner is its own: a migration's admin owner, or a pinned entry beside
    /// an unpinned one of the same name, can make two changes one id, and apply would
    /// mint one credential for both. Refused before anything is decided.
    private func checkSuccessorIds() throws(PlanError) {
        guard credentialChanges.contains(where: { $0.action == .create && $0.lifecycle?.predecessor != nil }) else {
            return
        }
        var first: [ChangeID: DraftChange] = [:]
        for change in credentialChanges where change.action == .create {
            guard let earlier = first[change.id] else {
                first[change.id] = change
                continue
            }
            let (rotation, other) = change.lifecycle?.predecessor != nil ? (change, earlier) : (earlier, change)
            throw .successorCollides(id: change.id, at: rotation.location, other: other.location)
        }
    }

    /// An entry pinned by `clientId` to a credential the actor sees: its match, whose
    /// level and owner must be the entry's.
    private mutating func matchPinned(
        _ entry: DesiredCredential, _ offset: Int, clientId: String, inView: Bool, _ claimed: inout [Bool],
        statePath: String
    ) throws(PlanError) {
        // A pin follows rotation: to the credential that replaced the pinned one.
        guard let position = index.credentialsByClientId.single(for: clientId) ?? replacedBy[clientId],
            visibility.canSee(state.credentials[position])
        else {
            try pinMatchesNothing(entry, clientId: clientId, inView: inView, statePath: statePath)
            return
        }
        let current = state.credentials[position]
        // An account-level entry whose credential was migrated to a user-level successor.
        let migrated = current.clientId != clientId && entry.spec.level == .account && current.level == .user
        if migrated {
            try diffMatched(position, entry, offset, &claimed)
            return
        }
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
        try diffMatched(position, entry, offset, &claimed)
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
                id: .credential(clientId: clientId), action: .create,
                subject: .credential(target, before: nil, after: entry.spec), location: entry.location,
                described: entry.description != nil))
    }

    /// An entry without a pin, matched by name, owner and level among the credentials not
    /// yet claimed: none is a create, one its match, several an ambiguous change.
    private mutating func matchByName(_ entry: DesiredCredential, _ offset: Int, _ claimed: inout [Bool])
        throws(PlanError)
    {
        // The common case, one credential by this name, without building a list.
        if let only = index.credentialsByKey.single(for: entry.spec.key) {
            if claimed[only] {
                if entry.ensure == .present { try appendCreate(entry, offset) }
                return
            }
            try diffMatched(only, entry, offset, &claimed)
            return
        }
        // A pair in rotation shares a name: it is one candidate, its successor.
        let candidates = index.credentialsByKey.positions(for: entry.spec.key).filter {
            !claimed[$0] && successorOf[state.credentials[$0].clientId] == nil
        }
        switch candidates.count {
        case 0:
            if entry.ensure == .present { try appendCreate(entry, offset) }
        case 1:
            try diffMatched(candidates[0], entry, offset, &claimed)
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
                id: .unminted(entry.spec), action: present ? .update : .delete,
                subject: .credential(Self.target(entry.spec), before: nil, after: present ? entry.spec : nil),
                // In view, like the entry: the same level and owner.
                ambiguousMatches: candidates.map { state.credentials[$0].clientId }.sorted(),
                location: entry.location, described: entry.description != nil))
    }

    private mutating func appendCreate(_ entry: DesiredCredential, _ offset: Int) throws(PlanError) {
        if requested[offset] != nil {
            throw .cannotRotate(
                CredentialAddress(entry.spec).description,
                reason: "it does not exist yet; the plan creates it", at: entry.location)
        }
        if let expires = entry.expires {
            // An entry already expired is not created: it would be deleted by the next plan.
            if expires <= now {
                expiring.append(ExpiryNotice(target: Self.target(entry.spec), expires: expires))
                return
            }
            noteExpiry(entry, Self.target(entry.spec))
        }
        credentialChanges.append(
            DraftChange(
                id: .unminted(entry.spec), action: .create,
                subject: .credential(Self.target(entry.spec), before: nil, after: entry.spec),
                location: entry.location, described: entry.description != nil))
    }

    /// An entry matched to the credential at `position`, or to the pair in rotation it
    /// belongs to: expiry first, then the edit, then the overlap or a new rotation.
    private mutating func diffMatched(
        _ position: Int, _ entry: DesiredCredential, _ offset: Int, _ claimed: inout [Bool]
    ) throws(PlanError) {
        var at = position
        var predecessorAt: Int?
        if let successor = successorOf[state.credentials[position].clientId] {
            (at, predecessorAt) = (successor, position)
        } else if let predecessor = state.credentials[position].livePredecessor {
            predecessorAt = index.credentialsByClientId.single(for: predecessor)
        }
        if claimed[at] || predecessorAt.map({ claimed[$0] }) == true {
            throw .rotationNamedTwice(
                clientId: entry.clientId ?? state.credentials[position].clientId,
                successor: state.credentials[at].clientId,
                at: entry.location)
        }
        claimed[at] = true
        if let predecessorAt { claimed[predecessorAt] = true }
        let current = state.credentials[at]
        let predecessor = predecessorAt.map { state.credentials[$0] }
        if entry.ensure == .present, let expires = entry.expires, expires <= now {
            for credential in [current] + (predecessor.map { [$0] } ?? []) {
                credentialChanges.append(
                    credentialChange(.delete, credential, after: nil, from: entry, lifecycle: .expiry(expires: expires))
                )
            }
            return
        }
        if let predecessor {
            // Asked for while rotating: only ending the overlap now makes sense.
            if let overlap = requested[offset], overlap.seconds != 0 {
                throw .cannotRotate(
                    CredentialAddress(current).description,
                    reason:
                        "it is already rotating (its predecessor \(predecessor.clientId) is deleted from "
                        + "\(current.overlapEndsAt!)); --overlap 0d ends that overlap now",
                    at: entry.location)
            }
            diff(current, entry)
            guard entry.ensure == .present else {
                diff(predecessor, entry)
                return
            }
            let ends = requested[offset] != nil ? now : current.overlapEndsAt ?? now
            if ends <= now {
                credentialChanges.append(
                    credentialChange(
                        .delete, predecessor, after: nil, from: entry,
                        lifecycle: .retirement(successor: current.clientId, overlapEnded: ends)))
            } else {
                diff(predecessor, entry)
                var successor = Self.target(current)
                successor.name = entry.spec.name
                rotating.append(
                    RotationNotice(successor: successor, predecessor: predecessor.clientId, overlapEndsAt: ends))
            }
            noteExpiry(entry, Self.target(current))
            return
        }
        guard entry.ensure == .present else {
            diff(current, entry)
            return
        }
        noteExpiry(entry, Self.target(current))
        guard let (overlap, trigger) = rotation(of: current, entry, offset) else {
            diff(current, entry)
            return
        }
        // An overlap is kept whole or not begun: a state records no time after
        // 9999-12-31T23:59:59Z, and a shortened overlap would delete the old secret early.
        guard now.seconds + overlap.seconds <= Timestamp.representable.upperBound else {
            throw .cannotRotate(
                CredentialAddress(current).description,
                reason:
                    "its \(overlap) overlap from \(now) would end after 9999-12-31T23:59:59Z, the last time a state "
                    + "records",
                at: entry.location)
        }
        var spec = entry.spec
        spec.level = current.level
        spec.owner = current.owner
        let migration = current.level == .account
        if migration {
            spec.level = .user
            spec.owner = migrationOwner
        }
        let successorId = ChangeID.unminted(spec)
        credentialChanges.append(
            DraftChange(
                id: successorId, action: .create, subject: .credential(Self.target(spec), before: nil, after: spec),
                location: entry.location,
                lifecycle: .rotation(
                    predecessor: current.clientId, overlap: overlap, trigger: trigger, migration: migration),
                described: entry.description != nil))
        if overlap.seconds == 0 {
            // Deleted at once, after its successor exists: an edit to it would be lost.
            var retirement = credentialChange(
                .delete, current, after: nil, from: entry, lifecycle: .retirement(successor: nil, overlapEnded: now))
            retirement.prerequisite = successorId
            credentialChanges.append(retirement)
        } else {
            diff(current, entry)
        }
    }

    /// The overlap and trigger of a rotation this plan starts for `current`, or nil:
    /// asked for, or due because its secret is older than the entry's (or settings')
    /// `every`.
    private func rotation(of current: Credential, _ entry: DesiredCredential, _ offset: Int)
        -> (TimeSpan, RotationTrigger)?
    {
        if let overlap = requested[offset] { return (overlap, .requested) }
        guard let policy = entry.rotate ?? settings.rotate,
            now.seconds - current.createdAt.seconds >= policy.every.seconds
        else { return nil }
        return (policy.overlap, .due(ageDays: now.days(since: current.createdAt), every: policy.every))
    }

    /// Records a warning when the entry expires within `settings.expiryWarning`.
    private mutating func noteExpiry(_ entry: DesiredCredential, _ target: CredentialTarget) {
        guard let expires = entry.expires, expires > now else { return }
        let warning = settings.expiryWarning ?? Settings.defaultExpiryWarning
        if expires.seconds - now.seconds <= warning.seconds {
            var target = target
            target.name = entry.spec.name
            expiring.append(ExpiryNotice(target: target, expires: expires))
        }
    }

    /// The entries `rotate` names, each once, with the overlap asked for. A name is
    /// `OWNER/NAME` (`account/NAME`) or a client ID of the state or a pin.
    private mutating func resolveRequests(_ desired: [DesiredCredential], inView: [Bool]) throws(PlanError) {
        guard !context.rotations.isEmpty else { return }
        for request in context.rotations {
            let name = request.credential
            var found: Int?
            for (offset, entry) in desired.enumerated() where inView[offset] {
                if CredentialAddress(entry.spec).description == name || entry.clientId == name.lowercased() {
                    found = offset
                    break
                }
            }
            if found == nil, let position = index.credentialsByClientId.single(for: name.lowercased()),
                visibility.canSee(state.credentials[position])
            {
                let key = state.credentials[position].key
                found = desired.indices.first {
                    inView[$0] && desired[$0].clientId == nil && desired[$0].spec.key == key
                }
            }
            guard let offset = found else {
                let names = desired.indices.filter { inView[$0] }.map {
                    CredentialAddress(desired[$0].spec).description
                }
                throw .rotationTargetNotFound(
                    request.credential, suggestion: Suggestion.hint(for: request.credential, in: names))
            }
            guard desired[offset].ensure == .present else {
                throw .cannotRotate(
                    request.credential, reason: "its entry is 'ensure: absent'", at: desired[offset].location)
            }
            guard let overlap = request.overlap ?? (desired[offset].rotate ?? settings.rotate)?.overlap else {
                throw .cannotRotate(
                    request.credential,
                    reason:
                        "neither its entry nor settings declares rotate.overlap; pass --overlap (0d deletes the old "
                        + "one in the same plan)",
                    at: desired[offset].location)
            }
            requested[offset] = overlap
        }
    }

    /// A matched pair: delete when absent, update when name or scopes differ.
    private mutating func diff(_ current: Credential, _ entry: DesiredCredential) {
        switch entry.ensure {
        case .absent:
            credentialChanges.append(credentialChange(.delete, current, after: nil, from: entry))
        case .present where current.name != entry.spec.name || current.scopes != entry.spec.scopes:
            // Level and owner are the credential's: an entry pinned to a migrated
            // account-level credential now means its user-level successor.
            var spec = entry.spec
            spec.level = current.level
            spec.owner = current.owner
            credentialChanges.append(credentialChange(.update, current, after: spec, from: entry))
        case .present:
            break
        }
    }

    private func credentialChange(
        _ action: Action, _ current: Credential, after: CredentialSpec?, from entry: DesiredCredential?,
        lifecycle: Lifecycle? = nil
    ) -> DraftChange {
        var target = Self.target(current)
        if let after { target.name = after.name }
        return DraftChange(
            id: .credential(clientId: current.clientId), action: action,
            subject: .credential(target, before: current, after: after), location: entry?.location,
            lifecycle: lifecycle, described: entry?.description != nil)
    }

    static func target(_ credential: Credential) -> CredentialTarget {
        CredentialTarget(
            clientId: credential.clientId, name: credential.name, owner: credential.owner, level: credential.level)
    }

    /// The target of a credential still to be made: no `clientId` yet.
    static func target(_ spec: CredentialSpec) -> CredentialTarget {
        CredentialTarget(clientId: nil, name: spec.name, owner: spec.owner, level: spec.level)
    }

    /// Only the changes with these ids: a targeted plan's part.
    mutating func restrict(to ids: Set<ChangeID>) {
        userChanges.removeAll { !ids.contains($0.id) }
        credentialChanges.removeAll { !ids.contains($0.id) }
    }

    /// Squares the draft with the portal steps still open: a change a step already makes
    /// is left out (it is awaiting the portal, not planned twice); any other change to a
    /// step's target, or to a credential of a user with an open step, is marked so the
    /// policy refuses it. Returns the steps the actors can see, in order.
    mutating func settle(_ pending: [PendingStep]) -> [PendingStep] {
        guard !pending.isEmpty else { return [] }
        let byId = Dictionary(pending.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var userSteps: [String: ChangeID] = [:]
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
