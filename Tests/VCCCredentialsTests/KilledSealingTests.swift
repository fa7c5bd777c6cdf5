import AgeEncryption
import Foundation
import Glibc
import Synchronization
import Testing
import VCCCredentials

/// An apply killed while it writes the credentials' own sealed files leaves, at most, temp
/// files (pieces or whole) and one file under both its temp name and its own: never a
/// piece at a `CLIENT-ID.age` name. The next run removes the temp files, sets aside the
/// whole files of credentials it never recorded, and names in its notes any file the
/// journal names that it cannot prove is its own.
@Suite struct KilledSealingTests {
    /// How far the killed run got with the file it was writing.
    enum Progress: CaseIterable {
        /// Half its bytes under the temp name.
        case piece
        /// All its bytes under the temp name, not linked yet.
        case wholeTemporary
        /// Linked to its name, the temp name not removed yet.
        case twoNames
    }

    /// The disk as a process killed in the middle of ``FileSystem/createFiles`` leaves it:
    /// the files before `file` whole at their names, `file` as far as `progress`, and
    /// nothing at all written after that (every later write throws, the journal's
    /// removal included, as nothing runs after a kill).
    final class KilledFileSystem: FileSystem {
        private let base = LocalFileSystem()
        private let file: Int
        private let progress: Progress
        private let dead = Mutex(false)

        init(atFile file: Int, progress: Progress) {
            self.file = file
            self.progress = progress
        }

        private func alive(_ path: String) throws(FileSystemError) {
            if dead.withLock({ $0 }) { throw FileSystemError(path: path, operation: "write", reason: .injected) }
        }

        func createFiles(_ files: [(path: String, temporary: String, contents: [UInt8])], permissions: FilePermissions)
            throws(FileSystemError)
        {
            try alive(files.first?.path ?? "")
            guard file < files.count else { return try base.createFiles(files, permissions: permissions) }
            try base.createFiles(Array(files.prefix(file)), permissions: permissions)
            let killed = files[file]
            switch progress {
            case .piece:
                try base.createFile(
                    at: killed.temporary, contents: Array(killed.contents.prefix(killed.contents.count / 2)),
                    permissions: permissions)
            case .wholeTemporary:
                try base.createFile(at: killed.temporary, contents: killed.contents, permissions: permissions)
            case .twoNames:
                try base.createFile(at: killed.temporary, contents: killed.contents, permissions: permissions)
                #expect(link(killed.temporary, killed.path) == 0)
            }
            dead.withLock { $0 = true }
            throw FileSystemError(path: killed.path, operation: "create", reason: .injected)
        }

        func status(of path: String) -> FileStatus? { base.status(of: path) }
        func readFile(at path: String, maxBytes: Int, followingLinks: Bool) throws(FileSystemError) -> [UInt8] {
            try base.readFile(at: path, maxBytes: maxBytes, followingLinks: followingLinks)
        }
        func readTail(of path: String, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
            try base.readTail(of: path, maxBytes: maxBytes)
        }
        func directoryEntries(at path: String) throws(FileSystemError) -> [String] {
            try base.directoryEntries(at: path)
        }
        func resolve(_ path: String) throws(FileSystemError) -> String { try base.resolve(path) }
        func createFile(at path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
            try alive(path)
            try base.createFile(at: path, contents: contents, permissions: permissions)
        }
        func rename(_ source: String, to destination: String) throws(FileSystemError) {
            try alive(destination)
            try base.rename(source, to: destination)
        }
        func moveWithoutReplacing(_ source: String, to destination: String) throws(FileSystemError) {
            try alive(destination)
            try base.moveWithoutReplacing(source, to: destination)
        }
        func syncDirectory(at path: String) throws(FileSystemError) {
            try alive(path)
            try base.syncDirectory(at: path)
        }
        func removeFile(at path: String) throws(FileSystemError) {
            try alive(path)
            try base.removeFile(at: path)
        }
        func appendLines(to path: String, contents: [UInt8], permissions: FilePermissions) throws(FileSystemError) {
            try alive(path)
            try base.appendLines(to: path, contents: contents, permissions: permissions)
        }
        func truncateFile(at path: String, toSize size: Int) throws(FileSystemError) {
            try alive(path)
            try base.truncateFile(at: path, toSize: size)
        }
        func makeDirectory(at path: String) throws(FileSystemError) {
            try alive(path)
            try base.makeDirectory(at: path)
        }
        func lock(_ path: String, holder: LockHolder, timeout: Double, permissions: FilePermissions) throws(LockError)
            -> any FileLock
        {
            try base.lock(path, holder: holder, timeout: timeout, permissions: permissions)
        }
    }

