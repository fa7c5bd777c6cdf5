import AgeEncryption
import StrictJSON

/// Finishing or undoing an interrupted apply from its journal, under the state lock.
///
/// It acts only on a journal that matches the state exactly: same lineage, and the
/// state (serial and bytes) is either the one the apply started from (not committed:
/// the sealed file, if it is the one the journal names by digest, is set aside) or the
/// one it committed (the missing audit lines, which must describe that state, are
/// appended once each). Anything else is an error that says what was found; nothing is
/// renamed or appended.
///
/// A journal cannot be authenticated (there is no secret to sign it with), so what a
/// forged one can make recovery do is kept small: rename one age file, in its folder,
/// to `NAME.interrupted.age`; remove temp files (`.NAME.HEX.tmp`, empty or holding age
/// bytes) beside it and beside the files it names; set
/// aside, the same way, the `CLIENT-ID.age` files it names, by digest, for client IDs
/// the state does not have; remove the `CLIENT-ID.age.rekey` files it names beside
/// sealed files of the state's credentials, or (once the state is committed) rename
/// them, by digest and age header, over those files; rewrite an existing folder's
/// `index.json` that is this state's index (or beside files the journal names, by
/// digest), never one of the state's files; append audit lines that agree with the
/// committed state. Nothing else is overwritten or deleted; a journal naming anything
/// else is refused.
struct ApplyRecovery {
    var environment: SystemEnvironment

    private var fileSystem: any FileSystem { environment.fileSystem }
    private var atomicFile: AtomicFile { AtomicFile(fileSystem: fileSystem, random: environment.random) }

    /// Largest journal read: audit lines of the largest apply, and a header.
    static let maxJournalBytes = PlanFile.maxBytes

    /// Notes for the user about what was recovered; empty when there was no journal.
    func recover(_ loaded: StateStore.Loaded, permissions: FilePermissions) throws -> [String] {
        let journalPath = ApplyJournal.path(for: loaded.path)
        guard fileSystem.kind(of: journalPath) != nil else { return [] }
        let journal: ApplyJournal
        do {
            let bytes = try fileSystem.readFile(at: journalPath, maxBytes: Self.maxJournalBytes, followingLinks: false)
            journal = try ApplyJournal.decode(bytes, file: journalPath)
        } catch let error as FileSystemError {
            throw ApplyError.fileSystem(error)
        }
        guard journal.lineage == loaded.state.lineage else {
            throw ApplyError.journalMismatch(
                journal: journalPath, .otherLineage(journal: journal.lineage, state: loaded.state.lineage))
        }
        var notes: [String]
        do {
            if loaded.sha256 == journal.next.sha256 && loaded.state.serial == journal.next.serial {
                if let problem = AuditLog.mismatch(journal.auditLines, serial: journal.next.serial, state: loaded.state)
                {
                    throw ApplyError.journalMismatch(journal: journalPath, .auditLines(problem))
                }
                notes = try finishSealedFiles(
                    journal, state: loaded.state, statePath: loaded.path, permissions: permissions,
                    journalPath: journalPath)
                notes += try removeTemporariesOfNewFiles(journal)
                notes += try completeAudit(journal, statePath: loaded.path, permissions: permissions)
            } else if loaded.sha256 == journal.previous.sha256 && loaded.state.serial == journal.previous.serial {
                if let problem = Self.sealedFilesProblem(journal, state: loaded.state, committed: false) {
                    throw ApplyError.journalMismatch(journal: journalPath, .sealedFiles(problem))
                }
                // Temp files first: one killed between link and unlink gives its file a
                // second name, and only a file with one name is set aside.
                notes = try removeTemporariesOfNewFiles(journal)
                notes += try setAsideSealedFile(journal)
                notes += try removeUncommittedFiles(journal, state: loaded.state, journalPath: journalPath)
            } else {
                throw ApplyError.journalMismatch(
                    journal: journalPath,
                    .stateReplaced(
                        from: journal.previous.serial, to: journal.next.serial, state: loaded.path,
                        now: loaded.state.serial,
                        sealed: journal.sealed.map {
                            PathComponents.display($0.path, from: try? fileSystem.resolve("."))
                        }))
            }
            notes += try removeTemporaries(of: journal.sealed?.path)
            try fileSystem.removeFile(at: journalPath)
        } catch let error as FileSystemError {
            throw ApplyError.fileSystem(error)
        }
        if notes.isEmpty {
            notes.append("recovered: removed the journal of an interrupted apply that had changed nothing")
        }
        return notes
    }

