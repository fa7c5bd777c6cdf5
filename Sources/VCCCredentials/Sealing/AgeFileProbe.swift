import AgeEncryption

/// What recovery asks of a file before it moves or removes it, in one place: a journal
/// cannot be authenticated, so nothing is touched that is not a regular file with the
/// expected number of names holding an age file: exactly the bytes the journal names by
/// digest, or (for a temp file a kill left) an age file or the start of one.
struct AgeFileProbe {
    var fileSystem: any FileSystem

    /// The bytes of a regular file with `names` hard links, at most a sealed file's
    /// size; nil for anything else.
    func bytes(at path: String, names: Int = 1) -> [UInt8]? {
        guard let status = fileSystem.status(of: path), status.kind == .file, status.linkCount == names,
            status.size <= Unsealer.maxSealedBytes
        else { return nil }
        return try? fileSystem.readFile(at: path, maxBytes: Unsealer.maxSealedBytes, followingLinks: false)
    }

    /// An age file holding exactly the bytes whose SHA-256 is `sha256`.
    func holds(_ path: String, sha256: String, names: Int = 1) -> Bool {
        guard let bytes = bytes(at: path, names: names) else { return false }
        return Self.isAge(bytes) && Digest.sha256Hex(bytes) == sha256
    }

    /// An age file, the start of one, or nothing yet: what a write killed part way leaves.
    func isAgeOrPiece(_ path: String, names: Int = 1) -> Bool {
        guard let bytes = bytes(at: path, names: names) else { return false }
        return Self.isAgeOrPiece(bytes)
    }

    /// `temporary` is the second name of the file at `path` (a write killed between
    /// linking its temp file to the name and removing the temp name): both with two
    /// names, the same size, the bytes the journal names.
    func isSecondName(_ temporary: String, of path: String, sha256: String) -> Bool {
        guard let file = fileSystem.status(of: path), file.linkCount == 2,
            fileSystem.status(of: temporary)?.size == file.size
        else { return false }
        return holds(temporary, sha256: sha256, names: 2)
    }

    static func isAge(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Age.versionLine) }

    static func isAgeOrPiece(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Age.versionLine) || Age.versionLine.starts(with: bytes)
    }
}
