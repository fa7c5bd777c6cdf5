/// `user-has-credentials`: "If a user has user-level API credentials, you cannot delete
/// that user ... you must delete their API credentials first."
public struct UserHasCredentialsRule: PolicyRule {
    public let id = RuleID.userHasCredentials

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action == .delete, request.subject.kind == .user else { return nil }
        let remaining = request.facts.remainingCredentials
        guard !remaining.isEmpty else { return nil }
        return "the user still holds \(remaining.count) user-level credential\(remaining.count == 1 ? "" : "s") (\(remaining.joined(separator: ", "))); delete them in the manifests first"
    }
}
