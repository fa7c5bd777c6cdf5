import Foundation
import StrictJSON

/// A user entry of the manifests.
public struct DesiredUser: Sendable, Hashable {
    public var id: String
    /// The user as declared; nil when the entry says `ensure: absent`.
    public var user: User?
    /// The user's login on the forge that reviews the manifests (`login: sam-gh`): how a
    /// pipeline turns a merge's approvals into `--as` users (``ApproverMap``). Not part
    /// of the account: plans never change it.
    public var login: String?
    /// age recipients (`age1...`, canonical, sorted) who receive this user's credentials'
    /// secrets in one sealed file per credential. Not part of the account either.
    public var recipients: [String]
    public var location: SourceLocation

    public init(id: String, user: User?, login: String? = nil, recipients: [String] = [], location: SourceLocation) {
        self.id = id
        self.user = user
        self.login = login
        self.recipients = recipients
        self.location = location
    }
}