    /// Why the sealed files a journal names cannot be the ones a run of this state
    /// wrote, or nil. Each must be `CLIENT-ID.age` (a staged one `CLIENT-ID.age.rekey`
    /// beside it) in one folder with the index: a new file for a client ID the state
    /// does not have (`committed`: has), a replaced one for a credential the state
    /// records a sealed file of. A forged journal can name nothing else.
    static func sealedFilesProblem(_ journal: ApplyJournal, state: State, committed: Bool) -> String? {
        let sealed = Set(state.credentials.lazy.filter { $0.sealedTo != nil }.map(\.clientId))
        let known = Set(state.credentials.map(\.clientId))
        var folders = Set<String>()
        func clientId(_ path: String) -> String? {
            let name = PathComponents.fileName(of: path)
            guard name.hasSuffix(".age") else { return nil }
            let id = String(name.dropLast(4))
            return Identifiers.isLowercaseUUID(id) ? id : nil
        }
        for file in journal.files {
            guard let id = clientId(file.path) else { return "\(file.path) is not named CLIENT-ID.age" }
            if committed ? !sealed.contains(id) : known.contains(id) {
                return "\(file.path) is not a new credential's file"
            }
            folders.insert(PathComponents.directory(of: file.path))
        }
        for file in journal.replaced {
            guard let id = clientId(file.path), file.staged == StateTransaction.stagedPath(for: file.path) else {
                return "\(file.staged) is not a staged CLIENT-ID.age.rekey beside its file"
            }
            if !sealed.contains(id) { return "\(file.path) is not the sealed file of a credential of the state" }
            folders.insert(PathComponents.directory(of: file.path))
        }
        if let index = journal.index {
            guard PathComponents.fileName(of: index) == SealedIndex.fileName else {
                return "\(index) is not an index.json"
            }
            folders.insert(PathComponents.directory(of: index))
        }
        // The bundle is never a credential's own file, nor an index.
        if let bundle = journal.sealed?.path {
            if let id = clientId(bundle), known.contains(id) {
                return "\(bundle) is a credential's own sealed file, not a bundle"
            }
            if PathComponents.fileName(of: bundle) == SealedIndex.fileName {
                return "\(bundle) is an index, not a bundle"
            }
        }
        return folders.count > 1 ? "its sealed files are in more than one folder" : nil
    }

    /// The state was committed: each staged replacement renamed over its sealed file
    /// (it must be the one the journal names by digest, or already in place), then the
    /// index rewritten from the state.
    private func finishSealedFiles(
        _ journal: ApplyJournal, state: State, statePath: String, permissions: FilePermissions, journalPath: String
    ) throws -> [String] {
        if let problem = Self.sealedFilesProblem(journal, state: state, committed: true) {
            throw ApplyError.journalMismatch(journal: journalPath, .sealedFiles(problem))
        }
        let probe = AgeFileProbe(fileSystem: fileSystem)
        func holds(_ path: String, _ digest: String) -> Bool { probe.holds(path, sha256: digest) }
        var moves: [ApplyJournal.Replacement] = []
        for file in journal.replaced {
            if holds(file.staged, file.sha256) {
                moves.append(file)
            } else if !holds(file.path, file.sha256) {
                // Neither staged nor in place: the state would name readers its file is not for.
                throw ApplyError.journalMismatch(
                    journal: journalPath,
                    .sealedFiles(
                        "\(file.path) holds neither the rekeyed bytes nor is "
                            + "\(PathComponents.fileName(of: file.staged)) there to put in place"
                    ))
            }
        }
        if let index = journal.index {
            try checkIndex(
                index, journal: journal, state: state, statePath: statePath, journalPath: journalPath, holds: holds)
            for leftover in atomicFile.leftoverTemporaries(of: [index]) { try fileSystem.removeFile(at: leftover) }
        }
        try StateTransaction(environment: environment).finishSealedWrites(
            renaming: moves.map(\.path), replaced: journal.replaced.map(\.path),
            index: journal.index.map { .init(path: $0, bytes: SealedIndex.encode(state)) }, permissions: permissions)
        guard !moves.isEmpty else { return [] }
        return [
            "recovered: put \(moves.count) rekeyed sealed file\(moves.count == 1 ? "" : "s") in place, which an "
                + "interrupted run had committed"
        ]
    }

