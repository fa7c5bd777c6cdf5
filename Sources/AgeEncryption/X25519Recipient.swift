import Crypto

/// Someone a file can be sealed for: an X25519 public key, written `age1...`.
public struct X25519Recipient: Sendable, Hashable, CustomStringConvertible {
    static let hrp = "age"

    public let publicKey: [UInt8]

    /// Parses an `age1...` recipient (lowercase Bech32, 32-byte key) that age can seal
    /// for: a low-order point is refused here, where its text is, rather than by the
    /// first apply that tries to seal a secret for it.
    public init(_ text: String) throws(AgeError) {
        guard let data = Self.key(in: text), !Self.isLowOrder(data) else {
            throw .invalidKey(Self.problem(with: text))
        }
        publicKey = data
    }

    private static func key(in text: String) -> [UInt8]? {
        guard let (hrp, data) = Bech32.decode(text), hrp == Self.hrp, data.count == 32 else { return nil }
        return data
    }

    /// Whether the key is a point of small order, whose share with any identity is all
    /// zeros (the age specification refuses it). Every clamped X25519 scalar is a
    /// multiple of 8, so one key agreement with any fixed scalar tells.
    static func isLowOrder(_ key: [UInt8]) -> Bool {
        guard let point = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: key),
            let probe = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0x5A, count: 32)),
            let shared = try? probe.sharedSecretFromKeyAgreement(with: point)
        else { return true }
        return shared.withUnsafeBytes { bytes in bytes.allSatisfy { $0 == 0 } }
    }

    init(publicKey: [UInt8]) {
        self.publicKey = publicKey
    }

    /// Why `text` is not a recipient, without ever repeating a private key: someone who
    /// pastes an identity where a recipient belongs must not see it echoed into a CI log.
    public static func problem(with text: String) -> String {
        if text.uppercased().contains("SECRET-KEY") {
            return
                "an age identity (a private key) was given where a recipient belongs; use its public key (age-keygen "
                + "-y FILE)"
        }
        let shown = text.count > 80 ? String(text.prefix(80)) + "..." : text
        if let key = key(in: text), isLowOrder(key) {
            return "'\(shown)' is a low-order point: age seals nothing for it (no identity could open the file)"
        }
        return "'\(shown)' is not an age X25519 recipient (age1..., as age-keygen prints)"
    }

    /// The `age1...` form.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: publicKey) }
}
