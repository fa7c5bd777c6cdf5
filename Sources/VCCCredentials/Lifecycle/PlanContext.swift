/// What a plan is made for besides its files: the time it is made at (rotation and
/// expiry are decided by it) and the rotations asked for. A saved plan records both,
/// so applying it decides exactly as planning did.
public struct PlanContext: Sendable, Hashable {
    public var now: Timestamp
    public var rotations: [RotationRequest]
    /// `--target` / `--exclude`: a partial plan; empty for the whole.
    public var targeting: Targeting

    public init(now: Timestamp, rotations: [RotationRequest] = [], targeting: Targeting = Targeting()) {
        self.now = now
        self.rotations = rotations
        self.targeting = targeting
    }
}
