/// A permitted change a portal apply handed to a person, open until `record` closes it
/// (done, or abandoned). The state keeps it, so every later plan knows the change is
/// under way and never plans it twice.
public struct PendingStep: Sendable, Hashable, Identifiable {
    /// The change's id in the plan that made it (`credential:OWNER/NAME`,
    /// `credential:CLIENT-ID`, `user:ID`): what `record` names.
    public var id: ChangeID
    public var action: Action
    /// What the step does; `before` is always nil here (the state holds it).
    public var subject: ChangeSubject
    /// The VCC user who must do it in the portal: the actor the plan decided it for.
    public var by: String
    public var plannedAt: Timestamp
    /// SHA-256 of the saved-plan form of the plan that made the step.
    public var planDigest: String
    /// Steps to record before this one (a user's licence before their credential).
    public var dependsOn: [ChangeID]
    /// For a rotation's successor: the credential it replaces and how long both stay
    /// valid once it is recorded.
    public var rotates: (predecessor: String, overlap: TimeSpan)? {
        get { rotation.map { ($0.predecessor, $0.overlap) } }
        set { rotation = newValue.map { Rotation(predecessor: $0.predecessor, overlap: $0.overlap) } }
    }
    private var rotation: Rotation?

    private struct Rotation: Sendable, Hashable {
        var predecessor: String
        var overlap: TimeSpan
    }

    public init(
        id: ChangeID, action: Action, subject: ChangeSubject, by: String, plannedAt: Timestamp, planDigest: String,
        dependsOn: [ChangeID] = [], rotates: (predecessor: String, overlap: TimeSpan)? = nil
    ) {
        self.id = id
        self.action = action
        self.subject = subject
        self.by = by
        self.plannedAt = plannedAt
        self.planDigest = planDigest
        self.dependsOn = dependsOn
        self.rotates = rotates
    }

    /// The step for a planned change, as the state records it.
    init(_ change: Change, plannedAt: Timestamp, planDigest: String, open: Set<ChangeID>) {
        let subject: ChangeSubject
        switch change.subject {
        case .user(let id, _, let after): subject = .user(id: id, before: nil, after: after)
        case .credential(let target, _, let after): subject = .credential(target, before: nil, after: after)
        }
        self.init(
            id: change.id, action: change.action, subject: subject, by: change.decision.actor ?? "",
            plannedAt: plannedAt, planDigest: planDigest, dependsOn: change.dependsOn.filter(open.contains))
        if case .rotation(let predecessor, let overlap, _, _)? = change.lifecycle, change.action == .create {
            rotates = (predecessor, overlap)
        }
    }

    /// The change the step makes to `state` when recorded: its subject with `before` from
    /// the state.
    func change(in state: State) -> Change {
        var subject = subject
        switch subject {
        case .user(let id, _, let after):
            subject = .user(id: id, before: state.users.first { $0.id == id }, after: after)
        case .credential(let target, _, let after):
            let before = target.clientId.flatMap { clientId in state.credentials.first { $0.clientId == clientId } }
            subject = .credential(target, before: before, after: after)
        }
        // Only what apply needs of the rotation: the trigger was the plan's to show.
        let lifecycle = rotates.map {
            Lifecycle.rotation(predecessor: $0.predecessor, overlap: $0.overlap, trigger: .requested, migration: false)
        }
        return Change(
            id: id, action: action, subject: subject, decision: .permitted(by: by), dependsOn: dependsOn,
            lifecycle: lifecycle)
    }
}
