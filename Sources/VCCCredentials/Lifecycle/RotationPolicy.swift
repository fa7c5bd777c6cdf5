/// How often a credential gets a new secret: after `every`, a successor is created;
/// `overlap` later, the predecessor is deleted. Both secrets are valid in between, so
/// the consumer can switch without an outage.
public struct RotationPolicy: Sendable, Hashable {
    public var every: TimeSpan
    public var overlap: TimeSpan

    public init(every: TimeSpan, overlap: TimeSpan) {
        self.every = every
        self.overlap = overlap
    }

    /// Why the two spans do not make a rotation; nil when they do. An overlap as long as
    /// the period would rotate the successor before its predecessor is gone.
    static func problem(every: TimeSpan, overlap: TimeSpan) -> String? {
        if every.seconds == 0 { return "rotate.every must be longer than 0" }
        if overlap >= every { return "rotate.overlap (\(overlap)) must be shorter than rotate.every (\(every))" }
        return nil
    }
}
