// Shared by the fuzz targets that link VCCCredentials (manifest, state, planfile).
// Not part of the package: scripts/fuzz compiles it next to each target's main.swift.

import Foundation
import VCCCredentials

/// A read-only, in-memory ``FileSystem``: the manifests a fuzz input becomes, without
/// touching the disk on every run. Every path is already canonical (no symlinks).
struct MemoryFileSystem: FileSystem {
    var files: [String: [UInt8]] = [:]
    var directories: Set<String> = ["/"]

    init(root: String, files named: [(String, [UInt8])]) {
        directories.insert(root)
        for (name, bytes) in named {
            let path = root + "/" + name
            files[path] = bytes
            var folder = path[..<path.lastIndex(of: "/")!]
            while folder.count > root.count {
                directories.insert(String(folder))
                folder = folder[..<folder.lastIndex(of: "/")!]
            }
        }
    }

    func status(of path: String) -> FileStatus? {
        if directories.contains(path) { return FileStatus(kind: .directory, permissions: 0o755, linkCount: 2, size: 0) }
        guard let bytes = files[path] else { return nil }
        return FileStatus(kind: .file, permissions: 0o644, linkCount: 1, size: bytes.count)
    }

    func readTail(of path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        Array(try readFile(at: path, maxBytes: Int.max).suffix(maxBytes))
    }

    func readFile(at path: String, maxBytes: Int, followingLinks: Bool) throws(FileSystemError) -> [UInt8] {
        guard let bytes = files[path] else { throw missing(path, "read") }
        guard bytes.count <= maxBytes else {
            throw FileSystemError(path: path, operation: "read", reason: .tooLarge(bytes: bytes.count, limit: maxBytes))
        }
        return bytes
    }

    func directoryEntries(at path: String) throws(FileSystemError) -> [String] {
        guard directories.contains(path) else { throw missing(path, "list") }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let names = (Array(files.keys) + Array(directories)).compactMap { entry -> String? in
            guard entry.hasPrefix(prefix) else { return nil }
            let rest = entry.dropFirst(prefix.count)
            guard !rest.isEmpty, !rest.contains("/") else { return nil }
            return String(rest)
        }
        return names
    }

    func resolve(_ path: String) throws(FileSystemError) -> String {
        guard kind(of: path) != nil else { throw missing(path, "resolve") }
        return path
    }

    func createFile(at path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        throw readOnly(path)
    }
    func createFiles(
        _ files: [(path: String, temporary: String, contents: [UInt8])], permissions: FilePermissions
    ) throws(FileSystemError) {
        throw readOnly(files.first?.path ?? "/")
    }
    func rename(_ source: String, to destination: String) throws(FileSystemError) { throw readOnly(source) }
    func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError) {
        throw readOnly(source)
    }
    func syncDirectory(at path: String) throws(FileSystemError) { throw readOnly(path) }
    func removeFile(at path: String) throws(FileSystemError) { throw readOnly(path) }
    func appendLines(to path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
        throw readOnly(path)
    }
    func truncateFile(at path: String, toSize size: Int) throws(FileSystemError) { throw readOnly(path) }
    func makeDirectory(at path: String) throws(FileSystemError) { throw readOnly(path) }
    func lock(_ path: String, holder: LockHolder, timeout: Double, permissions: FilePermissions) throws(LockError)
        -> any FileLock
    {
        throw .fileSystem(readOnly(path))
    }

    private func missing(_ path: String, _ operation: String) -> FileSystemError {
        FileSystemError(
            path: path, operation: operation, reason: .system(code: 2, message: "No such file or directory"))
    }

    private func readOnly(_ path: String) -> FileSystemError {
        FileSystemError(path: path, operation: "write", reason: .injected)
    }
}

/// The example account (examples/acme/state.json and manifests/), embedded by
/// scripts/fuzz at build time (FuzzFixtures.swift, generated), decoded once.
enum Example {
    static let state: State = {
        do {
            return try StateCodec.decode(decode(FuzzFixtures.stateBase64), file: "examples/acme/state.json")
        } catch {
            fatalError("fuzz fixture examples/acme/state.json does not decode: \(error)")
        }
    }()

    static let desired: Desired = {
        let files = FuzzFixtures.manifestsBase64.map { ($0.name, decode($0.base64)) }
        do {
            return try ManifestLoader(fileSystem: MemoryFileSystem(root: "/manifests", files: files))
                .load(directory: "/manifests")
        } catch {
            fatalError("fuzz fixture manifests/ do not load: \(error)")
        }
    }()

    private static func decode(_ base64: String) -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else { fatalError("bad base64 in FuzzFixtures.swift") }
        return [UInt8](data)
    }
}

/// A property that must hold for every input; a failure aborts, so libFuzzer saves the
/// input as a crash. Used for round trips the docs promise, not just "does not crash".
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz invariant failed: \(message())\n".utf8))
        abort()
    }
}

/// Every diagnostic of a refusal points into the input: a file that was read (or the
/// manifests folder), and a line and column that exist there. A diagnostic pointing
/// elsewhere sends the person fixing the input to the wrong place.
func checkLocations(_ error: DiagnosticsError, files: [String: [UInt8]], folder: String? = nil) {
    invariant(!error.diagnostics.isEmpty, "input refused without a diagnostic")
    for diagnostic in error.diagnostics {
        guard let location = diagnostic.location else { continue }
        if location.file == folder { continue }
        guard let bytes = files[location.file] else {
            invariant(false, "diagnostic names a file that was not read: \(diagnostic)")
            return
        }
        guard let mark = location.mark else { continue }
        invariant(mark.line >= 1 && mark.column >= 1, "diagnostic before the start of its file: \(diagnostic)")
        // libyaml places the end of a stream that lacks a final line break at the start
        // of the line after the last (as PyYAML does): "a.yaml:2:1" for an unclosed "[".
        let lines = lineBreaks(in: bytes) + 1
        let endOfStream = mark.line == lines + 1 && mark.column == 1
        invariant(
            (mark.line <= lines || endOfStream) && mark.column <= bytes.count + 1,
            "diagnostic after the end of its file (\(bytes.count) bytes, \(lines) lines): \(diagnostic)")
    }
}

/// Line breaks as YAML and JSON readers may count them: LF, CR not before LF, and the
/// Unicode breaks (NEL, LS, PS), so the bound is generous.
private func lineBreaks(in bytes: [UInt8]) -> Int {
    var count = 0
    var index = 0
    while index < bytes.count {
        switch bytes[index] {
        case 0x0A: count += 1
        case 0x0D where index + 1 >= bytes.count || bytes[index + 1] != 0x0A: count += 1
        case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: count += 1
        case 0xE2
        where index + 2 < bytes.count && bytes[index + 1] == 0x80
            && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
            count += 1
        default: break
        }
        index += 1
    }
    return count
}

/// Renders a plan in every format, the way `plan` and `show` do.
func renderAll(_ document: PlanDocument) {
    for format in PlanFormat.allCases {
        _ = PlanPipeline.render(document, format: format, style: TextStyle(enabled: format == .text))
    }
}
