/// Writing a file so that a crash at any instant leaves either the old content or the
/// new, whole: write a temp file beside it, fsync, rename over, fsync the folder.
public struct AtomicFile: Sendable {
    public var fileSystem: any FileSystem
    public var random: any RandomSource

    public init(fileSystem: any FileSystem, random: any RandomSource) {
        self.fileSystem = fileSystem
        self.random = random
    }

    /// A fresh temp path in the same folder as `path` (same file system, so rename is
    /// atomic): `.NAME.HEX.tmp`.
    public func temporaryPath(for path: String) -> String {
        let suffix = random.randomBytes(6).map { String($0, radix: 16) }.joined()
        return PathComponents.join(
            PathComponents.directory(of: path), ".\(PathComponents.fileName(of: path)).\(suffix).tmp")
    }

    /// Temp files that writes of `paths` (all in one folder) left behind, a run killed
    /// before its rename: regular files named as ``temporaryPath(for:)`` names them,
    /// nothing else.
    public func leftoverTemporaries(of paths: [String]) -> [String] {
        leftovers(of: paths).map(\.temporary)
    }

    /// ``leftoverTemporaries(of:)``, each with the path it was the temp file of. One
    /// pass over the folder, whatever the number of paths.
    public func leftovers(of paths: [String]) -> [(temporary: String, path: String)] {
        guard let first = paths.first else { return [] }
        let folder = PathComponents.directory(of: first)
        let wanted = Dictionary(
            paths.map { (PathComponents.fileName(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        guard let names = try? fileSystem.directoryEntries(at: folder) else { return [] }
        return names.sorted().compactMap { name -> (temporary: String, path: String)? in
            // `.NAME.HEX.tmp`: the hex part has no dot, so NAME is all before the last one
            // (`.state.json.backup.HEX.tmp` is the backup's, not the state's).
            guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
            let inner = name.dropFirst().dropLast(4)
            guard let dot = inner.lastIndex(of: ".") else { return nil }
            let hex = inner[inner.index(after: dot)...]
            guard (1...12).contains(hex.utf8.count), hex.utf8.allSatisfy(Identifiers.isLowercaseHex),
                let path = wanted[String(inner[..<dot])]
            else { return nil }
            let candidate = PathComponents.join(folder, name)
            return fileSystem.kind(of: candidate) == .file ? (candidate, path) : nil
        }
    }

    /// True for a name shaped like a temp file (`.NAME.tmp`): sweeps remove these, so
    /// nothing that must last is given such a name.
    public static func looksTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp")
    }

    /// Replaces (or creates) `path` with `contents`.
    public func replace(_ path: String, with contents: [UInt8], permissions: FilePermissions = .new(0o644))
        throws(FileSystemError)
    {
        try write(path, contents: contents, permissions: permissions) { (temporary) throws(FileSystemError) in
            try fileSystem.rename(temporary, to: path)
        }
    }

    /// Creates `path` with `contents`, failing if anything is already there: a sealed
    /// file or a new state is never written over an existing one.
    public func create(_ path: String, with contents: [UInt8], permissions: FilePermissions = .new(0o644))
        throws(FileSystemError)
    {
        try write(path, contents: contents, permissions: permissions) { (temporary) throws(FileSystemError) in
            try fileSystem.moveWithoutReplacing(temporary, to: path)
        }
    }

    /// A synced temp file beside `path`, given its name by `move`, then the folder synced;
    /// a failed move leaves no temp file behind.
    private func write(
        _ path: String, contents: [UInt8], permissions: FilePermissions,
        move: (String) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        let temporary = temporaryPath(for: path)
        try createTemporary(temporary, for: path, contents: contents, permissions: permissions)
        do {
            try move(temporary)
        } catch {
            try? fileSystem.removeFile(at: temporary)
            throw error
        }
        try fileSystem.syncDirectory(at: PathComponents.directory(of: path))
    }

    /// Creates `folder` and its missing parents, one level at a time, fsyncing each
    /// parent after its new entry so every level survives a power cut.
    public func createDirectories(_ folder: String) throws(FileSystemError) {
        var missing: [String] = []
        var current = folder
        while current != "." && current != "/" && !current.isEmpty && fileSystem.kind(of: current) == nil {
            missing.append(current)
            current = PathComponents.directory(of: current)
        }
        for level in missing.reversed() {
            try fileSystem.makeDirectory(at: level)
            try fileSystem.syncDirectory(at: PathComponents.directory(of: level))
        }
    }

    /// Writes the temp file; a failure is reported against the file the user named.
    private func createTemporary(_ temporary: String, for path: String, contents: [UInt8], permissions: FilePermissions)
        throws(FileSystemError)
    {
        do {
            try fileSystem.createFile(at: temporary, contents: contents, permissions: permissions)
        } catch {
            var named = error
            named.path = path
            named.operation = "write"
            throw named
        }
    }
}
