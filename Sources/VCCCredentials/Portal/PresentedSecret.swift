/// A client secret someone copied from the portal's Success message, checked before
/// anything is read under the lock: printable ASCII without spaces, 8 to 256
/// characters, and not the client ID pasted twice. Its descriptions are redacted.
public struct PresentedSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let lengths = 8...256

    let secret: Secret

    /// The secret from stdin's bytes, without one trailing line break.
    public init(input bytes: [UInt8], clientId: String) throws(PortalError) {
        let bytes = SecretVerifier.secret(fromInput: bytes)
        guard !bytes.isEmpty else { throw .unusableSecret(.empty) }
        guard bytes.allSatisfy(Identifiers.isVisibleASCII) else { throw .unusableSecret(.notPrintableASCII) }
        guard Self.lengths.contains(bytes.count) else { throw .unusableSecret(.length(bytes.count)) }
        guard String(decoding: bytes, as: UTF8.self).lowercased() != clientId.lowercased() else {
            throw .unusableSecret(.equalsClientId)
        }
        secret = Secret(bytes: bytes)
    }

    public var description: String { "<redacted secret>" }
    public var debugDescription: String { "<redacted secret>" }
}
