/// `admin-only`: users are created, relicensed and deleted by admins; account-level
/// credentials are edited and deleted by admins ("Edit account-level credentials
/// (admin user only)").
public struct AdminOnlyRule: PolicyRule {
    public let id = RuleID.adminOnly
    public let refuses = "account-level edit or delete, and user create, licence change or delete, by a non-admin"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard !LicenseCapabilities.isAdmin(actor.license) else { return nil }
        switch request.subject {
        case .user:
            return "only an admin may \(request.verb) users"
        case .credential(let target, _, _) where target.level == .account && request.action != .create:
            return "only an admin may \(request.verb) account-level credentials"
        case .credential:
            return nil
        }
    }
}
