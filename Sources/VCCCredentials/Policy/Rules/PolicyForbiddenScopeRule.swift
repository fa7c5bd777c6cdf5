/// `policy-forbidden-scope`: a guardrail of the manifests (`policy.forbidScopes`): no
/// create or update may grant a forbidden scope, except to the users it lists. It only
/// refuses; nobody can apply such a change until the manifests change.
public struct PolicyForbiddenScopeRule: PolicyRule {
    public let id = RuleID.policyForbiddenScope
    public let refuses = "a create or scope update granting a scope `policy.forbidScopes` forbids for its owner"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let facts = request.facts.guardrails
        guard !facts.forbiddenScopes.isEmpty, let location = facts.forbidScopesAt else { return nil }
        return
            "policy.forbidScopes (\(location)) forbids granting \(facts.forbiddenScopes.joined(separator: ", ")) to "
            + "this credential"
    }
}
