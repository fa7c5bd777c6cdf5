/// The stable identifier of every rule that can refuse a change. These strings are
/// API: JSON plans, tests and users' CI scripts match on them.
public enum RuleID: String, CaseIterable, Sendable, Hashable {
    case featureDisabled = "feature-disabled"
    case licenseHasNoAPIAccess = "license-has-no-api-access"
    case accountLevelDeprecated = "account-level-deprecated"
    case notOwner = "not-owner"
    case adminOnly = "admin-only"
    case scopeNotAllowedForLicense = "scope-not-allowed-for-license"
    case userHasCredentials = "user-has-credentials"
    case licenseChangeStrandsScopes = "license-change-strands-scopes"
    case dependsOnRefusedChange = "depends-on-refused-change"
    case deleteGuard = "delete-guard"
    case lastAdmin = "last-admin"
    case ambiguousMatch = "ambiguous-match"
    case actorSelfChange = "actor-self-change"
    case pendingPortalStep = "pending-portal-step"
    case policyForbiddenScope = "policy-forbidden-scope"
    case policyMaxCredentials = "policy-max-credentials"
    case policyDescriptionRequired = "policy-description-required"
    case policyNamePattern = "policy-name-pattern"
}
