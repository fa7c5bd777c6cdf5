import Foundation
import StrictJSON

/// A credential entry of the manifests.
public struct DesiredCredential: Sendable, Hashable {
    /// Lowercase client ID that pins this entry to an existing credential.
    public var clientId: String?
    public var spec: CredentialSpec
    public var ensure: Ensure
    public var location: SourceLocation

    public init(clientId: String?, spec: CredentialSpec, ensure: Ensure, location: SourceLocation) {
        self.clientId = clientId
        self.spec = spec
        self.ensure = ensure
        self.location = location
    }
}
