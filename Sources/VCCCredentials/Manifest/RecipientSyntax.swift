/// The shape check for an age recipient written in a manifest.
enum RecipientSyntax {
    /// Why `text` is not an `age1...` X25519 recipient, or nil.
    static func problem(_ text: String) -> String? {
        let charset = Set("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
        guard text.hasPrefix("age1"), text.count == 62, text.dropFirst(4).allSatisfy({ charset.contains($0) }) else {
            return "recipient '\(text)' is not an age X25519 recipient (age1 followed by 58 Bech32 characters)"
        }
        return nil
    }
}
