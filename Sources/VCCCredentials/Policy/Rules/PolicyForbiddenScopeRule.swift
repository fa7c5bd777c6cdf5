/// `policy-forbidden-scope`: a guardrail of the manifests (`policy.forbidScopes`): no
/// create or update may grant a forbidden scope, except to the users it lists. It only
/// refuses; nobody can apply such a change until the manifests change.
public struct PolicyForbiddenScopeRule: PolicyRule {
    public let id = RuleID.policyForbiddenScope
    public let refuses = "a create or scope update granting a scope `policy.forbidScopes` forbids for its owner"

    /// The fact it refuses on: the forbidden scopes a credential of `owner` would be
    /// granted (`granted`: the scopes it gains), and where the guardrail is.
    static func facts(
        granting granted: ScopeSet, owner: String?, _ guardrails: Guardrails, into facts: inout GuardrailFacts
    ) {
        let forbidden = guardrails.forbidScopes.filter { rule in
            granted.contains(rule.scope) && !(owner.map(rule.except.contains) ?? false)
        }
        guard let first = forbidden.first else { return }
        facts.forbiddenScopes = forbidden.map(\.scope.rawValue)
        facts.forbidScopesAt = first.location.description
    }

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let facts = request.facts.guardrails
        guard !facts.forbiddenScopes.isEmpty, let location = facts.forbidScopesAt else { return nil }
        return
            "policy.forbidScopes (\(location)) forbids granting \(facts.forbiddenScopes.joined(separator: ", ")) to "
            + "this credential"
    }
}
