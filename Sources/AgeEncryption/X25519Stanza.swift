import Crypto
import Foundation

/// The X25519 recipient stanza: `-> X25519 <ephemeral share>` and the file key wrapped
/// with ChaCha20-Poly1305 under HKDF-SHA256(shared secret, share || recipient).
enum X25519Stanza {
    static let type = "X25519"
    static let info = Array("age-encryption.org/v1/X25519".utf8)

    static func wrap(fileKey: [UInt8], for recipient: X25519Recipient, ephemeralSecret: [UInt8]) throws -> Stanza {
        let ephemeral = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: ephemeralSecret)
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(
            with: Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey))
        guard !isAllZero(shared) else { throw AgeError.invalidKey("recipient \(recipient) is a low-order point") }
        let key = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: share + recipient.publicKey, sharedInfo: info, outputByteCount: 32)
        let box = try ChaChaPoly.seal(fileKey, using: key, nonce: zeroNonce)
        return Stanza(
            type: type, arguments: [String(decoding: Base64.encode(share, padded: false), as: UTF8.self)],
            body: Array(box.ciphertext) + Array(box.tag))
    }

    /// Checks an X25519 stanza's shape; every X25519 stanza must be well formed, whether
    /// or not it is for one of our identities.
    static func validate(_ stanza: Stanza) throws(AgeError) -> [UInt8] {
        guard stanza.arguments.count == 1,
            let share = Base64.decode(Array(stanza.arguments[0].utf8), padded: false), share.count == 32
        else { throw .header("malformed X25519 stanza arguments") }
        guard stanza.body.count == 32 else { throw .header("X25519 stanza body is not 32 bytes") }
        return share
    }

    /// The file key if `identity` opens the stanza, nil if the stanza is for someone else.
    static func unwrap(_ stanza: Stanza, share: [UInt8], with identity: X25519Identity) throws(AgeError) -> [UInt8]? {
        let shared: SharedSecret
        do {
            shared = try identity.privateKey.sharedSecretFromKeyAgreement(
                with: Curve25519.KeyAgreement.PublicKey(rawRepresentation: share))
        } catch {
            throw .header("invalid X25519 share")
        }
        guard !isAllZero(shared) else { throw .header("X25519 share is a low-order point") }
        let key = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: share + identity.recipient.publicKey, sharedInfo: info, outputByteCount: 32)
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: zeroNonce, ciphertext: stanza.body[0..<16], tag: stanza.body[16..<32]),
            let fileKey = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return Array(fileKey)
    }

    private static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))

    /// swift-crypto returns the all-zero output of a low-order point instead of failing;
    /// the age specification requires rejecting it. Checked without early exit.
    private static func isAllZero(_ secret: SharedSecret) -> Bool {
        secret.withUnsafeBytes { bytes in bytes.reduce(UInt8(0)) { $0 | $1 } == 0 }
    }
}
