/// One change of a state file, as every command that writes one makes it (`apply`,
/// `record`, `import`, `forget`, `rekey`): ``lock(_:timeout:beforeLock:)`` takes the
/// lock, finishes an interrupted run and checks the side files; the writer states its
/// ``StateChange``; ``write(_:_:)`` sets the serial and the sealed folder, makes the
/// audit lines and the journal, and writes journal, sealed files, state and audit lines
/// in the order that makes a crash harmless (see ``Applier``).
struct StateTransaction: Sendable {
    var environment: SystemEnvironment

    private var fileSystem: any FileSystem { environment.fileSystem }
    private var atomicFile: AtomicFile { AtomicFile(fileSystem: fileSystem, random: environment.random) }

    /// A state read under its lock.
    struct Locked {
        var lock: any FileLock
        var loaded: StateStore.Loaded
        /// What was recovered from an interrupted earlier run, for the user to read.
        var notes: [Diagnostic]
        /// The state's mode, which its backup, journal and audit log get too.
        var permissions: FilePermissions
    }

    /// The sealed files a change writes besides the state: the bundle, credentials' own
    /// new files, files a rekey replaces, and the folder whose index to rewrite.
    struct SealedWrites {
        var bundle: SealedOutput?
        /// New files, named from fresh client IDs: created before the state commits.
        var files: [SealedOutput] = []
        /// Existing files with new bytes: staged before the state commits, renamed over
        /// after.
        var replaced: [SealedOutput] = []
        /// The sealed folder: its index is rewritten when the credentials with a sealed
        /// file of their own change.
        var folder: String?

        static let none = SealedWrites()

        /// What the sealer made for a run: its files, its bundle, its folder.
        init(
            bundle: SealedOutput? = nil, files: [SealedOutput] = [], replaced: [SealedOutput] = [],
            folder: String? = nil
        ) {
            self.bundle = bundle
            self.files = files
            self.replaced = replaced
            self.folder = folder
        }

        init(_ sealed: Sealer.Output) { self.init(bundle: sealed.bundle, files: sealed.files, folder: sealed.folder) }
    }

    /// Everything a change writes, made in memory before the first write.
    struct Prepared {
        var next: State
        var nextBytes: [UInt8]
        var sealed: SealedWrites
        var index: SealedOutput?
        var audit: [UInt8]
        var journal: [UInt8]
    }

    /// Where a rekey stages a file's new bytes: beside it, a name no other file has.
    static func stagedPath(for path: String) -> String { path + ".rekey" }

    /// The state's status, if it may be replaced: a regular file with one name. A
    /// symlink (or a second hard link) would be split by the rename: the link replaced
    /// by a file at the new serial, what it names left at the old one.
    func replaceableState(at path: String) throws -> FileStatus {
        let status: FileStatus?
        do {
            status = try fileSystem.requireRegularFileOrNothing(at: path, singleLink: true)
        } catch {
            throw ApplyError.unsafeState(path: path, error.reason, target: try? fileSystem.resolve(path))
        }
        guard let status else { throw StateError.notFound(path: path) }
        return status
    }

