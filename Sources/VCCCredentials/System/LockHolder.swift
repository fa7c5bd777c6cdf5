import Glibc

/// What a run writes into the lock file, so a run that finds it busy can name the
/// holder: one line, `pid N on HOST since TIME`.
///
/// It is also how a lock file is told from any other file: a lock path that holds
/// something else (a planted link's target, a file a saved plan was edited to name) is
/// never truncated, written or removed.
public struct LockHolder: Sendable, Hashable {
    /// The line, with its newline.
    public var line: String

    /// Longest lock file that can be one: a holder line is far shorter.
    public static let maxBytes = 1024

    public init(line: String) {
        self.line = line
    }

    public static func current(clock: any WallClock) -> LockHolder {
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown host"
        return LockHolder(line: "pid \(getpid()) on \(host) since \(Timestamp(clock.now()))\n")
    }

    /// True for what a lock file may hold: nothing (created, not yet written), or one
    /// line starting `pid ` (a holder, alive or dead).
    public static func recognizes(_ bytes: [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        guard bytes.count <= maxBytes, bytes.starts(with: "pid ".utf8), bytes.last == UInt8(ascii: "\n") else {
            return false
        }
        return !bytes.dropLast().contains(UInt8(ascii: "\n")) && !bytes.contains(0)
    }
}
