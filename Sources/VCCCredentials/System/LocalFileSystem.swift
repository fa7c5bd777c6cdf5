import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real disk, through POSIX calls, so every fsync and rename is the one we asked for.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func kind(of path: String) -> FileKind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    public func readFile(at path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "read") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, "read") }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw FileSystemError(path: path, operation: "read", reason: .system(code: EISDIR, message: "is a directory"))
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            throw FileSystemError(path: path, operation: "read", reason: .tooLarge(bytes: size, limit: maxBytes))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "read")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxBytes else {
                throw FileSystemError(
                    path: path, operation: "read", reason: .tooLarge(bytes: bytes.count, limit: maxBytes))
            }
        }
        return bytes
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

    public func createFile(at path: String, contents: [UInt8], mode: UInt32) throws(FileSystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw failure(path, "create") }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure(path, "write")
                close(descriptor)
                unlink(path)
                throw error
            }
            written += count
        }
        if fsync(descriptor) != 0 {
            let error = failure(path, "sync")
            close(descriptor)
            unlink(path)
            throw error
        }
        if close(descriptor) != 0 {
            let error = failure(path, "close")
            unlink(path)
            throw error
        }
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        #if canImport(Glibc) || canImport(Musl)
            let result = Glibc.rename(source, destination)
        #else
            let result = Darwin.rename(source, destination)
        #endif
        guard result == 0 else { throw failure(destination, "rename \(source) to") }
    }

    public func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError) {
        guard link(source, destination) == 0 else { throw failure(destination, "create") }
        unlink(source)
    }

    public func syncDirectory(at path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "open directory") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(path, "sync directory") }
    }

    public func removeFile(at path: String) throws(FileSystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure(path, "remove") }
    }

    public func appendToFile(at path: String, contents: [UInt8], mode: UInt32) throws(FileSystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw failure(path, "open for append") }
        defer { close(descriptor) }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "append to")
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw failure(path, "sync") }
    }

    public func createDirectory(at path: String) throws(FileSystemError) {
        if kind(of: path) == .directory { return }
        let parent = PathComponents.directory(of: path)
        if parent != path && parent != "." && parent != "/" && kind(of: parent) == nil {
            try createDirectory(at: parent)
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure(path, "create directory") }
    }

    public func lock(_ path: String, holder: [UInt8], timeout: Double) throws(LockError) -> any FileLock {
        let deadline = Self.monotonicSeconds() + max(0, timeout)
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .fileSystem(failure(path, "open lock file")) }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    let error = failure(path, "lock")
                    close(descriptor)
                    throw .fileSystem(error)
                }
                if Self.monotonicSeconds() >= deadline {
                    let current = (try? readFile(at: path, maxBytes: 4096)) ?? []
                    close(descriptor)
                    throw .busy(path: path, holder: String(decoding: current, as: UTF8.self))
                }
                usleep(100_000)
            }
            // The holder before us removes the file when it is done; if the path no longer
            // names the file we locked, we locked a removed file: start again.
            var held = stat()
            var named = stat()
            guard fstat(descriptor, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino,
                held.st_dev == named.st_dev
            else {
                close(descriptor)
                continue
            }
            guard ftruncate(descriptor, 0) == 0 else {
                let error = failure(path, "write lock file")
                close(descriptor)
                throw .fileSystem(error)
            }
            _ = holder.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return HeldLock(descriptor: descriptor, path: path)
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private func failure(_ path: String, _ operation: String) -> FileSystemError {
        let code = errno
        let message = String(cString: strerror(code))
        return FileSystemError(path: path, operation: operation, reason: .system(code: code, message: message))
    }
}

/// An open, flocked lock file. Release removes the file (while still holding the lock,
/// so a waiter that locked the old file notices and retries), then closes it. A process
/// that dies leaves the file behind, unlocked: the next run takes it.
private final class HeldLock: FileLock {
    private let descriptor: Mutex<Int32>
    private let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = Mutex(descriptor)
        self.path = path
    }

    func release() {
        descriptor.withLock { value in
            guard value >= 0 else { return }
            unlink(path)
            flock(value, LOCK_UN)
            close(value)
            value = -1
        }
    }

    deinit { release() }
}