    /// Checks the state is a file that may be replaced, runs `beforeLock` (a saved plan's
    /// check), takes the state lock, checks the side files, then reads the state
    /// (finishing an interrupted run first).
    ///
    /// A user change an `api` apply sent and did not record (`STATE.remote`) stops every
    /// writer but the one that settles it (`settling`): a state written over it could
    /// lose what VCC did.
    func lock(
        _ statePath: String, timeout: LockTimeout, settling: Bool = false, beforeLock: () throws -> Void = {}
    ) throws -> Locked {
        // Read, write and execute bits only: set-id bits are never copied onto new files.
        let permissions = FilePermissions.kept(try replaceableState(at: statePath).permissions & 0o777)
        try beforeLock()
        let lock: any FileLock
        do {
            lock = try fileSystem.lock(
                StateStore.lockPath(for: statePath), holder: LockHolder.current(clock: environment.clock),
                timeout: timeout.seconds, permissions: .new(0o644))
        } catch {
            switch error {
            case .busy(_, let holder): throw ApplyError.locked(statePath: statePath, holder: holder)
            case .fileSystem(let failure): throw ApplyError.fileSystem(failure)
            }
        }
        do {
            let auditPath = AuditLog.path(for: statePath)
            do {
                try fileSystem.requireRegularFileOrNothing(at: ApplyJournal.path(for: statePath), singleLink: false)
                try fileSystem.requireRegularFileOrNothing(at: StateStore.backupPath(for: statePath), singleLink: false)
                try fileSystem.requireRegularFileOrNothing(at: auditPath, singleLink: true)
            } catch {
                throw ApplyError.fileSystem(error)
            }
            if !settling && fileSystem.kind(of: RemoteIntent.path(for: statePath)) != nil {
                throw ApplyError.unsettledRemoteChange(statePath: statePath)
            }
            let store = StateStore(environment: environment)
            var loaded = try store.load(statePath, followingLinks: false)
            var notes = try ApplyRecovery(environment: environment).recover(loaded, permissions: permissions)
            notes += sweepTemporaryFiles(of: statePath)
            if !notes.isEmpty { loaded = try store.load(statePath, followingLinks: false) }
            // Appending after a torn last line would glue a new line onto it: refuse now,
            // before anything is written, rather than after the state is committed.
            if fileSystem.kind(of: auditPath) != nil {
                do throws(FileSystemError) {
                    if let last = try fileSystem.readTail(of: auditPath, maxBytes: 1).last, last != UInt8(ascii: "\n") {
                        throw FileSystemError(path: auditPath, operation: "append to", reason: .unterminatedLastLine)
                    }
                } catch {
                    throw ApplyError.fileSystem(error)
                }
            }
            return Locked(lock: lock, loaded: loaded, notes: notes.map { .note($0) }, permissions: permissions)
        } catch {
            lock.release()
            throw error
        }
    }

    /// `locked` after `written` committed: the state the next change of the same run
    /// replaces.
    func advanced(_ locked: Locked, by written: Prepared) -> Locked {
        var next = locked
        next.loaded = StateStore.Loaded(
            path: locked.loaded.path, state: written.next, bytes: written.nextBytes,
            sha256: Digest.sha256Hex(written.nextBytes))
        return next
    }

    /// The serial of the state a change of `loaded` writes; refused at the largest.
    func nextSerial(of loaded: StateStore.Loaded) throws -> Int {
        guard loaded.state.serial < State.maxSerial else { throw ApplyError.serialExhausted(statePath: loaded.path) }
        return loaded.state.serial + 1
    }

    /// Writes `change` over the state `locked` holds: the next serial, the account's
    /// sealed folder unless another is named, the audit lines, then ``prepare`` and
    /// ``commit``. Returns what was written.
    @discardableResult
    func write(_ change: StateChange, _ locked: Locked) throws -> Prepared {
        var next = change.next
        next.serial = try nextSerial(of: locked.loaded)
        var sealed = change.sealed
        if sealed.folder == nil { sealed.folder = SealedTarget.folder(change.sealedDir, account: next.account.id) }
        let audit =
            AuditLog.lines(
                for: change.observed, serial: next.serial, time: change.time, minted: [:], event: .refreshed)
            + AuditLog.lines(
                for: change.changes, serial: next.serial, time: change.time, minted: change.minted,
                event: change.event, reason: change.reason)
            + (change.accountAudit.map {
                AuditLog.accountLine(
                    account: next.account.id, actor: $0.actor, reason: $0.reason, serial: next.serial,
                    time: change.time)
            } ?? [])
        let prepared = try prepare(
            next: next, replacing: locked.loaded, sealed: sealed, audit: audit, checked: change.checked)
        try commit(prepared, locked)
        return prepared
    }

