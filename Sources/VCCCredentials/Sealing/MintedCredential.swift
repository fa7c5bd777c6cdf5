/// A credential created by this apply: its new client ID and secret, kept together
/// only until the sealed file is written.
struct MintedCredential: Sendable {
    var changeId: ChangeID
    var clientId: String
    var spec: CredentialSpec
    var secret: Secret
}
