/// `last-admin`: a plan may not leave the account without any admin user.
public struct LastAdminRule: PolicyRule {
    public let id = RuleID.lastAdmin

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.facts.leavesNoAdmin, request.removesAdmin else { return nil }
        return "the plan would leave the account without an admin user"
    }
}
