/// Who a credential's own sealed file is for, as its manifest entry says. The default
/// is its owner's `recipients`; `recipients:` on the credential replaces them (the
/// consuming service's keys, and nobody else's), `additionalRecipients:` adds to them.
/// The escrow (`settings.recipients`) receives every secret whatever this says.
public enum CredentialRecipients: Sendable, Hashable {
    /// The owner's recipients (none for an account-level credential).
    case owner
    /// `recipients:`: these instead of the owner's.
    case only([String])
    /// `additionalRecipients:`: the owner's and these.
    case ownerAnd([String])
}
