/// The account as it is: the one JSON file vcc-creds keeps in git as the record of an
/// account's users and credentials (never their secrets).
public struct State: Sendable, Hashable {
    /// The state format this version reads and writes.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// Fixed at `init`; tells one account's history from another's.
    public var lineage: String
    /// Incremented by every write; a saved plan is bound to it.
    public var serial: Int

    /// Largest serial: the largest integer every JSON reader holds exactly (2^53 - 1).
    /// A state at it is read, planned and exported, but never applied to: its next
    /// serial would not fit.
    public static let maxSerial = 9_007_199_254_740_991
    public var account: Account
    public var users: [User]
    public var credentials: [Credential]

    public init(
        formatVersion: Int = State.currentFormatVersion, lineage: String, serial: Int, account: Account,
        users: [User], credentials: [Credential]
    ) {
        self.formatVersion = formatVersion
        self.lineage = lineage
        self.serial = serial
        self.account = account
        self.users = users
        self.credentials = credentials
    }

    /// Users by id and credentials by client ID, in the order files keep them.
    public func sorted() -> State {
        var copy = self
        copy.users.sort { $0.id < $1.id }
        copy.credentials.sort { $0.clientId < $1.clientId }
        return copy
    }
}
