/// A client secret: 40 characters `[A-Za-z0-9]` from the CSPRNG. It exists in memory
/// only between minting and sealing, is never printed (its descriptions are redacted),
/// and only its SHA-256 reaches the state.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let length = 40
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The characters, as bytes.
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Draws 40 characters by rejection sampling: a random byte is used only if it is
    /// below 248 (= 4 × 62), so every character is equally likely; no modulo bias.
    public static func mint(from random: any RandomSource) -> Secret {
        var stream = RandomStream(random, blockSize: 64)
        return mint(from: &stream)
    }

    static func mint(from stream: inout RandomStream) -> Secret {
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            let byte = stream.next()
            if byte < 248 { characters.append(alphabet[Int(byte % 62)]) }
        }
        return Secret(bytes: characters)
    }

    /// Lowercase hex SHA-256, as the state stores it.
    public var sha256: String { Digest.sha256Hex(bytes) }

    /// The secret itself, for the sealed payload only.
    var plaintext: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "<redacted secret>" }
    public var debugDescription: String { "<redacted secret>" }
}
