/// The client-side rate limit: a token bucket of `perMinute` requests a minute, with a
/// burst of a tenth of that (at least one), so a short run is not slowed and a long one
/// stays under VCC's fair-use limit.
actor RateLimiter {
    private let pacer: any Pacer
    private let interval: Double
    private let burst: Double
    private var tokens: Double
    private var updated: Double

    init(perMinute: Int, pacer: any Pacer) {
        self.pacer = pacer
        interval = 60 / Double(max(perMinute, 1))
        burst = max(1, Double(perMinute) / 10)
        tokens = burst
        updated = pacer.now()
    }

    /// Waits until a request may be sent, and takes its token; returns the seconds waited.
    func acquire() async -> Double {
        let now = pacer.now()
        tokens = min(burst, tokens + (now - updated) / interval)
        updated = now
        tokens -= 1
        if tokens < 0 {
            // The debt is paid by waiting; later callers queue behind it.
            let wait = -tokens * interval
            await pacer.sleep(seconds: wait)
            return wait
        }
        return 0
    }
}
