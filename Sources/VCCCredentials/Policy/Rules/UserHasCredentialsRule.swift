/// `user-has-credentials`: "If a user has user-level API credentials, you cannot delete
/// that user ... you must delete their API credentials first."
public struct UserHasCredentialsRule: PolicyRule {
    public let id = RuleID.userHasCredentials
    public let refuses = "deleting a user who would still hold user-level credentials"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action == .delete, request.subject.kind == .user else { return nil }
        let remaining = request.facts.remainingCredentials
        guard !remaining.isEmpty else { return nil }
        return
            "the user still holds \(remaining.count) user-level credential\(remaining.count == 1 ? "" : "s") "
            + "(\(remaining.joined(separator: ", "))); delete them in the manifests first"
    }
}

extension UserHasCredentialsRule {
    /// The fact this rule decides on (``PlanFacts/remainingCredentials``): names of the
    /// user-level credentials a user would still hold once the plan is made. `visible`
    /// are the user's credentials the actor can see, `changes` the plan's changes to them.
    static func remainingCredentials(visible: [Credential], changes: [some PlannedChange]) -> [String] {
        let deleted = Set(changes.filter { $0.action == .delete }.compactMap(\.subject.credentialTarget?.clientId))
        var names = visible.filter { !deleted.contains($0.clientId) }.map(\.name)
        names += changes.filter { $0.action == .create }.compactMap(\.subject.credentialTarget?.name)
        return names.sorted()
    }
}
