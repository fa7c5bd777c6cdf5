import CVCCSystem
import Glibc
import Synchronization

/// The real disk, through POSIX calls, so every fsync and rename is the one we asked for.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func status(of path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.status(info)
    }

    public func readFile(at path: String, maxBytes: Int, followingLinks: Bool) throws(FileSystemError) -> [UInt8] {
        let descriptor = try open(path, O_RDONLY | (followingLinks ? 0 : O_NOFOLLOW), operation: "read")
        defer { close(descriptor) }
        let info = try fileStatus(descriptor, path, "read")
        if info.kind == .directory {
            throw FileSystemError(
                path: path, operation: "read", reason: .system(code: EISDIR, message: "is a directory"))
        }
        guard info.size <= maxBytes else {
            throw FileSystemError(path: path, operation: "read", reason: .tooLarge(bytes: info.size, limit: maxBytes))
        }
        return try FileDescriptorIO.readAll(
            descriptor, maxBytes: maxBytes, reservingCapacity: info.size + 1, path: path)
    }

    public func readTail(of path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        let descriptor = try open(path, O_RDONLY | O_NOFOLLOW, operation: "read")
        defer { close(descriptor) }
        let info = try fileStatus(descriptor, path, "read")
        guard info.kind == .file else {
            throw FileSystemError(path: path, operation: "read", reason: .notARegularFile(info.kind))
        }
        let count = min(info.size, maxBytes)
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(info.size - count + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure(path, "read")
            }
            if got == 0 { break }
            done += got
        }
        return Array(bytes[0..<done])
    }

    public func directoryEntries(at path: String) throws(FileSystemError) -> [String] {
        guard let directory = opendir(path) else { throw failure(path, "list") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func resolve(_ path: String) throws(FileSystemError) -> String {
        guard let resolved = realpath(path, nil) else { throw failure(path, "resolve") }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func createFile(at path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        // O_EXCL fails on anything at the path, a dangling link included: nothing is followed.
        let descriptor = try open(
            path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: permissions.bits, operation: "create")
        func fail(_ operation: String) -> FileSystemError {
            let error = failure(path, operation)
            close(descriptor)
            unlink(path)
            return error
        }
        // The umask may have taken bits away; a file replacing another gets them all back.
        if case .kept(let bits) = permissions, fchmod(descriptor, mode_t(bits)) != 0 { throw fail("set the mode of") }
        do {
            try FileDescriptorIO.writeAll(contents, to: descriptor, path: path, operation: "write")
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        if fsync(descriptor) != 0 { throw fail("sync") }
        if close(descriptor) != 0 {
            let error = failure(path, "close")
            unlink(path)
            throw error
        }
    }

    public func createFiles(
        _ files: [(path: String, temporary: String, contents: [UInt8])], permissions: FilePermissions
    ) throws(FileSystemError) {
        var written: [String] = []
        var linked: [String] = []
        written.reserveCapacity(files.count)
        func undo() {
            for path in linked { unlink(path) }
            for path in written { unlink(path) }
        }
        for file in files {
            let descriptor: Int32
            do {
                descriptor = try open(
                    file.temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: permissions.bits,
                    operation: "create")
            } catch {
                undo()
                throw error
            }
            written.append(file.temporary)
            do throws(FileSystemError) {
                if case .kept(let bits) = permissions, fchmod(descriptor, mode_t(bits)) != 0 {
                    throw failure(file.temporary, "set the mode of")
                }
                try FileDescriptorIO.writeAll(file.contents, to: descriptor, path: file.temporary, operation: "write")
            } catch {
                close(descriptor)
                undo()
                throw error
            }
            if close(descriptor) != 0 {
                let error = failure(file.temporary, "close")
                undo()
                throw error
            }
        }
        let folders = Set(files.map { PathComponents.directory(of: $0.path) }).sorted()
        func syncFolders(fileSystemToo: Bool) throws(FileSystemError) {
            for folder in folders {
                do throws(FileSystemError) {
                    let descriptor = try open(folder, O_RDONLY | O_DIRECTORY, operation: "open directory")
                    defer { close(descriptor) }
                    if fileSystemToo && vcc_syncfs(descriptor) != 0 {
                        throw failure(folder, "sync the file system of")
                    }
                    if fsync(descriptor) != 0 { throw failure(folder, "sync directory") }
                } catch {
                    undo()
                    throw error
                }
            }
        }
        // The bytes are on disk before any file gets its name: a name never holds a piece.
        try syncFolders(fileSystemToo: true)
        for file in files {
            // link() fails on anything at the name, a dangling link included.
            guard link(file.temporary, file.path) == 0 else {
                let error = failure(file.path, "create")
                undo()
                throw error
            }
            linked.append(file.path)
            unlink(file.temporary)
        }
        written.removeAll()
        try syncFolders(fileSystemToo: false)
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        let result = Glibc.rename(source, destination)
        guard result == 0 else { throw failure(destination, "rename \(source) to") }
    }

    public func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError) {
        guard link(source, destination) == 0 else { throw failure(destination, "create") }
        unlink(source)
    }

    public func syncDirectory(at path: String) throws(FileSystemError) {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(path, "sync directory") }
    }

    public func removeFile(at path: String) throws(FileSystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure(path, "remove") }
    }

    public func appendLines(to path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        let descriptor = try open(
            path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK, mode: permissions.bits,
            operation: "open for append")
        defer { close(descriptor) }
        let info = try fileStatus(descriptor, path, "append to")
        try Self.requireSingleRegularFile(info, path)
        if info.size > 0 {
            var last: UInt8 = 0
            guard pread(descriptor, &last, 1, off_t(info.size - 1)) == 1 else { throw failure(path, "read") }
            guard last == UInt8(ascii: "\n") else {
                throw FileSystemError(path: path, operation: "append to", reason: .unterminatedLastLine)
            }
        }
        do {
            try FileDescriptorIO.writeAll(contents, to: descriptor, path: path, operation: "append to")
        } catch {
            // Under the caller's lock nobody else appends: cutting back to the old size
            // removes exactly what this write added.
            _ = ftruncate(descriptor, off_t(info.size))
            _ = fsync(descriptor)
            throw error
        }
        guard fsync(descriptor) == 0 else { throw failure(path, "sync") }
    }

    public func truncateFile(at path: String, toSize size: Int) throws(FileSystemError) {
        let descriptor = try open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK, operation: "open")
        defer { close(descriptor) }
        try Self.requireSingleRegularFile(try fileStatus(descriptor, path, "truncate"), path)
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw failure(path, "truncate") }
        guard fsync(descriptor) == 0 else { throw failure(path, "sync") }
    }

    public func makeDirectory(at path: String) throws(FileSystemError) {
        guard mkdir(path, 0o755) == 0 else { throw failure(path, "create directory") }
    }

    public func lock(_ path: String, holder: LockHolder, timeout: Double, permissions: FilePermissions)
        throws(LockError)
        -> any FileLock
    {
        let deadline = Self.monotonicSeconds() + max(0, timeout)
        while true {
            // Never through a link, never blocking on a FIFO planted at the path.
            let descriptor: Int32
            do {
                descriptor = try open(
                    path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, mode: permissions.bits,
                    operation: "open lock file")
            } catch {
                throw .fileSystem(error)
            }
            var held = stat()
            do {
                held = try Self.recognizedLockFile(descriptor, path)
            } catch {
                close(descriptor)
                throw .fileSystem(error)
            }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    let error = failure(path, "lock")
                    close(descriptor)
                    throw .fileSystem(error)
                }
                if Self.monotonicSeconds() >= deadline {
                    let current = Self.holderLine(descriptor)
                    close(descriptor)
                    throw .busy(path: path, holder: String(decoding: current, as: UTF8.self))
                }
                usleep(100_000)
            }
            // The holder before us removes the file when it is done; if the path no longer
            // names the file we locked, we locked a removed file: start again.
            var named = stat()
            guard lstat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev else {
                close(descriptor)
                continue
            }
            // Checked again under the lock: a link made while we waited is refused too.
            do {
                _ = try Self.recognizedLockFile(descriptor, path)
            } catch {
                flock(descriptor, LOCK_UN)
                close(descriptor)
                throw .fileSystem(error)
            }
            guard ftruncate(descriptor, 0) == 0 else {
                let error = failure(path, "write lock file")
                close(descriptor)
                throw .fileSystem(error)
            }
            _ = Array(holder.line.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return HeldLock(descriptor: descriptor, path: path, device: held.st_dev, inode: held.st_ino)
        }
    }

    // MARK: - Helpers

    /// The lock file's `fstat`, if it is one: a regular file with one name that is empty
    /// or holds a holder's line.
    private static func recognizedLockFile(_ descriptor: Int32, _ path: String) throws(FileSystemError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .fromErrno(path: path, operation: "lock") }
        try requireSingleRegularFile(status(info), path)
        guard Int(info.st_size) <= LockHolder.maxBytes,
            LockHolder.recognizes(contents(descriptor, limit: LockHolder.maxBytes))
        else { throw FileSystemError(path: path, operation: "lock", reason: .notALockFile) }
        return info
    }

    private static func requireSingleRegularFile(_ info: FileStatus, _ path: String) throws(FileSystemError) {
        guard info.kind == .file else {
            throw FileSystemError(path: path, operation: "write", reason: .notARegularFile(info.kind))
        }
        guard info.linkCount == 1 else {
            throw FileSystemError(path: path, operation: "write", reason: .hardLinks(info.linkCount))
        }
    }

    /// The busy lock's holder line. A holder writes it just after taking the lock, so a
    /// run that loses the race by microseconds can find the file still empty: it waits
    /// up to a second for the line rather than report the holder unknown. A holder that
    /// died before writing stays empty, and is reported as unknown.
    private static func holderLine(_ descriptor: Int32) -> [UInt8] {
        let patience = monotonicSeconds() + 1
        while true {
            let current = contents(descriptor, limit: LockHolder.maxBytes)
            if !current.isEmpty || monotonicSeconds() >= patience { return current }
            usleep(10_000)
        }
    }

    /// Up to `limit` bytes from the start of an open file.
    private static func contents(_ descriptor: Int32, limit: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, limit, 0) }
        return count > 0 ? Array(bytes[0..<count]) : []
    }

    private static func status(_ info: stat) -> FileStatus {
        let kind: FileKind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        return FileStatus(
            kind: kind, permissions: UInt32(info.st_mode & 0o7777), linkCount: Int(info.st_nlink),
            size: Int(info.st_size))
    }

    /// `open(2)`, with a symlink refused by `O_NOFOLLOW` reported as such.
    private func open(_ path: String, _ flags: Int32, mode: UInt32 = 0, operation: String) throws(FileSystemError)
        -> Int32
    {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC | O_NOCTTY, mode_t(mode))
        guard descriptor >= 0 else {
            if errno == ELOOP && flags & O_NOFOLLOW != 0 {
                throw FileSystemError(path: path, operation: operation, reason: .symbolicLink)
            }
            throw failure(path, operation)
        }
        return descriptor
    }

    private func fileStatus(_ descriptor: Int32, _ path: String, _ operation: String) throws(FileSystemError)
        -> FileStatus
    {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, operation) }
        return Self.status(info)
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private func failure(_ path: String, _ operation: String) -> FileSystemError {
        .fromErrno(path: path, operation: operation)
    }
}

/// An open, flocked lock file. Release removes the file (while still holding the lock,
/// so a waiter that locked the old file notices and retries) if the path still names
/// the file that was locked, then closes it. A process that dies leaves the file
/// behind, unlocked: the next run takes it.
private final class HeldLock: FileLock {
    private let descriptor: Mutex<Int32>
    private let path: String
    private let device: dev_t
    private let inode: ino_t

    init(descriptor: Int32, path: String, device: dev_t, inode: ino_t) {
        self.descriptor = Mutex(descriptor)
        self.path = path
        self.device = device
        self.inode = inode
    }

    func release() {
        descriptor.withLock { value in
            guard value >= 0 else { return }
            var named = stat()
            if lstat(path, &named) == 0, named.st_dev == device, named.st_ino == inode { unlink(path) }
            flock(value, LOCK_UN)
            close(value)
            value = -1
        }
    }

    deinit { release() }
}
