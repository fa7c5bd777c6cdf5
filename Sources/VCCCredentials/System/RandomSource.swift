#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where random bytes come from. The default is the operating system's CSPRNG; tests
/// inject fixed bytes so minted IDs and sealed files are reproducible.
public protocol RandomSource: Sendable {
    func randomBytes(_ count: Int) -> [UInt8]
}

/// The operating system's CSPRNG, many bytes per call: `arc4random_buf`, which glibc
/// (2.36 and later) and macOS implement over the kernel's generator (`getrandom(2)` on
/// Linux). The standard library's generator asks the kernel for eight bytes at a time.
public struct SystemRandom: RandomSource {
    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
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
        return Hex.uuid(bytes)
    }
}
