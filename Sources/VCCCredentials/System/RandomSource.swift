/// Where random bytes come from. The default is the operating system's CSPRNG; tests
/// inject fixed bytes so minted IDs and sealed files are reproducible.
public protocol RandomSource: Sendable {
    func randomBytes(_ count: Int) -> [UInt8]
}

/// The system CSPRNG (`getrandom(2)` on Linux) through `SystemRandomNumberGenerator`,
/// which the standard library documents as cryptographically secure.
public struct SystemRandom: RandomSource {
    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<min(8, count - index) {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return bytes
    }
}

extension RandomSource {
    /// A random (version 4) UUID in lowercase.
    public func uuid() -> String {
        var bytes = randomBytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte -> String in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-"
            + hex[8..<10].joined() + "-" + hex[10..<16].joined()
    }
}
