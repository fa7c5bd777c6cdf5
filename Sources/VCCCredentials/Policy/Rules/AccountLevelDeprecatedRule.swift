/// `account-level-deprecated`: "Admin users can view, edit, and delete those
/// credentials, but cannot create new account-level credentials."
public struct AccountLevelDeprecatedRule: PolicyRule {
    public let id = RuleID.accountLevelDeprecated
    public let refuses = "creating an account-level credential"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action == .create, request.credentialLevel == .account else { return nil }
        return "account-level credentials are deprecated and cannot be created; create a user-level credential instead"
    }
}
