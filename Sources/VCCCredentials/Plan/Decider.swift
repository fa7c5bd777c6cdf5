/// Decides a draft in four steps: order its changes for apply (``ApplyOrder``), link
/// each to the changes it needs, gather the plan-wide facts the rules ask about (each
/// computed by its rule, in `Policy/Rules/`), and record ``Policy``'s decision for each.
///
/// Facts are made from what the actors can see: a user's remaining or stranded
/// credentials are the visible ones, so no decision, reason or `appliableBy` differs
/// with what exists out of their sight.
///
/// With several actors, each change is decided for each, its owner first: it is
/// permitted by the first that may make it, or refused with the first one's refusal
/// (the owner's, who is the one to fix it, when the owner acts).
struct Decider {
    var draft: Draft
    let actors: [User]
    let account: Account
    let settings: Settings
    var guardrails = Guardrails()

    func decide() -> [Change] {
        let ordered = ApplyOrder.sorted(draft.userChanges + draft.credentialChanges)
        var position: [ChangeID: Int] = [:]
        position.reserveCapacity(ordered.count)
        for (offset, change) in ordered.enumerated() { position[change.id] = offset }
        let context = Context(ordered, draft: draft)
        let dependencies = ordered.map { needs in
            let ids = link(needs, context)
            return ids.count < 2 ? ids : ids.sorted { position[$0]! < position[$1]! }
        }
        let leavesNoAdmin = LastAdminRule.leavesNoAdmin(admins: draft.index.admins.count, changes: ordered)
        let nameMatches = guardrails.nameMatcher()
        var requests = ordered.map { change in
            var request = request(for: change, context, leavesNoAdmin: leavesNoAdmin)
            if !guardrails.isEmpty { request.facts.guardrails = guardrailFacts(change, nameMatches: nameMatches) }
            return request
        }
        if let limit = guardrails.maxCredentialsPerUser {
            PolicyMaxCredentialsRule.facts(
                ordered, limit: limit, state: draft.state, visible: visibleCredentials(of:), into: &requests)
        }

        // The delete guard counts only deletions every other rule permits: decide once
        // without it, and again only when those are more than the manifests allow.
        let decided = decide(ordered, requests: requests, dependencies: dependencies, position: position)
        let permittedDeletions = DeleteGuardRule.permittedDeletions(in: decided)
        guard permittedDeletions > settings.maxDeletes else { return decided }
        for (offset, change) in decided.enumerated() where change.action == .delete && change.decision.isPermitted {
            requests[offset].facts.permittedDeletions = permittedDeletions
        }
        return decide(ordered, requests: requests, dependencies: dependencies, position: position)
    }

    /// What linking and facts look up about the plan as a whole.
    private struct Context {
        /// Each user's change, by user id.
        var userChangeById: [String: DraftChange]
        /// The credential changes of each user the plan deletes or relicenses (only
        /// those need them gathered).
        var credentialChangesByOwner: [String: [DraftChange]]

        init(_ ordered: [DraftChange], draft: Draft) {
            userChangeById = Dictionary(
                ordered.compactMap { change in change.subject.userId.map { ($0, change) } },
                uniquingKeysWith: { first, _ in first })
            var byOwner: [String: [DraftChange]] = [:]
            for change in draft.userChanges {
                guard let id = change.subject.userId else { continue }
                if change.action == .delete || change.subject.licenseChange != nil { byOwner[id] = [] }
            }
            if !byOwner.isEmpty {
                for change in ordered where change.subject.kind == .credential {
                    if let owner = change.subject.owner, byOwner[owner] != nil { byOwner[owner]!.append(change) }
                }
            }
            credentialChangesByOwner = byOwner
        }

        /// The earlier change that gives a credential's owner its licence, when the
        /// credential is written after it (a new user, or an upgrade).
        func raise(before change: DraftChange) -> (change: DraftChange, license: License)? {
            guard change.action != .delete, let owner = change.subject.owner, let userChange = userChangeById[owner],
                case .user(_, _, let after?) = userChange.subject,
                userChange.action == .create || userChange.subject.licenseChange != nil,
                ApplyOrder.group(of: userChange) == .userRaise
            else { return nil }
            return (userChange, after.license)
        }
    }

