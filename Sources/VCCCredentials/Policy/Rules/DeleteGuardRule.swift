/// `delete-guard`: when a plan deletes more than `settings.maxDeletes`, every deletion
/// is refused; a mass deletion is more often a mistake than a wish.
public struct DeleteGuardRule: PolicyRule {
    public let id = RuleID.deleteGuard

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action == .delete, request.facts.deletionsInPlan > request.facts.maxDeletes else { return nil }
        return "the plan deletes \(request.facts.deletionsInPlan), more than settings.maxDeletes (\(request.facts.maxDeletes)); raise it or delete in smaller steps"
    }
}
