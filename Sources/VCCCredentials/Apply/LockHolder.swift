#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a run writes into the lock file, so a run that finds it busy can name the
/// holder: process id, host and start time.
enum LockHolder {
    static func current(clock: any WallClock) -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown host"
        return "pid \(getpid()) on \(host) since \(Timestamp(clock.now()))\n"
    }
}
