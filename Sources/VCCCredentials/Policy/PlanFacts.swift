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
    /// The id of an open portal step on the change's target, or on the user who owns it:
    /// the step must be recorded or abandoned first.
    public var openPortalStep: ChangeID?
    /// The manifests' limit on deletions.
    public var maxDeletes: Int = Settings.defaultMaxDeletes
    /// True when the plan as a whole leaves the account without an admin user.
    public var leavesNoAdmin: Bool = false
    /// For a change to a user: that user is one of the run's actors (`--as`), whichever
    /// of them is asked.
    public var targetIsActor: Bool = false
    /// Ids of changes this one needs that were refused.
    public var refusedPrerequisites: [ChangeID] = []
    /// Guardrails (`policy:`) the change breaks, each with where it is declared.
    public var guardrails = GuardrailFacts()

    public init() {}
}
