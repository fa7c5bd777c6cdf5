/// `last-admin`: a plan may not leave the account without any admin user.
public struct LastAdminRule: PolicyRule {
    public let id = RuleID.lastAdmin
    public let refuses = "a change leaving the account without an admin"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.facts.leavesNoAdmin, request.removesAdmin else { return nil }
        return "the plan would leave the account without an admin user"
    }
}

extension LastAdminRule {
    /// The fact this rule decides on (``PlanFacts/leavesNoAdmin``): whether no admin is
    /// left once every user change of the plan is made.
    static func leavesNoAdmin(admins: Int, changes: [some PlannedChange]) -> Bool {
        var count = admins
        for change in changes {
            guard case .user(_, let before, let after) = change.subject else { continue }
            if before?.license == .admin { count -= 1 }
            if after?.license == .admin { count += 1 }
        }
        return count == 0
    }
}
