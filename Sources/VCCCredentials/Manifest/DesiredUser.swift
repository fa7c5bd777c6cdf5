import Foundation
import StrictJSON

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
