/// `license-has-no-api-access`: "users with an admin or supervisor license can use the
/// API Credentials area". Agents and wallboards neither manage nor hold credentials.
/// Deleting a credential an agent still holds is allowed: it is the fix.
public struct LicenseHasNoAPIAccessRule: PolicyRule {
    public let id = RuleID.licenseHasNoAPIAccess
    public let refuses = """
        a credential change by an agent or wallboard user, or creating or editing a credential owned by one (deleting \
        it is allowed: that is the fix)
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard request.isCredentialChange else { return nil }
        if request.action != .delete, let owner = request.subject.owner, let license = request.ownerLicense,
            !LicenseCapabilities.hasAPIAccess(license)
        {
            return "owner \(owner) has \(license.withArticle) licence, which cannot hold API credentials"
        }
        guard !LicenseCapabilities.hasAPIAccess(actor.license) else { return nil }
        return "\(actor.license.withArticle) licence has no access to API credentials"
    }
}
