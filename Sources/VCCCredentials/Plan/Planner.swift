/// Diffs the manifests against the part of the state the actors may see, orders the
/// changes for apply and has ``Policy`` decide each for each actor. Pure: it reads
/// values, writes nothing, and indexes everything once so large accounts plan in
/// linear time.
public enum Planner {
    /// `actors` are the users the run acts as, in order (a repeated one counts once);
    /// `context` the time the plan is made at (rotation and expiry are decided by it)
    /// and any rotation asked for.
    public static func plan(
        desired: Desired, state: State, actors: [String], statePath: String, context: PlanContext
    ) throws(PlanError) -> Plan {
        try plan(
            desired: desired, state: state, index: StateIndex(state), actors: actors, statePath: statePath,
            context: context)
    }

    /// With the state's index built beforehand (while the manifests are still being read).
    static func plan(
        desired: Desired, state: State, index: StateIndex, actors actorIds: [String], statePath: String,
        context: PlanContext
    ) throws(PlanError) -> Plan {
        guard desired.account == state.account.id else {
            throw .accountMismatch(
                manifests: desired.account, at: desired.accountLocation, state: state.account.id, statePath: statePath)
        }
        let actors = try users(actorIds, index: index, state: state, statePath: statePath)
        var draft = Draft(
            state: state, index: index, visibility: Visibility(actors: actors), settings: desired.settings,
            context: context, actors: actors)
        draft.diffUsers(desired.users)
        try draft.diffCredentials(desired.credentials, statePath: statePath)
        let awaiting = draft.settle(state.pending)
        let decider = Decider(
            draft: draft, actors: actors, account: state.account, settings: desired.settings,
            guardrails: desired.guardrails)
        var changes = decider.decide()
        var leftOut = 0
        if !context.targeting.isEmpty {
            // Decided again on the part alone, so plan-wide rules (the delete guard) count
            // what this plan makes; a kept change needing one left out is refused.
            let (kept, orphaned) = try context.targeting.select(changes)
            leftOut = changes.count - kept.count
            var part = decider
            part.draft.restrict(to: kept)
            changes = part.decide().map { change in
                guard let missing = orphaned[change.id] else { return change }
                var refused = change
                refused.decision = DependsOnRefusedChangeRule.excluded(missing)
                return refused
            }
        }
        let hiddenCredentials = state.credentials.reduce(0) { $0 + (draft.visibility.canSee($1) ? 0 : 1) }
        var plan = Plan(
            account: state.account.id, actors: actors, stateLineage: state.lineage, stateSerial: state.serial,
            changes: changes,
            hidden: Plan.Hidden(credentials: hiddenCredentials, entries: draft.entriesOutOfView),
            unmanaged: Plan.Unmanaged(
                users: draft.unmanagedUsers.sorted(), credentials: draft.unmanagedCredentials.sorted()),
            awaiting: awaiting, plannedAt: context.now, rotationRequests: context.rotations, rotating: draft.rotating,
            expiring: draft.expiring)
        plan.sensitiveScopes = desired.settings.sensitive
        plan.targeting = context.targeting
        plan.leftOut = leftOut
        return plan
    }

    /// The actors as the state has them, in order, each once.
    private static func users(_ ids: [String], index: StateIndex, state: State, statePath: String) throws(PlanError)
        -> [User]
    {
        guard !ids.isEmpty else { throw .noActor }
        var seen: Set<String> = []
        var users: [User] = []
        for id in ids where seen.insert(id).inserted {
            guard let user = index.usersById[id] else {
                throw .unknownActor(
                    id, statePath: statePath, suggestion: Suggestion.hint(for: id, in: state.users.map(\.id)))
            }
            users.append(user)
        }
        return users
    }
}
