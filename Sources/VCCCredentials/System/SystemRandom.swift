import AgeEncryption

/// The operating system's CSPRNG, through AgeEncryption's ``systemRandomBytes`` (many
/// bytes per call), so one place talks to the generator.
public struct SystemRandom: RandomSource {
    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] { systemRandomBytes(count) }
}
