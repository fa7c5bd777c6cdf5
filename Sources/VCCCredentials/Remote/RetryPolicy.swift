import Foundation

/// How long a request is retried: bounded attempts, exponential backoff with full
/// jitter, and VCC's `Retry-After` honoured up to a limit. A run gives up with one error
/// rather than waiting without end.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The first backoff's upper bound, doubled each retry up to `maxDelay`.
    public var baseDelay: Double
    public var maxDelay: Double
    /// Longest `Retry-After` (seconds) waited for; a longer one stops the run.
    public var maxRetryAfter: Int

    public static let standard = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 30, maxRetryAfter: 120)

    public init(maxAttempts: Int, baseDelay: Double, maxDelay: Double, maxRetryAfter: Int) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before retry `retry` (1 for the first), drawn uniformly from
    /// 0...min(maxDelay, baseDelay * 2^(retry-1)) with `random`'s bytes.
    func backoff(retry: Int, random: any RandomSource) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry - 1, 20)))
        let bytes = random.randomBytes(4)
        let draw = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return ceiling * Double(draw) / Double(UInt32.max)
    }

    /// `Retry-After` in seconds: delta-seconds only. An HTTP date (which VCC is not known
    /// to send) is taken as "back off as usual" rather than trusted to a skewed clock.
    static func retryAfter(_ value: String?) -> Int? {
        guard let value, let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return seconds
    }
}
