/// Why a JSON or YAML text was rejected, and where: one type for both parsers, so
/// callers report a syntax error the same way whichever format it came from.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var mark: Mark
    public var message: String

    public init(_ message: String, at mark: Mark) {
        self.message = message
        self.mark = mark
    }

    public var description: String { "\(mark): \(message)" }
}
