/// `scope-not-allowed-for-license`: "Admin users have all scopes available; supervisors
/// have only Read or download interaction content and Read VCC user details, settings,
/// and presences." Only scopes being granted are checked. A scope the manifests declare
/// may be granted by the licences its declaration names.
public struct ScopeNotAllowedForLicenseRule: PolicyRule {
    public let id = RuleID.scopeNotAllowedForLicense
    public let refuses = """
        granting a scope the acting user's licence does not hold (only newly granted scopes are checked)
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.action != .delete else { return nil }
        let refused = LicenseCapabilities.ungrantable(request.grantedScopes, by: actor.license)
        guard !refused.isEmpty else { return nil }
        let names = refused.identifiers.joined(separator: ", ")
        return "\(actor.license.withArticle) licence cannot grant \(names)"
    }
}
