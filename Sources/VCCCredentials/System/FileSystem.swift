import Glibc

/// The one seam between vcc-creds and the disk. Every read and write goes through it,
/// so tests can run in memory-free temp folders and fail any single step on purpose.
///
/// Writes are primitives (create, rename, sync, append) rather than "save this file":
/// the crash-safety order lives in ``AtomicFile`` and apply, where it can be tested.
/// No write primitive follows a symbolic link at the path it is given: creating fails
/// on anything already there, appending, truncating and locking refuse links, and
/// renames replace the name, never what a link points at.
public protocol FileSystem: Sendable {
    /// What is at `path`, without following a final symlink (`lstat`); nil when nothing is.
    func status(of path: String) -> FileStatus?

    /// The whole file, refusing files larger than `maxBytes` before reading them. With
    /// `followingLinks: false`, a symlink at `path` is an error rather than followed.
    func readFile(at path: String, maxBytes: Int, followingLinks: Bool) throws(FileSystemError) -> [UInt8]

    /// The last `maxBytes` bytes of a regular file (all of it when shorter), never
    /// through a link: what an append would build on.
    func readTail(of path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8]

    /// Names in a directory, without `.` and `..`, in no particular order.
    func directoryEntries(at path: String) throws(FileSystemError) -> [String]

    /// The canonical absolute path, all symlinks resolved.
    func resolve(_ path: String) throws(FileSystemError) -> String

    /// Creates a new file (failing if anything exists there, a link included), writes it
    /// whole, fsyncs and closes it. A partly written file is removed before the error is
    /// thrown.
    func createFile(at path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError)

    /// Creates many new files (each failing if anything exists at its path): writes each
    /// whole under its `temporary` name (fresh, in the same folder), makes them durable
    /// at once (one `syncfs` of their file system and an fsync of each folder, where one
    /// fsync per file would cost seconds at ten thousand files), then links each to its
    /// name and removes the temporary. A name only ever holds a whole file. A failure
    /// removes what it created before the error is thrown; a kill may leave temporaries,
    /// partly written, and while linking a file under both names: a journal names the
    /// files for recovery.
    func createFiles(_ files: [(path: String, temporary: String, contents: [UInt8])], permissions: FilePermissions)
        throws(FileSystemError)

    /// Renames `source` over `destination`, replacing it atomically.
    func rename(_ source: String, to destination: String) throws(FileSystemError)

    /// Moves `source` to `destination` only if nothing exists there (link, then unlink).
    func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError)

    /// fsyncs a directory so renames in it survive a power cut.
    func syncDirectory(at path: String) throws(FileSystemError)

    /// Removes a file; a missing file is not an error.
    func removeFile(at path: String) throws(FileSystemError)

    /// Appends whole lines to a regular file with one link (creating it with
    /// `permissions`), then fsyncs it. Refuses a link, a file with several names and a
    /// file whose last line is unterminated (appending would glue onto it); a write that
    /// fails part way is cut back, so a failure leaves no partial line.
    func appendLines(to path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError)

    /// Cuts a regular file (never through a link) to its first `size` bytes, and fsyncs it.
    func truncateFile(at path: String, toSize size: Int) throws(FileSystemError)

    /// Creates one directory; its parent must exist.
    func makeDirectory(at path: String) throws(FileSystemError)

    /// Takes an exclusive advisory lock (`flock`) on `path`, creating the file, waiting
    /// up to `timeout` seconds. Once held, the file's content is replaced by `holder`, so
    /// a run that finds it busy can say who holds it. The kernel releases the lock when
    /// the process dies, however it dies. A link, a file with several names, or a file
    /// that does not hold a ``LockHolder`` line is refused before anything is written.
    func lock(_ path: String, holder: LockHolder, timeout: Double, permissions: FilePermissions) throws(LockError)
        -> any FileLock
}

extension FileSystem {
    /// What is at `path`, without following a final symlink; nil when nothing is.
    public func kind(of path: String) -> FileKind? { status(of: path)?.kind }

    /// The whole file, following links: inputs the user names (manifests, states, keys).
    public func readFile(at path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        try readFile(at: path, maxBytes: maxBytes, followingLinks: true)
    }

    /// Checks a folder a run is about to write files into: nothing there yet, or a real
    /// folder, never a link (what is planted there must not redirect the files).
    public func requireFolderOrNothing(at path: String, operation: String) throws(FileSystemError) {
        guard let kind = kind(of: path), kind != .directory else { return }
        throw FileSystemError(
            path: path, operation: operation, reason: kind == .symlink ? .symbolicLink : .notAFolder(kind))
    }

    /// One name for a path, however it is spelled: the deepest folder of it that exists
    /// resolved on disk (links and all), the rest tidied (`.`, `..`, trailing `/`). Two
    /// spellings of one file, existing or not yet, give the same name.
    public func canonicalPath(_ path: String) -> String {
        let here = (try? resolve(".")) ?? "/"
        var existing = PathComponents.lexicallyNormal(path, in: here)
        var rest: [String] = []
        while existing != "/" {
            if let resolved = try? resolve(existing) {
                return rest.reversed().reduce(resolved) { PathComponents.join($0, $1) }
            }
            rest.append(PathComponents.fileName(of: existing))
            existing = PathComponents.directory(of: existing)
        }
        return rest.reversed().reduce("/") { PathComponents.join($0, $1) }
    }

    /// Checks a path a run is about to replace, append to or create: nothing there, or a
    /// regular file (with one name, when `singleLink`). Anything else is an error naming
    /// the path, raised before the first write, so a planted link or folder can never
    /// redirect a write.
    @discardableResult
    public func requireRegularFileOrNothing(at path: String, singleLink: Bool) throws(FileSystemError) -> FileStatus? {
        guard let status = status(of: path) else { return nil }
        switch status.kind {
        case .file: break
        case .symlink: throw FileSystemError(path: path, operation: "write", reason: .symbolicLink)
        case .directory, .other:
            throw FileSystemError(path: path, operation: "write", reason: .notARegularFile(status.kind))
        }
        if singleLink && status.linkCount > 1 {
            throw FileSystemError(path: path, operation: "write", reason: .hardLinks(status.linkCount))
        }
        return status
    }
}
