/// `policy-max-credentials`: a guardrail of the manifests (`policy.maxCredentialsPerUser`):
/// a create that leaves its owner with more user-level credentials than the limit is
/// refused (a rotation's successor is not counted: it replaces its predecessor).
public struct PolicyMaxCredentialsRule: PolicyRule {
    public let id = RuleID.policyMaxCredentials
    public let refuses = """
        a create that would leave its owner with more user-level credentials than `policy.maxCredentialsPerUser`
        """

    /// The fact it refuses on, for each create of `ordered` (the plan's changes, as
    /// their `requests` are in the same order): how many user-level credentials its owner
    /// would hold after the plan, when more than `limit`. Creates another guardrail
    /// refuses will not happen: they do not count.
    static func facts(
        _ ordered: [DraftChange], limit: Guardrails.Limit, state: State, visible: (String) -> [Credential],
        into requests: inout [PolicyRequest]
    ) {
        let clean = ordered.indices.map { requests[$0].facts.guardrails == GuardrailFacts() }
        let counts = countsAfter(ordered, counting: clean, state: state, visible: visible)
        for (offset, change) in ordered.enumerated() where change.action == .create && change.lifecycle == nil {
            guard let owner = change.subject.owner, let count = counts[owner], count > limit.value else { continue }
            requests[offset].facts.guardrails.credentialCount = count
            requests[offset].facts.guardrails.credentialLimit = limit.value
            requests[offset].facts.guardrails.credentialLimitAt = limit.location.description
        }
    }

    /// For `policy.maxCredentialsPerUser`: how many user-level credentials each owner with
    /// a create would hold after the plan, of those the actors see. A pair in rotation
    /// counts once (its predecessor is on its way out), and a successor's create and its
    /// predecessor's deletion cancel out.
    private static func countsAfter(
        _ ordered: [DraftChange], counting clean: [Bool], state: State, visible: (String) -> [Credential]
    ) -> [String: Int] {
        var counts: [String: Int] = [:]
        let live = Set(state.credentials.compactMap(\.livePredecessor))
        for change in ordered where change.action == .create && change.lifecycle == nil {
            if let owner = change.subject.owner, counts[owner] == nil {
                counts[owner] = visible(owner).filter { !live.contains($0.clientId) }.count
            }
        }
        guard !counts.isEmpty else { return counts }
        for (offset, change) in ordered.enumerated() {
            guard let owner = change.subject.owner, counts[owner] != nil else { continue }
            switch change.action {
            case .create where change.lifecycle == nil: if clean[offset] { counts[owner]! += 1 }
            case .delete:
                if case .retirement? = change.lifecycle { continue }
                if let clientId = change.subject.credentialTarget?.clientId, live.contains(clientId) { continue }
                counts[owner]! -= 1
            default: break
            }
        }
        return counts
    }

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let facts = request.facts.guardrails
        guard let count = facts.credentialCount, let location = facts.credentialLimitAt else { return nil }
        return
            "policy.maxCredentialsPerUser (\(location)) is \(facts.credentialLimit); the plan would leave "
            + "\(request.subject.owner ?? "the owner") with \(count)"
    }
}
