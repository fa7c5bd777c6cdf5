/// `license-change-strands-scopes`: a licence change may not leave a user holding
/// credentials or scopes the new licence does not allow, unless the same plan fixes
/// those credentials first.
public struct LicenseChangeStrandsScopesRule: PolicyRule {
    public let id = RuleID.licenseChangeStrandsScopes

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard let change = request.licenseChange else { return nil }
        let stranded = request.facts.strandedCredentials
        guard !stranded.isEmpty else { return nil }
        return "\(change.to.withArticle) licence may not hold \(stranded.joined(separator: ", ")) as the plan leaves \(stranded.count == 1 ? "it" : "them"); delete or narrow \(stranded.count == 1 ? "it" : "them") in the manifests"
    }
}
