/// A credential in its overlap: the successor and its predecessor, both valid, shown as
/// one entry until the plan that deletes the predecessor.
public struct RotationNotice: Sendable, Hashable {
    /// The successor: the credential the manifests' entry now means.
    public var successor: CredentialTarget
    /// The predecessor's client ID.
    public var predecessor: String
    /// From when the plan deletes the predecessor.
    public var overlapEndsAt: Timestamp

    public init(successor: CredentialTarget, predecessor: String, overlapEndsAt: Timestamp) {
        self.successor = successor
        self.predecessor = predecessor
        self.overlapEndsAt = overlapEndsAt
    }
}
