/// What each state format added, and the version that holds it: the one table both
/// sides use. The reader refuses a feature in a file of an older version; the writer
/// writes the oldest version that holds everything the state uses, so an older vcc-creds
/// keeps reading a state that needs nothing newer.
public enum StateFeature: CaseIterable, Sendable {
    /// Version 2: open portal steps.
    case pending
    /// Version 2: `account.executor` (`portal` accounts).
    case executor
    /// Version 2: a credential whose secret nobody knows (imported), no `secretSha256`.
    case credentialWithoutDigest
    /// Version 3: the recipients a credential's own sealed file is for.
    case sealedTo
    /// Version 4: a rotation's successor names the credentials it replaces.
    case predecessors
    /// Version 4: when a rotation's overlap ends.
    case overlapEndsAt
    /// Version 4: a pending create that rotates a predecessor.
    case rotates
    /// Version 5: users' `email`.
    case userEmail
    /// Version 5: users' `vccUserId`, learnt by `refresh`.
    case vccUserId
    /// Version 6: `account.userExecutor` (user changes made through VCC's API, say).
    case userExecutor
    /// Version 7: `scopes`, the declarations of scopes VCC added since a release.
    case declaredScopes

    /// The first state format that holds it.
    public var formatVersion: Int {
        switch self {
        case .pending, .executor, .credentialWithoutDigest: 2
        case .sealedTo: 3
        case .predecessors, .overlapEndsAt, .rotates: 4
        case .userEmail, .vccUserId: 5
        case .userExecutor: 6
        case .declaredScopes: 7
        }
    }

    /// How a message names it.
    var name: String {
        switch self {
        case .pending: "'pending'"
        case .executor: "'executor'"
        case .credentialWithoutDigest: "a credential without 'secretSha256'"
        case .sealedTo: "'sealedTo'"
        case .predecessors: "'predecessors'"
        case .overlapEndsAt: "'overlapEndsAt'"
        case .rotates: "'rotates'"
        case .userEmail: "a user's 'email'"
        case .vccUserId: "'vccUserId'"
        case .userExecutor: "'userExecutor'"
        case .declaredScopes: "'scopes'"
        }
    }

    /// Whether `state` needs it written (a `local` executor is the default, written only
    /// from version 2).
    func isUsed(in state: State) -> Bool {
        switch self {
        case .pending: !state.pending.isEmpty
        case .executor: state.account.executor != .local
        case .credentialWithoutDigest: state.credentials.contains { $0.secretSha256 == nil }
        case .sealedTo: state.credentials.contains { $0.sealedTo != nil }
        case .predecessors: state.credentials.contains { !$0.predecessors.isEmpty }
        case .overlapEndsAt: state.credentials.contains { $0.overlapEndsAt != nil }
        case .rotates: state.pending.contains { $0.rotates != nil }
        case .userEmail: state.users.contains { $0.email != nil }
        case .vccUserId: state.users.contains { $0.vccUserId != nil }
        case .userExecutor: state.account.declaredUserExecutor != nil
        case .declaredScopes: !state.declaredScopes.isEmpty
        }
    }
}
