/// `feature-disabled`: "If enabled for an account, users ... can use the API
/// Credentials area". No credential changes while the account has it off.
public struct FeatureDisabledRule: PolicyRule {
    public let id = RuleID.featureDisabled
    public let refuses = "any credential change while the account has API credentials off"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.isCredentialChange, !request.account.apiCredentialsEnabled else { return nil }
        return "API credentials are disabled for account \(request.account.id); enable the feature in VCC first"
    }
}
