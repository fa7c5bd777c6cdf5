import Crypto

/// Someone a file can be sealed for: an X25519 public key, written `age1...`.
public struct X25519Recipient: Sendable, Hashable, CustomStringConvertible {
    static let hrp = "age"

    public let publicKey: [UInt8]

    /// Parses an `age1...` recipient (lowercase Bech32, 32-byte key).
    public init(_ text: String) throws(AgeError) {
        guard let (hrp, data) = Bech32.decode(text), hrp == Self.hrp, data.count == 32 else {
            throw .invalidKey(Self.problem(with: text))
        }
        publicKey = data
    }

    init(publicKey: [UInt8]) {
        self.publicKey = publicKey
    }

    /// Why `text` is not a recipient, without ever repeating a private key: someone who
    /// pastes an identity where a recipient belongs must not see it echoed into a CI log.
    public static func problem(with text: String) -> String {
        if text.uppercased().contains("SECRET-KEY") {
            return "an age identity (a private key) was given where a recipient belongs; use its public key (age-keygen -y FILE)"
        }
        let shown = text.count > 80 ? String(text.prefix(80)) + "..." : text
        return "'\(shown)' is not an age X25519 recipient (age1..., as age-keygen prints)"
    }

    /// The `age1...` form.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: publicKey) }
}
