/// Writing a file so that a crash at any instant leaves either the old content or the
/// new, whole: write a temp file beside it, fsync, rename over, fsync the folder.
public struct AtomicFile: Sendable {
    public var fileSystem: any FileSystem
    public var random: any RandomSource

    public init(fileSystem: any FileSystem, random: any RandomSource) {
        self.fileSystem = fileSystem
        self.random = random
    }

    /// A fresh temp path in the same folder as `path` (same file system, so rename is atomic).
    public func temporaryPath(for path: String) -> String {
        let suffix = random.randomBytes(6).map { String($0, radix: 16) }.joined()
        return PathComponents.join(
            PathComponents.directory(of: path), ".\(PathComponents.fileName(of: path)).\(suffix).tmp")
    }

    /// Replaces (or creates) `path` with `contents`.
    public func replace(_ path: String, with contents: [UInt8], mode: UInt32 = 0o644) throws(FileSystemError) {
        let temporary = temporaryPath(for: path)
        try createTemporary(temporary, for: path, contents: contents, mode: mode)
        do {
            try fileSystem.rename(temporary, to: path)
        } catch {
            try? fileSystem.removeFile(at: temporary)
            throw error
        }
        try fileSystem.syncDirectory(at: PathComponents.directory(of: path))
    }

    /// Creates `path` with `contents`, failing if anything is already there: a sealed
    /// file or a new state is never written over an existing one.
    public func create(_ path: String, with contents: [UInt8], mode: UInt32 = 0o644) throws(FileSystemError) {
        let temporary = temporaryPath(for: path)
        try createTemporary(temporary, for: path, contents: contents, mode: mode)
        do {
            try fileSystem.moveWithoutReplacing(temporary, to: path)
        } catch {
            try? fileSystem.removeFile(at: temporary)
            throw error
        }
        try fileSystem.syncDirectory(at: PathComponents.directory(of: path))
    }

    /// Writes the temp file; a failure is reported against the file the user named.
    private func createTemporary(_ temporary: String, for path: String, contents: [UInt8], mode: UInt32)
        throws(FileSystemError)
    {
        do {
            try fileSystem.createFile(at: temporary, contents: contents, mode: mode)
        } catch {
            var named = error
            named.path = path
            named.operation = "write"
            throw named
        }
    }
}
