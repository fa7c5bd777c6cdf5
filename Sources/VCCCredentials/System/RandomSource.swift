import AgeEncryption

/// Where random bytes come from. The default is the operating system's CSPRNG; tests
/// inject fixed bytes so minted IDs and sealed files are reproducible.
public protocol RandomSource: Sendable {
    func randomBytes(_ count: Int) -> [UInt8]
}

/// The operating system's CSPRNG, through AgeEncryption's ``systemRandomBytes`` (many
/// bytes per call), so one place talks to the generator.
public struct SystemRandom: RandomSource {
    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] { systemRandomBytes(count) }
}

extension RandomSource {
    /// A random (version 4) UUID in lowercase.
    public func uuid() -> String { RandomUUID.text(from: randomBytes(16)) }
}
