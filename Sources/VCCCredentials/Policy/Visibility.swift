/// What an actor can see. "If you are a supervisor user ... only your own (user-level)
/// API credentials appear"; admins see all credentials of both levels; agents and
/// wallboards none. What is not visible is out of the run: the plan only counts it.
///
/// Users are visible to everyone: they hold no secrets, and every change to them is
/// decided by `admin-only`, so a supervisor's plan says who can apply it.
public struct Visibility: Sendable {
    public var actor: User

    public init(actor: User) {
        self.actor = actor
    }

    public func canSee(_ credential: Credential) -> Bool {
        switch actor.license {
        case .admin: return true
        case .supervisor: return credential.level == .user && credential.owner == actor.id
        case .agent, .wallboard: return false
        }
    }

    public func canSee(_ user: User) -> Bool { true }
}
