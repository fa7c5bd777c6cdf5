import Crypto

/// Someone a file can be sealed for: an X25519 public key, written `age1...`.
public struct X25519Recipient: Sendable, Hashable, CustomStringConvertible {
    static let hrp = "age"

    public let publicKey: [UInt8]

    /// Parses an `age1...` recipient (lowercase Bech32, 32-byte key).
    public init(_ text: String) throws(AgeError) {
        guard let (hrp, data) = Bech32.decode(text), hrp == Self.hrp, data.count == 32 else {
            throw .invalidKey("'\(text)' is not an age X25519 recipient (age1...)")
        }
        publicKey = data
    }

    init(publicKey: [UInt8]) {
        self.publicKey = publicKey
    }

    /// The `age1...` form.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: publicKey) }
}
