/// The tool's own API credential, from the environment only (never a flag: process
/// arguments are readable by every user of the machine). The secret's descriptions are
/// redacted, so no message, log or dump can carry it.
public struct ClientCredential: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let clientId: String
    let secret: [UInt8]

    public init(clientId: String, secret: [UInt8]) {
        self.clientId = clientId
        self.secret = secret
    }

    public var description: String { "client \(clientId) (secret redacted)" }
    public var debugDescription: String { description }

    /// Longest secret read from the environment or a file.
    static let maxSecretBytes = 4096
}
