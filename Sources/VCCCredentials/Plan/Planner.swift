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
            hidden: Plan.Hidden(credentials: hiddenCredentials, entries: draft.entriesOutOfView),
            unmanaged: Plan.Unmanaged(
                users: draft.unmanagedUsers.sorted(), credentials: draft.unmanagedCredentials.sorted()))
    }
}
