/// Orders a draft's changes for apply, links each to the changes it needs, computes the
/// plan-wide facts the rules ask about, and records ``Policy``'s decision for each.
///
/// Apply order: user creates and upgrades; credential creates and updates; credential
/// deletes; user downgrades and deletes. Each change's prerequisites come before it.
///
/// Facts are made from what the actor can see: a user's remaining or stranded
/// credentials are the visible ones, so no decision, reason or `appliableBy` differs
/// with what exists out of the actor's sight.
struct Decider {
    let draft: Draft
    let actor: User
    let account: Account
    let settings: Settings

    private enum Group: Int, Comparable {
        case userRaise, credentialWrite, credentialDelete, userLower

        static func < (lhs: Group, rhs: Group) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    func decide() -> [Change] {
        let ordered = order(draft.userChanges + draft.credentialChanges)
        var position: [String: Int] = [:]
        position.reserveCapacity(ordered.count)
        for (offset, change) in ordered.enumerated() { position[change.id] = offset }

        let userChangeById = Dictionary(
            ordered.filter { $0.subject.kind == .user }.map { (Self.userId($0.subject), $0) },
            uniquingKeysWith: { first, _ in first })
        // Only users the plan deletes or relicenses need their credential changes gathered.
        var credentialChangesByOwner: [String: [DraftChange]] = [:]
        for change in draft.userChanges {
            guard case .user(let id, let before, let after) = change.subject else { continue }
            if after == nil || (before != nil && before?.license != after?.license) { credentialChangesByOwner[id] = [] }
        }
        if !credentialChangesByOwner.isEmpty {
            for change in ordered where change.subject.kind == .credential {
                if let owner = change.subject.owner, credentialChangesByOwner[owner] != nil {
                    credentialChangesByOwner[owner]!.append(change)
                }
            }
        }
        let leavesNoAdmin = adminsAfter(ordered) == 0

        var requests: [PolicyRequest] = []
        var dependencies: [[String]] = []
        requests.reserveCapacity(ordered.count)
        dependencies.reserveCapacity(ordered.count)
        for change in ordered {
            var facts = PlanFacts()
            facts.ambiguousMatches = change.ambiguousMatches
            facts.maxDeletes = settings.maxDeletes
            facts.leavesNoAdmin = leavesNoAdmin
            var needs: [String] = []
            var ownerLicense: License?
            switch change.subject {
            case .credential(let target, _, _):
                if let owner = target.owner {
                    ownerLicense = draft.index.usersById[owner]?.license
                    if change.action != .delete, let userChange = userChangeById[owner],
                        case .user(_, let before, let after?) = userChange.subject,
                        before == nil || before?.license != after.license,
                        Self.group(userChange) == .userRaise
                    {
                        ownerLicense = after.license
                        needs.append(userChange.id)
                    }
                }
            case .user(let id, let before, let after):
                let ownChanges = credentialChangesByOwner[id] ?? []
                if change.action == .delete {
                    needs = ownChanges.filter { $0.action == .delete }.map(\.id)
                    facts.remainingCredentials = remainingCredentials(of: id, changes: ownChanges)
                } else if let before, let after, before.license != after.license {
                    needs = ownChanges.filter { Self.fixes($0, for: after.license) }.map(\.id)
                    facts.strandedCredentials = stranded(of: id, under: after.license, changes: ownChanges)
                }
            }
            requests.append(
                PolicyRequest(
                    action: change.action, subject: change.subject, account: account, ownerLicense: ownerLicense,
                    facts: facts))
            dependencies.append(needs.count < 2 ? needs : needs.sorted { position[$0]! < position[$1]! })
        }

        // The delete guard counts only deletions every other rule permits: decide once
        // without it, and again only when those are more than the manifests allow.
        var decided = decide(ordered, requests: requests, dependencies: dependencies, position: position)
        let permittedDeletions = decided.reduce(0) { $0 + ($1.action == .delete && $1.decision.isPermitted ? 1 : 0) }
        guard permittedDeletions > settings.maxDeletes else { return decided }
        for (offset, change) in decided.enumerated() where change.action == .delete && change.decision.isPermitted {
            requests[offset].facts.permittedDeletions = permittedDeletions
        }
        decided = decide(ordered, requests: requests, dependencies: dependencies, position: position)
        return decided
    }

