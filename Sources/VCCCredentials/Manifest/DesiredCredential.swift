import Foundation
import StrictJSON

/// A credential entry of the manifests.
public struct DesiredCredential: Sendable, Hashable {
    /// Lowercase client ID that pins this entry to an existing credential.
    public var clientId: String?
    public var spec: CredentialSpec
    public var ensure: Ensure
    /// Who its own sealed file is for, besides the escrow.
    public var recipients: CredentialRecipients
    /// Its own rotation; nil: `settings.rotate`, if any.
    public var rotate: RotationPolicy?
    /// When it stops being wanted: plans warn before, and delete it at or after.
    public var expires: Timestamp?
    /// What the credential is for, for people (`policy.requireDescription` may require it).
    public var description: String?
    public var location: SourceLocation

    public init(
        clientId: String?, spec: CredentialSpec, ensure: Ensure, recipients: CredentialRecipients = .owner,
        rotate: RotationPolicy? = nil, expires: Timestamp? = nil, description: String? = nil, location: SourceLocation
    ) {
        self.clientId = clientId
        self.spec = spec
        self.ensure = ensure
        self.recipients = recipients
        self.rotate = rotate
        self.expires = expires
        self.description = description
        self.location = location
    }
}
