/// Time as the connection spends it: a monotonic reading and a way to wait. Injected so
/// a test of backoff, `Retry-After` and the rate limit runs in virtual time.
public protocol Pacer: Sendable {
    /// Seconds on a monotonic clock (any origin).
    func now() -> Double
    func sleep(seconds: Double) async
}

/// The real monotonic clock and `Task.sleep`.
public struct SystemPacer: Pacer {
    private static let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let elapsed = ContinuousClock.now - Self.origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}
