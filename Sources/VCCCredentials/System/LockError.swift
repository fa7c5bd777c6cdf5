import Glibc

/// Why a lock was not taken.
public enum LockError: Error, Sendable, Hashable {
    /// Another process holds it; `holder` is what it wrote into the lock file.
    case busy(path: String, holder: String)
    case fileSystem(FileSystemError)
}
