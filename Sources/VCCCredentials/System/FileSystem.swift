/// The one seam between vcc-creds and the disk. Every read and write goes through it,
/// so tests can run in memory-free temp folders and fail any single step on purpose.
///
/// Writes are primitives (create, rename, sync, append) rather than "save this file":
/// the crash-safety order lives in ``AtomicFile`` and apply, where it can be tested.
public protocol FileSystem: Sendable {
    /// What is at `path`, without following a final symlink; nil when nothing is.
    func kind(of path: String) -> FileKind?

    /// The whole file, refusing files larger than `maxBytes` before reading them.
    func readFile(at path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8]

    /// Names in a directory, without `.` and `..`, in no particular order.
    func directoryEntries(at path: String) throws(FileSystemError) -> [String]

    /// The canonical absolute path, all symlinks resolved.
    func resolve(_ path: String) throws(FileSystemError) -> String

    /// Creates a new file (failing if anything exists there), writes it whole, fsyncs
    /// and closes it. A partly written file is removed before the error is thrown.
    func createFile(at path: String, contents: [UInt8], mode: UInt32) throws(FileSystemError)

    /// Renames `source` over `destination`, replacing it atomically.
    func rename(_ source: String, to destination: String) throws(FileSystemError)

    /// Moves `source` to `destination` only if nothing exists there (link, then unlink).
    func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError)

    /// fsyncs a directory so renames in it survive a power cut.
    func syncDirectory(at path: String) throws(FileSystemError)

    /// Removes a file; a missing file is not an error.
    func removeFile(at path: String) throws(FileSystemError)

    /// Appends to a file (creating it with `mode`), then fsyncs it.
    func appendToFile(at path: String, contents: [UInt8], mode: UInt32) throws(FileSystemError)

    /// Creates a directory and any missing parents.
    func createDirectory(at path: String) throws(FileSystemError)

    /// Takes an exclusive advisory lock (`flock`) on `path`, creating the file, waiting
    /// up to `timeout` seconds. Once held, the file's content is replaced by `holder`, so
    /// a run that finds it busy can say who holds it. The kernel releases the lock when
    /// the process dies, however it dies.
    func lock(_ path: String, holder: [UInt8], timeout: Double) throws(LockError) -> any FileLock
}

/// A held lock; released explicitly or when the process exits.
public protocol FileLock: Sendable {
    func release()
}

/// Why a lock was not taken.
public enum LockError: Error, Sendable, Hashable {
    /// Another process holds it; `holder` is what it wrote into the lock file.
    case busy(path: String, holder: String)
    case fileSystem(FileSystemError)
}

/// What a path names.
public enum FileKind: Sendable, Hashable {
    case file, directory, symlink, other
}

/// A failed file-system operation, phrased for the person who has to fix it.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// An `errno` from the system, with its text.
        case system(code: Int32, message: String)
        case tooLarge(bytes: Int, limit: Int)
        /// Injected by a test.
        case injected
    }

    public var path: String
    public var operation: String
    public var reason: Reason

    public init(path: String, operation: String, reason: Reason) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var isNotFound: Bool {
        if case .system(let code, _) = reason { return code == 2 }
        return false
    }

    public var alreadyExists: Bool {
        if case .system(let code, _) = reason { return code == 17 }
        return false
    }

    public var description: String {
        switch reason {
        case .system(_, let message): return "\(path): cannot \(operation): \(message)"
        case .tooLarge(let bytes, let limit):
            return "\(path): file is \(bytes) bytes, larger than the limit of \(limit) bytes"
        case .injected: return "\(path): cannot \(operation): injected fault"
        }
    }
}
