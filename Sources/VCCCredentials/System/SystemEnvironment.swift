import Glibc

/// The outside world a run depends on: disk, clock, randomness and the environment
/// variables, injected as one value so a test can replace any of them.
public struct SystemEnvironment: Sendable {
    public var fileSystem: any FileSystem
    public var clock: any WallClock
    public var random: any RandomSource
    /// The process's environment variables (`VCC_CREDS_STATE`, `NO_COLOR`, ...); empty
    /// unless given, so a test's run never depends on the shell that started it.
    public var variables: [String: String]

    public init(
        fileSystem: any FileSystem, clock: any WallClock, random: any RandomSource, variables: [String: String] = [:]
    ) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.random = random
        self.variables = variables
    }

    /// The real disk, clock, CSPRNG and environment.
    public static let live = SystemEnvironment(
        fileSystem: LocalFileSystem(), clock: SystemClock(), random: SystemRandom(), variables: processVariables())

    /// The variables this process was started with, read once from `environ`.
    private static func processVariables() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
