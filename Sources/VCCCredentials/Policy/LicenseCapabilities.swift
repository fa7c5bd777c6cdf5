/// What each licence may do with API credentials, from the product documentation:
/// "Available scopes depend on your user license, admin or supervisor. Admin users have
/// all scopes available; supervisors have only Read or download interaction content
/// and Read VCC user details, settings, and presences."
public enum LicenseCapabilities {
    /// Only admin and supervisor users may hold or manage API credentials.
    public static func hasAPIAccess(_ license: License) -> Bool {
        license == .admin || license == .supervisor
    }

    /// Admins manage users, account-level credentials and everyone's deletions.
    public static func isAdmin(_ license: License) -> Bool {
        license == .admin
    }

    /// The scopes a user of this licence may grant, and hold.
    public static func grantableScopes(_ license: License) -> ScopeSet {
        switch license {
        case .admin: return .all
        case .supervisor: return [.usersRead, .interactionContentRead]
        case .agent, .wallboard: return []
        }
    }
}