    /// The index a committed journal names is rewritten only where this account keeps
    /// its sealed files: a real folder (never created here) that already holds this
    /// state's index, or the files the journal names; never one of the state's files.
    private func checkIndex(
        _ index: String, journal: ApplyJournal, state: State, statePath: String, journalPath: String,
        holds: (String, String) -> Bool
    ) throws {
        func refuse(_ problem: String) -> ApplyError { .journalMismatch(journal: journalPath, .sealedFiles(problem)) }
        let folder = PathComponents.directory(of: index)
        guard fileSystem.kind(of: folder) == .directory else { throw refuse("\(folder) is not a folder") }
        try fileSystem.requireRegularFileOrNothing(at: index, singleLink: true)
        if StateStore.isSideFile(index, of: statePath, fileSystem: fileSystem) {
            throw refuse("\(index) is one of the state's own files")
        }
        let ours =
            journal.files.contains { holds($0.path, $0.sha256) }
            || journal.replaced.contains { holds($0.path, $0.sha256) || holds($0.staged, $0.sha256) }
        guard !ours else { return }
        guard let bytes = try? fileSystem.readFile(at: index, maxBytes: PlanFile.maxBytes, followingLinks: false),
            let owner = SealedIndex.owner(of: bytes), owner.lineage == state.lineage, owner.account == state.account.id
        else { throw refuse("\(index) is not this state's sealed-output index") }
    }

    /// The state was not committed. The new per-credential files the journal names hold
    /// secrets of credentials that were never recorded: each that is whole (by digest) is
    /// set aside as `CLIENT-ID.interrupted.age`, never deleted. The staged
    /// replacements are new bytes for files that keep their old ones: removed.
    private func removeUncommittedFiles(_ journal: ApplyJournal, state: State, journalPath: String) throws -> [String] {
        guard !journal.files.isEmpty || !journal.replaced.isEmpty else { return [] }
        if let problem = Self.sealedFilesProblem(journal, state: state, committed: false) {
            throw ApplyError.journalMismatch(journal: journalPath, .sealedFiles(problem))
        }
        let probe = AgeFileProbe(fileSystem: fileSystem)
        var setAside = 0
        var removed = 0
        var unproven: [String] = []
        for file in journal.files where fileSystem.status(of: file.path) != nil {
            guard probe.holds(file.path, sha256: file.sha256) else {
                unproven.append(file.path)
                continue
            }
            try fileSystem.moveWithoutReplacing(file.path, to: try freeSetAsidePath(for: file.path))
            setAside += 1
        }
        for file in journal.replaced where probe.isAgeOrPiece(file.staged) {
            try fileSystem.removeFile(at: file.staged)
            removed += 1
        }
        let folders = Set((journal.files.map(\.path) + journal.replaced.map(\.path)).map(PathComponents.directory(of:)))
        for folder in folders.sorted() where fileSystem.kind(of: folder) == .directory {
            try fileSystem.syncDirectory(at: folder)
        }
        var notes: [String] = []
        if setAside > 0 {
            notes.append(
                "recovered: set aside \(setAside) sealed file\(setAside == 1 ? "" : "s") of credentials an "
                    + "interrupted apply never recorded, as CLIENT-ID.interrupted.age"
            )
        }
        if let first = unproven.first {
            let here = try? fileSystem.resolve(".")
            let more = unproven.count > 1 ? " and \(unproven.count - 1) more" : ""
            notes.append(
                "recovered: left \(PathComponents.display(first, from: here))\(more) as found: an interrupted apply "
                    + "was to create it, but it does not hold what that apply sealed (remove it if nothing reads it)"
            )
        }
        if removed > 0 {
            notes.append(
                "recovered: removed \(removed) staged file\(removed == 1 ? "" : "s") of an interrupted rekey that "
                    + "never committed; the sealed files are as they were"
            )
        }
        return notes
    }

    /// The state was committed: append the audit lines the log does not have yet, after
    /// cutting a torn piece of one of them, so each is there once and whole.
    private func completeAudit(_ journal: ApplyJournal, statePath: String, permissions: FilePermissions)
        throws -> [String]
    {
        let lines = journal.auditLines
        guard !lines.isEmpty else { return [] }
        let auditPath = AuditLog.path(for: statePath)
        let existing = try fileSystem.requireRegularFileOrNothing(at: auditPath, singleLink: true)
        let tail =
            existing == nil ? [] : try fileSystem.readTail(of: auditPath, maxBytes: AuditLog.tailBytes(for: lines))
        let missing: [UInt8]
        var repaired = ""
        switch AuditLog.completion(of: lines, tail: tail, isWholeFile: tail.count == existing?.size ?? 0) {
        case .complete: return []
        case .foreignTornLine:
            throw FileSystemError(path: auditPath, operation: "append to", reason: .unterminatedLastLine)
        case .append(let bytes): missing = bytes
        case .repairTornLine(let cut, let bytes):
            try fileSystem.truncateFile(at: auditPath, toSize: (existing?.size ?? 0) - cut)
            repaired = " (after removing the torn line it had left)"
            missing = bytes
        }
        if !missing.isEmpty {
            try fileSystem.appendLines(to: auditPath, contents: missing, permissions: permissions)
        }
        if existing == nil { try fileSystem.syncDirectory(at: PathComponents.directory(of: auditPath)) }
        let count = missing.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        guard count > 0 else { return ["recovered: removed the torn audit line an interrupted apply had left"] }
        return [
            "recovered: appended \(count) audit line\(count == 1 ? "" : "s") of serial \(journal.next.serial), which "
                + "an interrupted apply had committed\(repaired)"
        ]
    }

