/// `not-owner`: "No one can modify someone else's user-level credentials", admins
/// included; users create only their own; a supervisor deletes only their own
/// ("admin users can delete any API credentials").
public struct NotOwnerRule: PolicyRule {
    public let id = RuleID.notOwner
    public let refuses = """
        creating or editing a user-level credential by anyone but its owner (admins included); a supervisor deleting \
        another's
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard case .credential(let target, _, _) = request.subject, target.level == .user, !actor.ownsTarget,
            let owner = target.owner
        else { return nil }
        switch request.action {
        case .create, .update:
            return "only the owner, \(owner), may \(request.verb) this user-level credential"
        case .delete:
            guard !LicenseCapabilities.isAdmin(actor.license) else { return nil }
            return "\(actor.license.withArticle) may delete only their own credentials; this one belongs to \(owner)"
        }
    }
}