    /// The bytes of `next`, and the journal that binds them to `loaded`, the sealed file
    /// and the audit lines; refused for a state whose serial is the largest. `checked`:
    /// the bytes are read back as the next run will read them first, so a change made
    /// from hand-editable input (an open step) can never commit a state no later command
    /// loads. (Apply's own changes come from a plan of validated inputs; at 50,000
    /// credentials the read would cost it a third.)
    private func prepare(
        next: State, replacing loaded: StateStore.Loaded, sealed: SealedWrites, audit: [UInt8], checked: Bool = false
    ) throws -> Prepared {
        // Every change writes the next serial: a state at the largest takes none.
        _ = try nextSerial(of: loaded)
        let nextBytes = StateCodec.encode(next)
        if checked {
            do {
                _ = try StateCodec.decode(nextBytes, file: loaded.path)
            } catch {
                let problems = error.diagnostics.map(\.message).prefix(3).joined(separator: "; ")
                throw DiagnosticsError(
                    .error(
                        "the change would leave a state vcc-creds cannot read (\(problems)); nothing was written",
                        at: SourceLocation(file: loaded.path)))
            }
        }
        do throws(FileSystemError) {
            // Absolute, so a rerun from another folder finds the file.
            let here = try fileSystem.resolve(".")
            func journaled(_ sealed: SealedOutput) -> ApplyJournal.SealedFile {
                ApplyJournal.SealedFile(
                    path: PathComponents.absolute(sealed.path, in: here), sha256: Digest.sha256Hex(sealed.bytes))
            }
            let index = try self.index(of: next, replacing: loaded, sealed: sealed)
            var journal = ApplyJournal(
                lineage: loaded.state.lineage,
                previous: .init(serial: loaded.state.serial, sha256: loaded.sha256),
                next: .init(serial: next.serial, sha256: Digest.sha256Hex(nextBytes)),
                sealed: sealed.bundle.map(journaled),
                auditLines: audit)
            journal.files = sealed.files.map(journaled)
            journal.replaced = sealed.replaced.map { file in
                let absolute = PathComponents.absolute(file.path, in: here)
                return ApplyJournal.Replacement(
                    path: absolute, staged: Self.stagedPath(for: absolute), sha256: Digest.sha256Hex(file.bytes))
            }
            journal.index = index.map { PathComponents.absolute($0.path, in: here) }
            return Prepared(
                next: next, nextBytes: nextBytes, sealed: sealed, index: index, audit: audit, journal: journal.encoded()
            )
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    /// The index `next` needs written, if any. It is written after the state, so
    /// everything that would stop it is found now, before the first write: the folder
    /// a link or not a folder, the index a link, a folder or hard-linked, or one of the
    /// state's own files.
    private func index(of next: State, replacing loaded: StateStore.Loaded, sealed: SealedWrites)
        throws(FileSystemError)
        -> SealedOutput?
    {
        guard let folder = sealed.folder,
            SealedIndex.changes(from: loaded.state, to: next) || !sealed.files.isEmpty || !sealed.replaced.isEmpty
        else { return nil }
        let index = SealedOutput(path: SealedIndex.path(in: folder), bytes: SealedIndex.encode(next))
        try fileSystem.requireFolderOrNothing(at: folder, operation: "seal into")
        try fileSystem.requireRegularFileOrNothing(at: index.path, singleLink: true)
        if StateStore.isSideFile(index.path, of: loaded.path, fileSystem: fileSystem) {
            throw FileSystemError(
                path: index.path, operation: "write the sealed-output index to", reason: .stateSideFile)
        }
        return index
    }

    /// Writes in the order that makes a crash harmless: journal; credentials' own new
    /// files and staged rekeys; the bundle; state; staged rekeys renamed into place and
    /// the index; audit log; then the journal goes.
    private func commit(_ prepared: Prepared, _ locked: Locked) throws {
        let statePath = locked.loaded.path
        let journalPath = ApplyJournal.path(for: statePath)
        do throws(FileSystemError) {
            try atomicFile.replace(journalPath, with: prepared.journal, permissions: locked.permissions)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        let sealedPath = prepared.sealed.bundle?.path ?? prepared.sealed.folder
        // New files and staged replacements first: a failure here leaves none of them
        // (``FileSystem/createFiles``), so nothing changed, and the journal goes too.
        let early =
            prepared.sealed.files
            + prepared.sealed.replaced.map { .init(path: Self.stagedPath(for: $0.path), bytes: $0.bytes) }
        if !early.isEmpty {
            do {
                for folder in Set(early.map { PathComponents.directory(of: $0.path) }).sorted() {
                    try atomicFile.createDirectories(folder)
                }
                try fileSystem.createFiles(
                    early.map { ($0.path, atomicFile.temporaryPath(for: $0.path), $0.bytes) }, permissions: .new(0o644))
            } catch {
                try? fileSystem.removeFile(at: journalPath)
                throw ApplyError.fileSystem(error)
            }
        }
        if let sealed = prepared.sealed.bundle {
            do {
                try atomicFile.createDirectories(PathComponents.directory(of: sealed.path))
                try atomicFile.create(sealed.path, with: sealed.bytes)
            } catch {
                // A sealed file that reached its name is left to the journal: the next run
                // sets it aside. Otherwise nothing changed, and the journal goes too.
                if holds(sealed.path, bytes: sealed.bytes) || !early.isEmpty {
                    throw ApplyError.interrupted(error, sealedPath: sealed.path, committed: false)
                }
                try? fileSystem.removeFile(at: journalPath)
                throw ApplyError.fileSystem(error)
            }
        }
        do {
            try StateStore(environment: environment).commit(
                encoded: prepared.nextBytes, replacing: locked.loaded, permissions: locked.permissions)
        } catch {
            let failure: FileSystemError
            if case .fileSystem(let underlying) = error { failure = underlying } else { throw error }
            throw ApplyError.interrupted(
                failure, sealedPath: sealedPath, committed: holds(statePath, bytes: prepared.nextBytes))
        }
        do {
            let replaced = prepared.sealed.replaced.map(\.path)
            try finishSealedWrites(
                renaming: replaced, replaced: replaced, index: prepared.index, permissions: locked.permissions)
            let auditPath = AuditLog.path(for: statePath)
            let isNew = fileSystem.kind(of: auditPath) == nil
            try fileSystem.appendLines(to: auditPath, contents: prepared.audit, permissions: locked.permissions)
            // A new log's folder entry must survive a power cut too.
            if isNew { try fileSystem.syncDirectory(at: PathComponents.directory(of: auditPath)) }
            try fileSystem.removeFile(at: journalPath)
        } catch {
            throw ApplyError.interrupted(error, sealedPath: sealedPath, committed: true)
        }
    }

    /// Once the state is committed (by this run, or by the interrupted one recovery
    /// finishes): each staged file renamed over the sealed file at `renaming`
    /// (atomically: a file is the old one or the new one, whole), the folders of
    /// `replaced` synced, then the index.
    func finishSealedWrites(
        renaming: [String], replaced: [String], index: SealedOutput?, permissions: FilePermissions
    ) throws(FileSystemError) {
        for path in renaming { try fileSystem.rename(Self.stagedPath(for: path), to: path) }
        for folder in Set(replaced.map(PathComponents.directory(of:))).sorted() {
            try fileSystem.syncDirectory(at: folder)
        }
        if let index {
            try atomicFile.createDirectories(PathComponents.directory(of: index.path))
            try atomicFile.replace(index.path, with: index.bytes, permissions: permissions)
        }
    }

    /// True when `path` is a regular file holding exactly `bytes`: what a failed write
    /// did or did not get to its name.
    func holds(_ path: String, bytes: [UInt8]) -> Bool {
        guard let status = fileSystem.status(of: path), status.kind == .file, status.size == bytes.count,
            let content = try? fileSystem.readFile(at: path, maxBytes: bytes.count, followingLinks: false)
        else { return false }
        return content == bytes
    }

    /// Removes temp files a killed run left of the state, its backup and its journal
    /// (partial copies, never secrets). Safe under the lock: no other run writes them.
    private func sweepTemporaryFiles(of statePath: String) -> [String] {
        var removed = 0
        let written = [statePath, StateStore.backupPath(for: statePath), ApplyJournal.path(for: statePath)]
        for leftover in atomicFile.leftoverTemporaries(of: written)
        where (try? fileSystem.removeFile(at: leftover)) != nil {
            removed += 1
        }
        return removed == 0
            ? [] : ["recovered: removed \(removed) temporary file\(removed == 1 ? "" : "s") left by an interrupted run"]
    }
}
