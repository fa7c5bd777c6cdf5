import AgeEncryption

/// A short, stable name for an age recipient: the first 16 bytes of the SHA-256 of its
/// `age1...` form, as 32 lowercase hex digits. age files do not say who can open them;
/// the state and the sealed-output index record these instead, so a key change can be
/// traced to every file it affects without holding any key.
public enum RecipientFingerprint {
    public static let length = 32

    public static func of(_ recipient: X25519Recipient) -> String { of(recipient.description) }

    /// The fingerprint of a recipient given in its canonical (`description`) form.
    public static func of(_ canonical: String) -> String {
        String(Digest.sha256Hex(Array(canonical.utf8)).prefix(length))
    }

    /// Why `text` is not a fingerprint, or nil.
    static func problem(_ text: String, _ what: String) -> String? {
        text.utf8.count == length && text.utf8.allSatisfy(Identifiers.isLowercaseHex)
            ? nil : "\(what) \(Quoted.of(text)) is not a recipient fingerprint (32 lowercase hex digits)"
    }
}
