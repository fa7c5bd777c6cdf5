import Crypto
import Foundation

/// age v1 (age-encryption.org/v1) with X25519 recipients: sealing to one or more
/// recipients, opening with one or more identities. Files are interoperable with the
/// `age` command-line tool in both directions.
public enum Age {
    /// The first line of every age v1 file, line break included: how a file (or the
    /// start of one cut short) is told to be age's.
    public static let versionLine = Header.versionLine + [UInt8(ascii: "\n")]

    static let fileKeySize = 16

    /// Seals `plaintext` for every recipient. `armor` gives the PEM-like text form.
    public static func encrypt(
        _ plaintext: [UInt8], to recipients: [X25519Recipient], armor: Bool = false,
        random: RandomBytes = systemRandomBytes
    ) throws(AgeError) -> [UInt8] {
        guard !recipients.isEmpty else { throw .invalidKey("no recipients") }
        /// The injected source must give exactly what was asked: a short nonce or file key
        /// would produce a file nobody can open.
        func draw(_ count: Int) -> [UInt8] {
            let bytes = random(count)
            precondition(bytes.count == count, "the random source returned \(bytes.count) bytes, not \(count)")
            return bytes
        }
        let fileKey = draw(fileKeySize)
        var stanzas: [Stanza] = []
        for recipient in recipients {
            do {
                stanzas.append(try X25519Stanza.wrap(fileKey: fileKey, for: recipient, ephemeralSecret: draw(32)))
            } catch let error as AgeError {
                throw error
            } catch {
                throw .invalidKey("recipient \(recipient) cannot be used: \(error)")
            }
        }
        var output = Header.macInput(for: stanzas)
        let mac = HMAC<SHA256>.authenticationCode(for: output, using: headerKey(fileKey))
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: Base64.encode(Array(mac), padded: false))
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: PayloadStream.seal(plaintext, fileKey: fileKey, nonce: draw(PayloadStream.nonceSize)))
        return armor ? Armor.encode(output) : output
    }

    /// Opens a binary or armored file; the whole plaintext, or an error and nothing.
    public static func decrypt(_ file: [UInt8], identities: [X25519Identity]) throws(AgeError) -> [UInt8] {
        let binary = Armor.isArmored(file) ? try Armor.decode(file) : file
        var plaintext: [UInt8] = []
        try decrypt(binary: binary, identities: identities) { plaintext.append(contentsOf: $0) }
        return plaintext
    }

    /// Opens a binary (not armored) file, handing each authenticated chunk of plaintext
    /// to `release` as soon as it is verified. On a payload error, the chunks released
    /// before it were authentic, but the file as a whole is not.
    public static func decrypt(
        binary file: [UInt8], identities: [X25519Identity], release: (ArraySlice<UInt8>) -> Void
    ) throws(AgeError) {
        let header = try Header.parse(file)
        if header.stanzas.contains(where: { $0.type == "scrypt" }) && header.stanzas.count > 1 {
            throw .header("an scrypt stanza must be the only stanza")
        }
        var fileKey: [UInt8]?
        for stanza in header.stanzas where stanza.type == X25519Stanza.type {
            let share = try X25519Stanza.validate(stanza)
            guard fileKey == nil else { continue }
            for identity in identities {
                if let key = try X25519Stanza.unwrap(stanza, share: share, with: identity) {
                    fileKey = key
                    break
                }
            }
        }
        guard let fileKey else { throw .noMatch }
        guard fileKey.count == fileKeySize else { throw .header("the file key is not 16 bytes") }
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                header.mac, authenticating: header.macInput, using: headerKey(fileKey))
        else { throw .hmac }
        try PayloadStream.open(file, from: header.payloadOffset, fileKey: fileKey, release: release)
    }

    private static func headerKey(_ fileKey: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: [UInt8](), info: Array("header".utf8),
            outputByteCount: 32)
    }
}
