/// A user as VCC's User Admin API answers it: only what vcc-creds uses of it.
public struct RemoteUser: Sendable, Hashable {
    /// VCC's own id (a GUID), stable across renames.
    public var userId: String
    /// The login; the manifests' and the state's user id, matched case-insensitively.
    public var username: String
    public var name: String
    public var email: String?
    public var active: Bool
    public var role: Role

    /// `userAccountConfiguration.role`.
    public enum Role: Sendable, Hashable {
        case license(License)
        /// `NvmAdmin`: Vonage's own users, never shown or managed.
        case vonage
    }

    public init(userId: String, username: String, name: String, email: String?, active: Bool, role: Role) {
        self.userId = userId
        self.username = username
        self.name = name
        self.email = email
        self.active = active
        self.role = role
    }

    /// VCC's spelling of a licence as a role.
    public static func roleName(_ license: License) -> String {
        switch license {
        case .admin: "Admin"
        case .supervisor: "Supervisor"
        case .agent: "Agent"
        case .wallboard: "Wallboard"
        }
    }

    /// Reads a role name; nil for one vcc-creds does not know.
    static func role(named name: String) -> Role? {
        if name.lowercased() == "nvmadmin" { return .vonage }
        return License.allCases.first { roleName($0).lowercased() == name.lowercased() }.map(Role.license)
    }
}
