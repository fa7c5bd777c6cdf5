/// The actor as rules see it: a licence and whether it owns the target. Rules depend on
/// nothing else about the actor, which is what lets ``Policy`` say who else could
/// apply a refused change by asking only "the owner" and "any admin".
public struct PolicyActor: Sendable, Hashable {
    public var license: License
    /// The actor is the target's owner: a user-level credential's owner, or, for a
    /// change to a user, that user.
    public var ownsTarget: Bool

    public init(license: License, ownsTarget: Bool) {
        self.license = license
        self.ownsTarget = ownsTarget
    }
}
