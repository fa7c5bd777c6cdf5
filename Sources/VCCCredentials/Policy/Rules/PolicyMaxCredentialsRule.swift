/// `policy-max-credentials`: a guardrail of the manifests (`policy.maxCredentialsPerUser`):
/// a create that leaves its owner with more user-level credentials than the limit is
/// refused (a rotation's successor is not counted: it replaces its predecessor).
public struct PolicyMaxCredentialsRule: PolicyRule {
    public let id = RuleID.policyMaxCredentials
    public let refuses = """
        a create that would leave its owner with more user-level credentials than `policy.maxCredentialsPerUser`
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let facts = request.facts.guardrails
        guard let count = facts.credentialCount, let location = facts.credentialLimitAt else { return nil }
        return
            "policy.maxCredentialsPerUser (\(location)) is \(facts.credentialLimit); the plan would leave "
            + "\(request.subject.owner ?? "the owner") with \(count)"
    }
}
