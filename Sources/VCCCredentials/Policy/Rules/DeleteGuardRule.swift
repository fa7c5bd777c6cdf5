/// `delete-guard`: when a plan would delete more than `settings.maxDeletes`, every
/// deletion is refused; a mass deletion is more often a mistake than a wish. Only
/// deletions that would otherwise happen are counted.
public struct DeleteGuardRule: PolicyRule {
    public let id = RuleID.deleteGuard
    public let refuses = """
        every deletion, when the plan would delete more than `settings.maxDeletes`; only deletions every other rule \
        permits are counted
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action == .delete, request.facts.permittedDeletions > request.facts.maxDeletes else { return nil }
        return
            "the plan would delete \(request.facts.permittedDeletions), more than settings.maxDeletes "
            + "(\(request.facts.maxDeletes)); raise it or delete in smaller steps"
    }
}

extension DeleteGuardRule {
    /// The fact this rule decides on (``PlanFacts/permittedDeletions``), from a plan
    /// decided without the guard: the deletions that would happen.
    static func permittedDeletions(in decided: [Change]) -> Int {
        Plan.Summary(counting: decided).delete
    }
}
