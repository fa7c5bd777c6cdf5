/// The account as it is: the one JSON file vcc-creds keeps in git as the record of an
/// account's users and credentials (never their secrets).
public struct State: Sendable, Hashable {
    /// The newest state format this version writes. 2: `account.executor`, `pending`
    /// steps, and credentials without `secretSha256` (secret not held). A state is
    /// written in the oldest format that holds it, and never older than it was read: a
    /// local account's state stays readable by the vcc-creds that wrote it.
    /// 3: credentials' `sealedTo` (who their own sealed file is for).
    /// 4: credentials' `predecessors` and `overlapEndsAt` (rotation).
    public static let currentFormatVersion = StateFeature.allCases.map(\.formatVersion).max()!
    /// The formats this version reads: an older state is read, and written back as the
    /// current format by the next change.
    public static let readableFormatVersions = 1...currentFormatVersion

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
    /// Portal steps handed to a person and not yet recorded, in the order planned.
    public var pending: [PendingStep]

    /// `formatVersion` nil: the oldest format that holds this content.
    public init(
        formatVersion: Int? = nil, lineage: String, serial: Int, account: Account,
        users: [User], credentials: [Credential], pending: [PendingStep] = []
    ) {
        self.formatVersion = 1
        self.lineage = lineage
        self.serial = serial
        self.account = account
        self.users = users
        self.credentials = credentials
        self.pending = pending
        self.formatVersion = formatVersion ?? requiredFormatVersion
    }

    /// The oldest format that holds this state (``StateFeature``).
    public var requiredFormatVersion: Int {
        StateFeature.allCases.reduce(1) { version, feature in
            feature.formatVersion > version && feature.isUsed(in: self) ? feature.formatVersion : version
        }
    }

    /// The format a write uses: the one it was read in, or newer if its content needs it.
    public var writtenFormatVersion: Int { max(formatVersion, requiredFormatVersion) }

    /// Users by id and credentials by client ID, in the order files keep them.
    public func sorted() -> State {
        var copy = self
        copy.users.sort { $0.id < $1.id }
        copy.credentials.sort { $0.clientId < $1.clientId }
        return copy
    }
}
