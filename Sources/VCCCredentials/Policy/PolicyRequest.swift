/// One change put to the policy, with the facts about the rest of the plan that the
/// plan-wide rules need. The planner computes facts; only rules decide on them.
public struct PolicyRequest: Sendable {
    public var action: Action
    public var subject: ChangeSubject
    public var account: Account
    /// For credential changes: the owner's licence when the change applies (after any
    /// licence upgrade earlier in the plan); nil for account-level credentials.
    public var ownerLicense: License?
    public var facts: PlanFacts

    public init(
        action: Action, subject: ChangeSubject, account: Account, ownerLicense: License? = nil,
        facts: PlanFacts = PlanFacts()
    ) {
        self.action = action
        self.subject = subject
        self.account = account
        self.ownerLicense = ownerLicense
        self.facts = facts
    }
}