    /// Each change's decision, in order, with who could apply the refused ones.
    private func decide(
        _ ordered: [DraftChange], requests: [PolicyRequest], dependencies: [[String]], position: [String: Int]
    ) -> [Change] {
        var decided: [Change] = []
        decided.reserveCapacity(ordered.count)
        var appliable = AppliableCache(draft: draft, requests: requests, dependencies: dependencies, position: position)
        for (offset, change) in ordered.enumerated() {
            var request = requests[offset]
            if !dependencies[offset].isEmpty {
                request.facts.refusedPrerequisites = dependencies[offset].filter {
                    !decided[position[$0]!].decision.isPermitted
                }
            }
            let owns = change.subject.ownerOrUser == actor.id
            let decision: Decision
            if let refusal = Policy.decide(request, as: PolicyActor(license: actor.license, ownsTarget: owns)) {
                decision = .refused(
                    rule: refusal.rule, reason: refusal.reason, appliableBy: appliable.users(for: offset))
            } else {
                decision = .permitted
            }
            decided.append(
                Change(
                    id: change.id, action: change.action, subject: change.subject, decision: decision,
                    dependsOn: dependencies[offset]))
        }
        return decided
    }

    // MARK: - Ordering

    /// Sorts positions, not the changes themselves: moving a change copies its records.
    private func order(_ changes: [DraftChange]) -> [DraftChange] {
        let keys = changes.map { (Self.group($0), Array(Self.sortKey($0).utf8)) }
        let positions = changes.indices.sorted { left, right in
            keys[left].0 != keys[right].0
                ? keys[left].0 < keys[right].0 : keys[left].1.lexicographicallyPrecedes(keys[right].1)
        }
        return positions.map { changes[$0] }
    }

    private static func group(_ change: DraftChange) -> Group {
        switch change.subject {
        case .user(_, let before, let after):
            guard let after else { return .userLower }
            guard let before else { return .userRaise }
            return after.license.rank >= before.license.rank ? .userRaise : .userLower
        case .credential:
            return change.action == .delete ? .credentialDelete : .credentialWrite
        }
    }

    private static func sortKey(_ change: DraftChange) -> String {
        switch change.subject {
        case .user(let id, _, _): return id
        case .credential(let target, _, _):
            return "\(target.level.rawValue)\u{0}\(target.owner ?? "")\u{0}\(target.name)\u{0}\(target.clientId ?? "")"
        }
    }

    private static func userId(_ subject: ChangeSubject) -> String {
        if case .user(let id, _, _) = subject { return id }
        return ""
    }

    // MARK: - Facts

    /// Admin users once every user change of the plan is made.
    private func adminsAfter(_ changes: [DraftChange]) -> Int {
        var count = draft.index.admins.count
        for change in changes {
            guard case .user(_, let before, let after) = change.subject else { continue }
            if before?.license == .admin { count -= 1 }
            if after?.license == .admin { count += 1 }
        }
        return count
    }

    /// The user-level credentials of `user` the actor can see.
    private func visibleCredentials(of user: String) -> [Credential] {
        draft.index.credentialsByOwner.positions(for: user).map { draft.state.credentials[$0] }
            .filter(draft.visibility.canSee)
    }

    /// Names of the visible user-level credentials a user would still hold if every
    /// change of the plan were made.
    private func remainingCredentials(of user: String, changes: [DraftChange]) -> [String] {
        let deleted = Set(changes.filter { $0.action == .delete }.compactMap(Self.clientId))
        var names = visibleCredentials(of: user)
            .filter { !deleted.contains($0.clientId) }
            .map(\.name)
        names += changes.filter { $0.action == .create }.compactMap(Self.name)
        return names.sorted()
    }

