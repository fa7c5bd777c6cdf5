/// A random (version 4) UUID from 16 random bytes: the version and variant bits are
/// set, the other 122 bits are the bytes'. One function for every source of bytes.
enum RandomUUID {
    /// The lowercase 8-4-4-4-12 text.
    static func text(from random: [UInt8]) -> String {
        precondition(random.count == 16, "a UUID takes 16 bytes")
        var bytes = random
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Hex.uuid(bytes)
    }
}
