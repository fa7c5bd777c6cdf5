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

/// What the rest of the plan means for one change.
public struct PlanFacts: Sendable, Hashable {
    /// Client IDs of the state credentials a manifest entry matched, when more than one.
    public var ambiguousMatches: [String] = []
    /// For a user deletion: names of user-level credentials the user would still hold.
    public var remainingCredentials: [String] = []
    /// For a licence change: names of credentials the new licence may not hold after the plan.
    public var strandedCredentials: [String] = []
    /// For a deletion that every other rule permits: how many such deletions the plan
    /// has (0 for any other change). A deletion that will not happen is not counted.
    public var permittedDeletions: Int = 0
    /// The manifests' limit on deletions.
    public var maxDeletes: Int = Settings.defaultMaxDeletes
    /// True when the plan as a whole leaves the account without an admin user.
    public var leavesNoAdmin: Bool = false
    /// Ids of changes this one needs that were refused.
    public var refusedPrerequisites: [String] = []

    public init() {}
}
