import AgeEncryption

/// Where random bytes come from. The default is the operating system's CSPRNG; tests
/// inject fixed bytes so minted IDs and sealed files are reproducible.
public protocol RandomSource: Sendable {
    func randomBytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// A random (version 4) UUID in lowercase.
    public func uuid() -> String { RandomUUID.text(from: randomBytes(16)) }
}
