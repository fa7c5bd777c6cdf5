/// One way the state's users differ from VCC's: what `refresh` reports and takes in.
public struct UserDrift: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// VCC has an active user the state lacks: adopted with its licence.
        case created
        /// The state has a user VCC does not know.
        case missing
        /// The state has a user VCC has archived.
        case archived
        case licenseChanged(from: License, to: License)
        case renamed(from: String, to: String)
        case emailChanged(from: String?, to: String?)

        /// The JSON and Markdown name of the kind.
        public var name: String {
            switch self {
            case .created: "created"
            case .missing: "missing"
            case .archived: "archived"
            case .licenseChanged: "licenseChanged"
            case .renamed: "renamed"
            case .emailChanged: "emailChanged"
            }
        }
    }

    /// The state's user id, or VCC's username for a user the state lacks.
    public var user: String
    public var kind: Kind
    /// VCC's user, when VCC has one.
    public var remote: RemoteUser?
    /// Credentials the user owns in the state: a user VCC lacks or archived who still
    /// owns credentials is kept (their credentials need an owner) until they are gone.
    public var ownedCredentials: Int = 0

    public init(user: String, kind: Kind, remote: RemoteUser?, ownedCredentials: Int = 0) {
        self.user = user
        self.kind = kind
        self.remote = remote
        self.ownedCredentials = ownedCredentials
    }

    /// Whether `refresh` takes it into the state (false only for a kept user).
    public var isTakenIn: Bool {
        switch kind {
        case .missing, .archived: ownedCredentials == 0
        default: true
        }
    }
}
