/// What each licence may do with API credentials, from the product documentation:
/// "Available scopes depend on your user license, admin or supervisor. Admin users have
/// all scopes available; supervisors have only Read or download interaction content
/// and Read VCC user details, settings, and presences." Which licence may grant which
/// scope is each scope's ``ScopeDeclaration/licenses`` (``ScopeCatalogue``).
public enum LicenseCapabilities {
    /// Only admin and supervisor users may hold or manage API credentials.
    public static func hasAPIAccess(_ license: License) -> Bool {
        license == .admin || license == .supervisor
    }

    /// Admins manage users, account-level credentials and everyone's deletions.
    public static func isAdmin(_ license: License) -> Bool {
        license == .admin
    }

    /// VCC's own scopes a user of this licence may grant, and hold.
    public static func grantableScopes(_ license: License) -> ScopeSet {
        switch license {
        case .admin: return grantableByAdmins
        case .supervisor: return grantableBySupervisors
        case .agent, .wallboard: return []
        }
    }

    private static let grantableByAdmins = ScopeSet(Scope.builtIn.filter { $0.declaration!.licenses.contains(.admin) })
    private static let grantableBySupervisors = ScopeSet(
        Scope.builtIn.filter { $0.declaration!.licenses.contains(.supervisor) })

    /// Whether a user of this licence may grant (and hold) `scope`.
    public static func mayGrant(_ scope: Scope, _ license: License) -> Bool {
        hasAPIAccess(license) && (scope.declaration?.licenses.contains(license) ?? false)
    }

    /// The scopes of `scopes` a user of this licence may not grant (or hold).
    public static func ungrantable(_ scopes: ScopeSet, by license: License) -> ScopeSet {
        let refused = scopes.subtracting(grantableScopes(license))
        guard refused.contains(where: { !$0.isBuiltIn }) else { return refused }
        return refused.filter { !mayGrant($0, license) }
    }
}
