/// What the manifests' guardrails (`policy:`) say of one change: the planner works it
/// out from ``Guardrails``, the `policy-*` rules refuse on it. Each fact carries the
/// guardrail's `file:line:column`, which the refusal cites.
public struct GuardrailFacts: Sendable, Hashable {
    /// Scopes the change grants that `policy.forbidScopes` forbids for its owner.
    public var forbiddenScopes: [String] = []
    public var forbidScopesAt: String?
    /// How many user-level credentials the owner would hold after the plan, when more
    /// than `policy.maxCredentialsPerUser` (`limit`).
    public var credentialCount: Int?
    public var credentialLimit: Int = 0
    public var credentialLimitAt: String?
    /// `policy.requireDescription`'s location, when the change's entry has none.
    public var descriptionRequiredAt: String?
    /// `policy.namePattern` and its location, when the change's (new) name breaks it.
    public var namePattern: String?
    public var namePatternAt: String?

    public init() {}
}