    typealias Account = SealedFilesFaultTests.Account

    func names(_ account: Account) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: account.path("secrets/small")))
    }

    @Test(arguments: Progress.allCases, 0..<4)
    func aKillWhileSealingLeavesNoPieceAtAClientIdName(progress: Progress, file: Int) throws {
        let account = try Account()
        let pristine = try account.bytes("state.json")
        #expect(throws: ApplyError.self) { _ = try account.apply(KilledFileSystem(atFile: file, progress: progress)) }
        #expect(try account.bytes("state.json") == pristine)
        #expect(FileManager.default.fileExists(atPath: account.path("state.json.pending")))
        // What the kill left: whole files at CLIENT-ID.age names, the killed one's temp file.
        let left = try names(account)
        #expect(left.filter { $0.hasSuffix(".age") }.count == file + (progress == .twoNames ? 1 : 0), "\(left)")
        #expect(left.filter { $0.hasSuffix(".tmp") }.count == 1, "\(left)")
        for name in left where name.hasSuffix(".age") {
            #expect(
                (try? Age.decrypt(account.bytes("secrets/small/\(name)"), identities: [account.keys["escrow"]!]))
                    != nil,
                "\(name) is whole")
        }

        let rerun = try account.apply(seed: 2)
        #expect(
            rerun.notes.map(\.message).contains(
                "recovered: removed 1 temporary sealed file left by an interrupted run"),
            "\(rerun.notes)")
        let aside = file + (progress == .twoNames ? 1 : 0)
        if aside > 0 {
            #expect(rerun.notes.contains { $0.message.contains("set aside \(aside) sealed file") }, "\(rerun.notes)")
        }
        #expect(!rerun.notes.contains { $0.message.contains("as found") }, "\(rerun.notes)")
        let final = try account.state()
        let now = try names(account)
        let setAside = now.filter { $0.hasSuffix(".interrupted.age") }
        #expect(setAside.count == aside, "\(now)")
        #expect(
            now.subtracting(setAside) == Set(final.credentials.map { "\($0.clientId).age" } + ["index.json"]), "\(now)")
        for name in setAside {
            #expect(
                (try? Age.decrypt(account.bytes("secrets/small/\(name)"), identities: [account.keys["escrow"]!]))
                    != nil,
                "\(name) is whole")
        }
        #expect(try account.leftovers().isEmpty)
    }

    /// A file at a name the journal gives a new credential, which is not what that run
    /// sealed (a piece an older vcc-creds left, or anybody's file): left alone, and named.
    @Test func aFileTheJournalNamesButDidNotWriteIsLeftAndNamed() throws {
        let account = try Account()
        #expect(throws: ApplyError.self) { _ = try account.apply(KilledFileSystem(atFile: 0, progress: .piece)) }
        let journal = String(decoding: try account.bytes("state.json.pending"), as: UTF8.self)
        let header = try #require(
            try JSONSerialization.jsonObject(with: Data(journal.split(separator: "\n")[0].utf8)) as? [String: Any])
        let files = try #require(header["files"] as? [[String: Any]])
        let named = try #require(files.first?["path"] as? String)
        let foreign = Array("age-encryption.org/v1\n-> X25519 cut short".utf8)
        try Data(foreign).write(to: URL(fileURLWithPath: named))

        let rerun = try account.apply(seed: 2)
        let shown = PathComponents.display(named, from: FileManager.default.currentDirectoryPath)
        #expect(
            rerun.notes.map(\.message).contains(
                "recovered: left \(shown) as found: an interrupted apply was to create it, but it does not hold what "
                    + "that apply sealed (remove it if nothing reads it)"
            ),
            "\(rerun.notes)")
        #expect(try account.bytes("secrets/small/\(PathComponents.fileName(of: named))") == foreign)
        #expect(try account.state().credentials.count == 4)
    }
}