    /// The ids of the changes `change` needs made first: a credential its owner's
    /// licence; a deleted user its credentials' deletions; a relicensed user the
    /// changes that fix what the new licence may not hold.
    private func link(_ change: DraftChange, _ context: Context) -> [ChangeID] {
        switch change.subject {
        case .credential:
            let raise = context.raise(before: change).map { [$0.change.id] } ?? []
            return raise + (change.prerequisite.map { [$0] } ?? [])
        case .user(let id, _, _):
            let ownChanges = context.credentialChangesByOwner[id] ?? []
            if change.action == .delete { return ownChanges.filter { $0.action == .delete }.map(\.id) }
            guard let license = change.subject.licenseChange?.to else { return [] }
            return ownChanges.filter { LicenseChangeStrandsScopesRule.fixes($0, for: license) }.map(\.id)
        }
    }

    /// The change put to the policy, with the facts its rules ask about.
    private func request(for change: DraftChange, _ context: Context, leavesNoAdmin: Bool) -> PolicyRequest {
        var facts = PlanFacts()
        facts.ambiguousMatches = change.ambiguousMatches
        facts.openPortalStep = change.openStep
        facts.maxDeletes = settings.maxDeletes
        facts.leavesNoAdmin = leavesNoAdmin
        var ownerLicense: License?
        switch change.subject {
        case .credential(let target, _, _):
            ownerLicense =
                context.raise(before: change)?.license ?? target.owner.flatMap { draft.index.usersById[$0]?.license }
        case .user(let id, _, _):
            facts.targetIsActor = actors.contains { $0.id == id }
            let ownChanges = context.credentialChangesByOwner[id] ?? []
            if change.action == .delete {
                facts.remainingCredentials = UserHasCredentialsRule.remainingCredentials(
                    visible: visibleCredentials(of: id), changes: ownChanges)
            } else if let license = change.subject.licenseChange?.to {
                facts.strandedCredentials = LicenseChangeStrandsScopesRule.stranded(
                    visible: visibleCredentials(of: id), changes: ownChanges, under: license)
            }
        }
        return PolicyRequest(
            action: change.action, subject: change.subject, account: account, ownerLicense: ownerLicense, facts: facts)
    }

    /// What the guardrails say of a change (all nil or empty when it breaks none).
    private func guardrailFacts(_ change: DraftChange, nameMatches: (String) -> Bool) -> GuardrailFacts {
        var facts = GuardrailFacts()
        guard case .credential(let target, let before, let after?) = change.subject, change.action != .delete else {
            return facts
        }
        PolicyForbiddenScopeRule.facts(
            granting: after.scopes.subtracting(before?.scopes ?? []), owner: target.owner, guardrails, into: &facts)
        PolicyNamePatternRule.facts(
            name: after.name, renamed: before.map { $0.name != after.name } ?? true, guardrails, matches: nameMatches,
            into: &facts)
        PolicyDescriptionRequiredRule.facts(described: change.described, guardrails, into: &facts)
        return facts
    }

    /// The user-level credentials of `user` the actor can see.
    private func visibleCredentials(of user: String) -> [Credential] {
        draft.index.credentialsByOwner.positions(for: user).map { draft.state.credentials[$0] }
            .filter(draft.visibility.canSee)
    }

    /// Each change's decision, in order, with who could apply the refused ones.
    private func decide(
        _ ordered: [DraftChange], requests: [PolicyRequest], dependencies: [[ChangeID]], position: [ChangeID: Int]
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
            let decision: Decision
            let outcome = decideForActors(request, owner: change.subject.ownerOrUser)
            if let actor = outcome.by {
                decision = .permitted(by: actor)
            } else {
                let refusal = outcome.refusal!
                let users = appliable.users(for: offset)
                decision = .refused(
                    rule: refusal.rule, reason: refusal.reason, appliableBy: users,
                    alsoRefused: users.isEmpty ? appliable.alsoRefused(for: offset, besides: refusal) : [])
            }
            decided.append(
                Change(
                    id: change.id, action: change.action, subject: change.subject, decision: decision,
                    dependsOn: dependencies[offset], location: change.location, lifecycle: change.lifecycle))
        }
        return decided
    }

    /// The actor that makes the change, or else the refusal to show: the owner is
    /// asked first, then the others in the order given.
    private func decideForActors(_ request: PolicyRequest, owner: String?) -> (by: String?, refusal: Policy.Refusal?) {
        var first: Policy.Refusal?
        func permits(_ actor: User) -> Bool {
            let refusal = Policy.decide(request, as: PolicyActor(license: actor.license, ownsTarget: actor.id == owner))
            first = first ?? refusal
            return refusal == nil
        }
        if let owning = actors.first(where: { $0.id == owner }), permits(owning) { return (owning.id, nil) }
        for actor in actors where actor.id != owner && permits(actor) { return (actor.id, nil) }
        return (nil, first)
    }
}
