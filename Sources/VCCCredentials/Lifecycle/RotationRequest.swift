/// `vcc-creds rotate OWNER/NAME --overlap SPAN`: a rotation asked for now (a leaked
/// secret), whatever the credential's age. Saved plans keep it, so applying one
/// plans the same rotation again.
public struct RotationRequest: Sendable, Hashable {
    /// `OWNER/NAME` (`account/NAME` for an account-level credential) or a client ID.
    public var credential: String
    /// nil: the overlap the credential's rotation declares (entry, else settings).
    public var overlap: TimeSpan?

    public init(credential: String, overlap: TimeSpan?) {
        self.credential = credential
        self.overlap = overlap
    }
}
