import StrictJSON

/// What the manifests ask for: the first typed stage of the pipeline, before anything
/// is compared with the state.
public struct Desired: Sendable {
    public var account: String
    public var accountLocation: SourceLocation
    public var settings: Settings
    public var users: [DesiredUser]
    public var credentials: [DesiredCredential]
    /// The manifest files read, in order.
    public var files: [String]

    public init(
        account: String, accountLocation: SourceLocation, settings: Settings = Settings(),
        users: [DesiredUser], credentials: [DesiredCredential], files: [String] = []
    ) {
        self.account = account
        self.accountLocation = accountLocation
        self.settings = settings
        self.users = users
        self.credentials = credentials
        self.files = files
    }

    /// SHA-256 of the manifests' meaning, not their text: file names, order, comments
    /// and formatting do not change it; any value does. Saved plans bind to it.
    public var digest: String {
        let users = users.sorted { $0.id < $1.id }.map { user -> JSON in
            var fields: [String: JSON] = ["id": .string(user.id), "ensure": .string(user.user == nil ? "absent" : "present")]
            if let declared = user.user {
                fields["name"] = .string(declared.name)
                fields["license"] = .string(declared.license.rawValue)
            }
            return .object(fields)
        }
        let credentials = credentials.sorted { left, right in
            left.spec.key != right.spec.key
                ? left.spec.key < right.spec.key : (left.clientId ?? "") < (right.clientId ?? "")
        }.map { credential -> JSON in
            var fields: [String: JSON] = [
                "name": .string(credential.spec.name),
                "level": .string(credential.spec.level.rawValue),
                "scopes": .array(credential.spec.scopes.identifiers.map(JSON.string)),
                "ensure": .string(credential.ensure.rawValue),
            ]
            if let owner = credential.spec.owner { fields["owner"] = .string(owner) }
            if let clientId = credential.clientId { fields["clientId"] = .string(clientId) }
            return .object(fields)
        }
        let canonical = JSON.object([
            "account": .string(account),
            "settings": .object([
                "prune": .bool(settings.prune),
                "maxDeletes": .int(settings.maxDeletes),
                "recipients": .array(settings.recipients.sorted().map(JSON.string)),
            ]),
            "users": .array(users),
            "credentials": .array(credentials),
        ])
        return Digest.sha256Hex(JSONWriter.compact(canonical))
    }
}

/// A user entry of the manifests.
public struct DesiredUser: Sendable, Hashable {
    public var id: String
    /// The user as declared; nil when the entry says `ensure: absent`.
    public var user: User?
    public var location: SourceLocation

    public init(id: String, user: User?, location: SourceLocation) {
        self.id = id
        self.user = user
        self.location = location
    }
}

/// A credential entry of the manifests.
public struct DesiredCredential: Sendable, Hashable {
    /// Lowercase client ID that pins this entry to an existing credential.
    public var clientId: String?
    public var spec: CredentialSpec
    public var ensure: Ensure
    public var location: SourceLocation

    public init(clientId: String?, spec: CredentialSpec, ensure: Ensure, location: SourceLocation) {
        self.clientId = clientId
        self.spec = spec
        self.ensure = ensure
        self.location = location
    }
}
