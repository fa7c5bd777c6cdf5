/// `policy-name-pattern`: a guardrail of the manifests (`policy.namePattern`): a
/// credential created or renamed must have a name the regular expression matches whole.
public struct PolicyNamePatternRule: PolicyRule {
    public let id = RuleID.policyNamePattern
    public let refuses = "a create or rename to a name `policy.namePattern` does not match whole"

    /// The fact it refuses on: the pattern, when a credential created or renamed to
    /// `name` breaks it (`matches`: the guardrail's compiled matcher).
    static func facts(
        name: String, renamed: Bool, _ guardrails: Guardrails, matches: (String) -> Bool,
        into facts: inout GuardrailFacts
    ) {
        guard renamed, let pattern = guardrails.namePattern, !matches(name) else { return }
        facts.namePattern = pattern.pattern
        facts.namePatternAt = pattern.location.description
    }

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let facts = request.facts.guardrails
        guard let pattern = facts.namePattern, let location = facts.namePatternAt,
            case .credential(let target, _, _) = request.subject
        else { return nil }
        return
            "policy.namePattern (\(location)) is \(Quoted.of(pattern)), which the name \(Quoted.of(target.name)) "
            + "does not match"
    }
}
