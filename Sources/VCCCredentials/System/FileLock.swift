import Glibc

/// A held lock; released explicitly or when the process exits.
public protocol FileLock: Sendable {
    func release()
}
