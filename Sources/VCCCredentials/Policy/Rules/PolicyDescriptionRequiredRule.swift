/// `policy-description-required`: a guardrail of the manifests
/// (`policy.requireDescription`): a credential created or edited needs a `description:`.
public struct PolicyDescriptionRequiredRule: PolicyRule {
    public let id = RuleID.policyDescriptionRequired
    public let refuses = """
        a create or edit of a credential whose entry has no `description:`, under `policy.requireDescription: true`
        """

    /// The fact it refuses on: where the guardrail is, when the change's entry has no
    /// description.
    static func facts(described: Bool, _ guardrails: Guardrails, into facts: inout GuardrailFacts) {
        if let required = guardrails.requireDescription, !described {
            facts.descriptionRequiredAt = required.location.description
        }
    }

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard let location = request.facts.guardrails.descriptionRequiredAt else { return nil }
        return "policy.requireDescription (\(location)): add a description to the credential's entry"
    }
}
