import StrictJSON

/// VCC's users taken into a state in memory: what `plan --refresh` plans against and
/// what `apply --refresh` commits with its changes (audit event `refreshed`). Pure, like
/// ``UserReconciler``: the same state and the same answer from VCC give the same users,
/// the same changes and the same digest, which is what a saved plan is bound to.
public struct StateRefresh: Sendable {
    public var report: RefreshReport
    /// The state's users as VCC has them.
    public var users: [User]
    /// One change per user record VCC's answer creates, updates or removes.
    public var changes: [Change]
    /// SHA-256 of the refreshed users: a saved plan applies only while VCC still says so.
    public var digest: String

    public init(state: State, remote: [RemoteUser]) {
        let outcome = UserReconciler.reconcile(state: state, remote: remote)
        report = RefreshReport(state: state, outcome: outcome)
        users = outcome.users
        changes = Refresher.changes(from: state.users, to: outcome.users)
        var text = JSONStreamWriter(style: .compact, capacity: 96 * outcome.users.count + 2)
        text.beginArray()
        for user in outcome.users {
            text.element()
            text.beginObject()
            if let email = user.email { text.field("email", email) }
            text.field("id", user.id)
            text.field("license", user.license.rawValue)
            text.field("name", user.name)
            if let vccUserId = user.vccUserId { text.field("vccUserId", vccUserId) }
            text.endObject()
        }
        text.endArray()
        digest = Digest.sha256Hex(text.finish())
    }

    /// `loaded` with the refreshed users: still bound to the file's bytes, serial and
    /// lineage, since nothing is written until apply commits.
    public func applied(to loaded: StateStore.Loaded) -> StateStore.Loaded {
        var refreshed = loaded
        refreshed.state.users = users
        return refreshed
    }

    /// The plan's record of the refresh: what was read, what differed, what it is bound
    /// to. A user kept for the credentials they own is said to be so only with the
    /// credentials `visibility` shows: a supervisor's plan counts none of an admin's.
    public func summary(visibility: Visibility, state: State) -> PlanDocument.Refreshed {
        var visible: [String: Int] = [:]
        if report.drift.contains(where: { $0.ownedCredentials > 0 }) {
            for credential in state.credentials where visibility.canSee(credential) {
                if let owner = credential.owner { visible[owner, default: 0] += 1 }
            }
        }
        return PlanDocument.Refreshed(
            observed: report.observed, usersSHA256: digest,
            drift: report.drift.map { item in
                var shown = item
                shown.ownedCredentials = min(item.ownedCredentials, visible[item.user, default: 0])
                let (sign, detail) = RefreshReport.describe(shown)
                return .init(user: item.user, kind: item.kind.name, sign: sign, detail: detail)
            })
    }
}
