/// Decides changes: a pure function of the change, the plan's facts and the actor.
/// The rules are tried in a fixed order and the first refusal is reported:
///
/// 1. `admin-only`, first: a change only an admin may make says so before anything
///    else, because the rules after it look at the user's credentials, which a
///    non-admin may not see (a supervisor deleting a user learns nothing of what that
///    user holds);
/// 2. an open portal step on the target, then problems of the manifests themselves
///    (nobody could apply them as they stand), the manifests' own guardrails
///    (`policy-*`) among them;
/// 3. what depends on who is acting;
/// 4. `depends-on-refused-change`.
public enum Policy {
    /// Every rule, in the order they are tried.
    public static let rules: [any PolicyRule] = [
        AdminOnlyRule(),
        PendingPortalStepRule(),
        AmbiguousMatchRule(),
        PolicyForbiddenScopeRule(),
        PolicyNamePatternRule(),
        PolicyDescriptionRequiredRule(),
        PolicyMaxCredentialsRule(),
        FeatureDisabledRule(),
        AccountLevelDeprecatedRule(),
        UserHasCredentialsRule(),
        LicenseChangeStrandsScopesRule(),
        LastAdminRule(),
        DeleteGuardRule(),
        LicenseHasNoAPIAccessRule(),
        ActorSelfChangeRule(),
        NotOwnerRule(),
        ScopeNotAllowedForLicenseRule(),
        DependsOnRefusedChangeRule(),
    ]

    /// A refusal: the rule and its reason for display.
    public struct Refusal: Sendable, Hashable {
        public var rule: RuleID
        public var reason: String
    }

    /// The first rule that refuses the request for this actor, or nil if permitted.
    public static func decide(_ request: PolicyRequest, as actor: PolicyActor) -> Refusal? {
        for rule in rules {
            if let reason = rule.refusal(of: request, by: actor) { return Refusal(rule: rule.id, reason: reason) }
        }
        return nil
    }

    /// Who could apply this change themselves, prerequisites aside: the owner (for a
    /// user-level credential, or the user a user change is about) and/or the admins.
    /// Since rules see only an actor's licence and ownership, asking "the owner" and
    /// "any other admin" covers everyone.
    ///
    /// For a deletion, `permittedDeletions` is how many of the plan's deletions each
    /// would be permitted: the delete guard counts those, so advice never names someone
    /// the guard would then refuse. Without it, the request's own count stands.
    public static func appliableBy(
        _ request: PolicyRequest, owner: User?, admins: [String], permittedDeletions: (owner: Int, admin: Int)? = nil
    ) -> [String] {
        appliability(request, owner: owner, admins: admins, permittedDeletions: permittedDeletions).users
    }

    /// Who could apply a change, and when nobody can, why not.
    public struct Appliability: Sendable, Hashable {
        /// ``Policy/appliableBy(_:owner:admins:permittedDeletions:)``, sorted.
        public var users: [String]
        /// Empty unless `users` is: then the owner and each other admin, in that order,
        /// with the first rule that refuses them (the same question, the same facts).
        public var refused: [RefusedCandidate]
    }

    /// ``appliableBy(_:owner:admins:permittedDeletions:)`` with, when it is nobody, the
    /// refusal each candidate met: asked once, so the advice and its explanation agree.
    public static func appliability(
        _ request: PolicyRequest, owner: User?, admins: [String], permittedDeletions: (owner: Int, admin: Int)? = nil
    ) -> Appliability {
        var independent = request
        independent.facts.refusedPrerequisites = []
        // Advice is for a run of its own: one that need not act as the target.
        independent.facts.targetIsActor = false
        var users: [String] = []
        var ownerRefusal: Refusal?
        if let owner {
            if let permittedDeletions { independent.facts.permittedDeletions = permittedDeletions.owner }
            ownerRefusal = decide(independent, as: PolicyActor(license: owner.license, ownsTarget: true))
            if ownerRefusal == nil { users.append(owner.id) }
        }
        if let permittedDeletions { independent.facts.permittedDeletions = permittedDeletions.admin }
        let adminRefusal = decide(independent, as: PolicyActor(license: .admin, ownsTarget: false))
        let others = admins.filter { $0 != owner?.id }
        if adminRefusal == nil { users += others }
        guard users.isEmpty else { return Appliability(users: users.sorted(), refused: []) }
        var refused: [RefusedCandidate] = []
        if let owner, let ownerRefusal {
            refused.append(RefusedCandidate(user: owner.id, rule: ownerRefusal.rule, reason: ownerRefusal.reason))
        }
        if let adminRefusal {
            refused += others.sorted().map {
                RefusedCandidate(user: $0, rule: adminRefusal.rule, reason: adminRefusal.reason)
            }
        }
        return Appliability(users: [], refused: refused)
    }
}
