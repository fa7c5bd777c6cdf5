/// `license-change-strands-scopes`: a licence change may not leave a user holding
/// credentials or scopes the new licence does not allow, unless the same plan fixes
/// those credentials first.
public struct LicenseChangeStrandsScopesRule: PolicyRule {
    public let id = RuleID.licenseChangeStrandsScopes
    public let refuses = "a licence change leaving the user with scopes or credentials the new licence may not hold"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard let change = request.licenseChange else { return nil }
        let stranded = request.facts.strandedCredentials
        guard !stranded.isEmpty else { return nil }
        return
            "\(change.to.withArticle) licence may not hold \(stranded.joined(separator: ", ")) as the plan leaves "
            + "\(stranded.count == 1 ? "it" : "them"); delete or narrow \(stranded.count == 1 ? "it" : "them") "
            + "in the manifests"
    }
}

extension LicenseChangeStrandsScopesRule {
    /// The fact this rule decides on (``PlanFacts/strandedCredentials``): names of the
    /// credentials a user would hold after the plan that `license` may not. `visible`
    /// are the user's credentials the actor can see, `changes` the plan's changes to them.
    static func stranded(visible: [Credential], changes: [some PlannedChange], under license: License) -> [String] {
        var finalScopes: [String: (name: String, scopes: ScopeSet)] = [:]
        for credential in visible {
            finalScopes[credential.clientId] = (credential.name, credential.scopes)
        }
        for change in changes {
            guard case .credential(let target, let before, let after) = change.subject else { continue }
            let key = before?.clientId ?? change.id.description
            if let after {
                finalScopes[key] = (after.name, after.scopes)
            } else if target.clientId != nil {
                finalScopes[key] = nil
            }
        }
        let mayHold = LicenseCapabilities.hasAPIAccess(license)
        return finalScopes.values.filter {
            !mayHold || !LicenseCapabilities.ungrantable($0.scopes, by: license).isEmpty
        }.map(\.name).sorted()
    }

    /// Whether a credential change of the user removes something `license` may not
    /// hold: such a change must come before the licence change.
    static func fixes(_ change: some PlannedChange, for license: License) -> Bool {
        guard case .credential(_, let before?, let after) = change.subject else { return false }
        let violated =
            !LicenseCapabilities.hasAPIAccess(license)
            || !LicenseCapabilities.ungrantable(before.scopes, by: license).isEmpty
        guard violated else { return false }
        return after == nil || change.action == .update
    }
}
