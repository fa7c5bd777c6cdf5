/// How long `apply` waits for another run's lock: finite decimal seconds from 0 to an
/// hour. `nan`, `inf`, negative numbers and hex are refused; a CI job that waits longer
/// than an hour for a lock is stuck, not patient.
public struct LockTimeout: Sendable, Hashable {
    public static let maximum = 3600.0
    /// The rule, as messages state it.
    public static let rule = "must be a number of seconds from 0 to 3600, written like 30 or 2.5"

    public var seconds: Double

    /// Do not wait: a held lock fails the run at once.
    public static let none = LockTimeout(seconds: 0)!

    /// A value in range; nil otherwise.
    public init?(seconds: Double) {
        guard seconds.isFinite, seconds >= 0, seconds <= Self.maximum else { return nil }
        self.seconds = seconds
    }

    /// Digits, optionally a point and more digits: `30`, `2.5`, `0`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { part in
            !part.isEmpty && part.utf8.count <= 12
                && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard let whole = parts.first, digits(whole), parts.count == 1 || digits(parts[1]), let value = Double(text)
        else {
            return nil
        }
        self.init(seconds: value)
    }
}
