import Crypto

/// A key that opens files sealed for its recipient: an X25519 private key, written
/// `AGE-SECRET-KEY-1...`. Only ``secretKeyString`` reveals it; write that only into a
/// key file.
public struct X25519Identity: Sendable {
    static let hrp = "AGE-SECRET-KEY-"

    let privateKey: Curve25519.KeyAgreement.PrivateKey

    /// Parses an `AGE-SECRET-KEY-1...` identity (uppercase Bech32, 32-byte key).
    public init(_ text: String) throws(AgeError) {
        guard let (hrp, data) = Bech32.decode(text), hrp == Self.hrp, data.count == 32,
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        else {
            throw .invalidKey("not an age X25519 identity (AGE-SECRET-KEY-1...)")
        }
        privateKey = key
    }

    /// A new identity from 32 random bytes.
    public static func generate(random: RandomBytes = systemRandomBytes) -> X25519Identity {
        let bytes = random(32)
        precondition(bytes.count == 32, "the random source returned \(bytes.count) bytes, not 32")
        return X25519Identity(privateKey: try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes))
    }

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
    }

    public var recipient: X25519Recipient {
        X25519Recipient(publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// The `AGE-SECRET-KEY-1...` form: the secret key.
    public var secretKeyString: String {
        Bech32.encode(hrp: Self.hrp, data: Array(privateKey.rawRepresentation)).uppercased()
    }
}
