/// What a run's actors can see. "If you are a supervisor user ... only your own
/// (user-level) API credentials appear"; admins see all credentials of both levels;
/// agents and wallboards none. A run acting as several users sees what any of them
/// sees. What is not visible is out of the run: the plan only counts it, and no
/// decision, reason or advice is made from it.
///
/// Users are visible to everyone: they hold no secrets, and every change to them is
/// decided by `admin-only`, so a supervisor's plan says who can apply it.
public struct Visibility: Sendable {
    public var actors: [User]

    public init(actors: [User]) {
        self.actors = actors
    }

    public init(actor: User) {
        self.init(actors: [actor])
    }

    public func canSee(_ credential: Credential) -> Bool {
        canSee(level: credential.level, owner: credential.owner)
    }

    /// Whether a credential of this level and owner would be visible: what decides, for
    /// a manifest entry, whether it is in the run at all. An entry no actor could see is
    /// out of the run whether or not such a credential exists, so planning it tells
    /// nothing about what exists.
    public func canSee(level: CredentialLevel, owner: String?) -> Bool {
        actors.contains { actor in
            switch actor.license {
            case .admin: return true
            case .supervisor: return level == .user && owner == actor.id
            case .agent, .wallboard: return false
            }
        }
    }

    public func canSee(_ user: User) -> Bool { true }
}
