import Glibc

/// The outside world a run depends on: disk, clock, randomness, the environment
/// variables and the terminal, injected as one value so a test can replace any of them.
public struct SystemEnvironment: Sendable {
    public var fileSystem: any FileSystem
    public var clock: any WallClock
    public var random: any RandomSource
    /// The process's environment variables (`VCC_CREDS_STATE`, `NO_COLOR`, ...); empty
    /// unless given, so a test's run never depends on the shell that started it.
    public var variables: [String: String]
    /// Who can be asked before apply writes: nobody unless given.
    public var terminal: any Terminal

    public init(
        fileSystem: any FileSystem, clock: any WallClock, random: any RandomSource, variables: [String: String] = [:],
        terminal: any Terminal = NoTerminal()
    ) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.random = random
        self.variables = variables
        self.terminal = terminal
    }

    /// The real disk, clock, CSPRNG, environment and terminal; the clock stopped at
    /// `VCC_CREDS_NOW` when that is set (the command line refuses a value that is not a
    /// time before anything runs: see ``ClockOverride``).
    public static let live: SystemEnvironment = {
        let variables = processVariables()
        return SystemEnvironment(
            fileSystem: LocalFileSystem(), clock: (try? ClockOverride.clock(variables: variables)) ?? SystemClock(),
            random: SystemRandom(), variables: variables, terminal: StandardTerminal())
    }()

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