    /// The state was not committed: the sealed file, if it reached its name and is the
    /// one the journal names by digest, holds secrets of no credential. It is moved to a
    /// free `NAME.interrupted[-N].age` beside it so the rerun can seal under the same
    /// name. Only an age file (`.age`, one name, the age header) is ever moved.
    private func setAsideSealedFile(_ journal: ApplyJournal) throws -> [String] {
        guard let sealed = journal.sealed, fileSystem.status(of: sealed.path) != nil else { return [] }
        let probe = AgeFileProbe(fileSystem: fileSystem)
        // Killed between linking its temp file to the name and unlinking it: the one other
        // name is that temp file, holding the same bytes. Drop it, and the file has one.
        if let temporary = atomicFile.leftoverTemporaries(of: [sealed.path]).first(where: {
            probe.isSecondName($0, of: sealed.path, sha256: sealed.sha256)
        }) {
            try fileSystem.removeFile(at: temporary)
        }
        let shown = PathComponents.display(sealed.path, from: try? fileSystem.resolve("."))
        guard sealed.path.hasSuffix(".age"), probe.holds(sealed.path, sha256: sealed.sha256) else {
            return [
                "recovered: an interrupted apply never committed its state; \(shown) is not the file it sealed, so "
                    + "it was left as it is"
            ]
        }
        let aside = try freeSetAsidePath(for: sealed.path)
        try fileSystem.moveWithoutReplacing(sealed.path, to: aside)
        try fileSystem.syncDirectory(at: PathComponents.directory(of: sealed.path))
        return [
            "recovered: an interrupted apply sealed \(shown) but never committed its state; its secrets belong to no "
                + "credential. Kept as \(PathComponents.display(aside, from: try? fileSystem.resolve(".")))."
        ]
    }

    /// Temp files of the credentials' own new files and staged rekeys the journal names
    /// (``FileSystem/createFiles`` writes each under a temp name, then links it to its
    /// name): pieces, whole files that never got their name, and the temp name of one
    /// killed between link and unlink (the journal's bytes, by digest). Only age files
    /// or the start of one are removed, never anything else.
    private func removeTemporariesOfNewFiles(_ journal: ApplyJournal) throws -> [String] {
        var digests: [String: String] = [:]
        for file in journal.files { digests[file.path] = file.sha256 }
        for file in journal.replaced { digests[file.staged] = file.sha256 }
        var removed = 0
        let probe = AgeFileProbe(fileSystem: fileSystem)
        for (_, paths) in Dictionary(grouping: digests.keys, by: PathComponents.directory(of:)).sorted(by: {
            $0.key < $1.key
        }) {
            for leftover in atomicFile.leftovers(of: paths) {
                let twin = digests[leftover.path].map {
                    probe.isSecondName(leftover.temporary, of: leftover.path, sha256: $0)
                }
                guard probe.isAgeOrPiece(leftover.temporary) || twin == true else { continue }
                try fileSystem.removeFile(at: leftover.temporary)
                removed += 1
            }
        }
        guard removed > 0 else { return [] }
        return [
            "recovered: removed \(removed) temporary sealed file\(removed == 1 ? "" : "s") left by an interrupted run"
        ]
    }

    /// Temp files a killed apply left beside its sealed file (encrypted, never secrets):
    /// only empty ones or pieces of an age file, with one name.
    private func removeTemporaries(of sealedPath: String?) throws -> [String] {
        guard let sealedPath, sealedPath.hasSuffix(".age") else { return [] }
        let probe = AgeFileProbe(fileSystem: fileSystem)
        let leftovers = atomicFile.leftoverTemporaries(of: [sealedPath]).filter { probe.isAgeOrPiece($0) }
        for path in leftovers { try fileSystem.removeFile(at: path) }
        return leftovers.isEmpty
            ? []
            : [
                "recovered: removed \(leftovers.count) temporary sealed file\(leftovers.count == 1 ? "" : "s") left "
                    + "by an interrupted run"
            ]
    }

    /// A free `NAME.interrupted[-N].age` beside `path`.
    private func freeSetAsidePath(for path: String) throws -> String {
        let base = path.hasSuffix(".age") ? String(path.dropLast(4)) : path
        var candidate = base + ".interrupted.age"
        var counter = 2
        while fileSystem.kind(of: candidate) != nil {
            candidate = base + ".interrupted-\(counter).age"
            counter += 1
        }
        return candidate
    }
}
