import Glibc

/// A failed file-system operation, phrased for the person who has to fix it.
public struct FileSystemError: Error, Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// An `errno` from the system, with its text.
        case system(code: Int32, message: String)
        case tooLarge(bytes: Int, limit: Int)
        /// A stream (stdin) that went on past the limit; its size is unknown.
        case exceedsLimit(Int)
        /// A symlink where vcc-creds writes (or reads its own files): never followed.
        case symbolicLink
        case notARegularFile(FileKind)
        /// Something other than a folder where vcc-creds keeps files.
        case notAFolder(FileKind)
        /// One of the state's own files (the state, its backup, journal, lock, audit log),
        /// where vcc-creds would write something else.
        case stateSideFile
        /// A file with more than one name: writing it would change the others too.
        case hardLinks(Int)
        /// A lock path holding something other than a lock holder's line.
        case notALockFile
        /// A file of lines whose last line has no line break: a write was cut short.
        case unterminatedLastLine
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
        if case .system(let code, _) = reason { return code == ENOENT }
        return false
    }

    public var alreadyExists: Bool {
        if case .system(let code, _) = reason { return code == EEXIST }
        return false
    }

    /// What went wrong with ``path``, without the path: a diagnostic's message.
    public var problem: String {
        switch reason {
        case .system(_, let message): return "cannot \(operation): \(message)"
        case .tooLarge(let bytes, let limit):
            return "file is \(bytes) bytes, larger than the limit of \(limit) bytes"
        case .exceedsLimit(let limit): return "larger than the limit of \(limit) bytes"
        case .symbolicLink:
            return "is a symbolic link, and vcc-creds never writes through links: remove it, or name the real file"
        case .notARegularFile(let kind): return "is \(kind), not a regular file"
        case .notAFolder(let kind): return "is \(kind), not a folder"
        case .stateSideFile:
            return
                "is one of the files kept beside the state (the state, its backup, journal, lock or audit log): "
                + "choose another --sealed-dir"
        case .hardLinks(let count):
            return "has \(count) hard links, and writing it would change the other names too: give it a file of its own"
        case .notALockFile:
            return "exists and is not a vcc-creds lock file; it was left as it is: move it away"
        case .unterminatedLastLine:
            return
                "the last line has no line break (a write was cut short?), and appending would join a line onto it: "
                + "end it with a line break if it is whole, or remove it, then rerun"
        case .injected: return "cannot \(operation): injected fault"
        }
    }

    public var diagnostics: [Diagnostic] { [.error(problem, at: SourceLocation(file: path))] }
}
