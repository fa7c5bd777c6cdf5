/// The outside world a run depends on: disk, clock and randomness, injected as one
/// value so a test can replace any of them.
public struct SystemEnvironment: Sendable {
    public var fileSystem: any FileSystem
    public var clock: any WallClock
    public var random: any RandomSource

    public init(fileSystem: any FileSystem, clock: any WallClock, random: any RandomSource) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.random = random
    }

    /// The real disk, clock and CSPRNG.
    public static let live = SystemEnvironment(
        fileSystem: LocalFileSystem(), clock: SystemClock(), random: SystemRandom())
}