    /// Names of the visible credentials the user would hold after the plan that
    /// `license` may not.
    private func stranded(of user: String, under license: License, changes: [DraftChange]) -> [String] {
        var finalScopes: [String: (name: String, scopes: ScopeSet)] = [:]
        for credential in visibleCredentials(of: user) {
            finalScopes[credential.clientId] = (credential.name, credential.scopes)
        }
        for change in changes {
            guard case .credential(let target, let before, let after) = change.subject else { continue }
            let key = before?.clientId ?? change.id
            if let after { finalScopes[key] = (after.name, after.scopes) } else if target.clientId != nil {
                finalScopes[key] = nil
            }
        }
        let allowed = LicenseCapabilities.grantableScopes(license)
        let mayHold = LicenseCapabilities.hasAPIAccess(license)
        return finalScopes.values.filter { !mayHold || !$0.scopes.isSubset(of: allowed) }.map(\.name).sorted()
    }

    /// Whether a credential change of the user removes something `license` may not hold.
    private static func fixes(_ change: DraftChange, for license: License) -> Bool {
        guard case .credential(_, let before?, let after) = change.subject else { return false }
        let allowed = LicenseCapabilities.grantableScopes(license)
        let violated = !LicenseCapabilities.hasAPIAccess(license) || !before.scopes.isSubset(of: allowed)
        guard violated else { return false }
        return after == nil || change.action == .update
    }

    private static func clientId(_ change: DraftChange) -> String? {
        if case .credential(let target, _, _) = change.subject { return target.clientId }
        return nil
    }

    private static func name(_ change: DraftChange) -> String? {
        if case .credential(let target, _, _) = change.subject { return target.name }
        return nil
    }
}

/// Who could apply each change once its prerequisites are in place: the users
/// ``Policy`` permits, or nobody when a prerequisite itself can be applied by nobody.
/// Computed only for the changes that ask (refused ones and their prerequisites).
private struct AppliableCache {
    let draft: Draft
    let requests: [PolicyRequest]
    let dependencies: [[String]]
    let position: [String: Int]
    /// Users as the plan's creates and upgrades leave them: who can act once those are applied.
    let plannedUsers: [String: User]
    private var cache: [Int: [String]] = [:]
    /// How many of the plan's deletions a candidate would be permitted, guard aside, by
    /// candidate id ("" for any admin).
    private var deletionsByCandidate: [String: Int] = [:]

    init(draft: Draft, requests: [PolicyRequest], dependencies: [[String]], position: [String: Int]) {
        self.draft = draft
        self.requests = requests
        self.dependencies = dependencies
        self.position = position
        var planned: [String: User] = [:]
        for change in draft.userChanges {
            if case .user(let id, let before, let after?) = change.subject,
                before.map({ after.license.rank >= $0.license.rank }) ?? true
            {
                planned[id] = after
            }
        }
        plannedUsers = planned
    }

    mutating func users(for offset: Int) -> [String] {
        if let known = cache[offset] { return known }
        var result: [String] = []
        if dependencies[offset].allSatisfy({ !users(for: position[$0]!).isEmpty }) {
            let request = requests[offset]
            // A credential's owner as the plan leaves it; a user as the state has it (a
            // user the plan creates cannot apply its own creation).
            let owner: User?
            if case .user(let id, _, _) = request.subject {
                owner = draft.index.usersById[id]
            } else {
                owner = request.subject.owner.flatMap { plannedUsers[$0] ?? draft.index.usersById[$0] }
            }
            let deletions = request.action == .delete
                ? (owner: owner.map { permittedDeletions(for: $0) } ?? 0, admin: permittedDeletions(for: nil)) : nil
            result = Policy.appliableBy(request, owner: owner, admins: draft.index.admins, permittedDeletions: deletions)
        }
        cache[offset] = result
        return result
    }

    /// The plan's deletions `candidate` (nil: any admin) would be permitted by every
    /// rule but the delete guard: what the guard would count if it applied the plan.
    private mutating func permittedDeletions(for candidate: User?) -> Int {
        let key = candidate?.id ?? ""
        if let known = deletionsByCandidate[key] { return known }
        var count = 0
        for request in requests where request.action == .delete {
            var unguarded = request
            unguarded.facts.permittedDeletions = 0
            unguarded.facts.refusedPrerequisites = []
            let actor = PolicyActor(
                license: candidate?.license ?? .admin,
                ownsTarget: candidate.map { request.subject.ownerOrUser == $0.id } ?? false)
            if Policy.decide(unguarded, as: actor) == nil { count += 1 }
        }
        deletionsByCandidate[key] = count
        return count
    }
}
