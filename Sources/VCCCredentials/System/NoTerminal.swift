/// Nobody to ask: the terminal of an environment a test builds, so a library test never
/// waits on the stdin of whoever runs `swift test`.
public struct NoTerminal: Terminal {
    public init() {}
    public var isInteractive: Bool { false }
    public func write(_ text: String) {}
    public func readLine() -> String? { nil }
}
