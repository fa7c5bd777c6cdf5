import AgeEncryption

/// `apply`: re-plan under the state lock, mint, seal, commit, audit.
///
/// The order is what makes a crash harmless. The sealed file is on disk (fsynced,
/// renamed, folder fsynced) before the state that names its credentials is renamed into
/// place, so no state ever holds a credential whose secret is not sealed; the state is
/// replaced atomically, so it is always the old one or the new one, whole. A journal
/// (`STATE.pending`) written first, bound to the state before and after, lets the next
/// run finish or undo an interrupted one (``ApplyRecovery``).
///
/// Every path it writes is checked before the first write: the state and its side files
/// must be regular files (or absent), never links, so nothing planted in the working
/// folder can redirect a write.
public struct Applier: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    private var fileSystem: any FileSystem { environment.fileSystem }
    private var atomicFile: AtomicFile { AtomicFile(fileSystem: fileSystem, random: environment.random) }

    /// Checks, prepares, then commits: nothing is written before every check has
    /// passed and every byte to write (state, sealed file, journal, audit lines) exists.
    public func apply(_ options: ApplyOptions) throws -> ApplyResult {
        try checkOptions(options)
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        let paths = try Paths(options, recorded: saved?.inputs, variables: environment.variables)
        // Asked before the lock: another run must not wait for a person to answer.
        let shown = try askApproval(options, paths)
        if let shown, !shown.approved {
            return ApplyResult(
                plan: shown.run.plan, document: shown.run.document(), applied: [], newSerial: nil, sealedPath: nil,
                sealedClientIds: [], notes: [], heldBack: false, planShown: true, cancelled: true)
        }
        let inputs = try loadInputs(options, paths, saved: saved)
        defer { inputs.lock.release() }
        let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
            manifests: inputs.desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
            location: inputs.desired.accountLocation)
        let run = try PlanRun(
            desired: inputs.desired, state: inputs.loaded, actors: options.actors.isEmpty ? saved?.actorIds ?? [] : options.actors)
        // Every input matches a saved plan only if planning again gives it; if not,
        // apply nothing rather than something that was not reviewed.
        if let saved, let planFile = options.planFile, let stale = run.staleness(of: saved) {
            throw StalePlanError(planFile: planFile, stale: stale)
        }
        // What a person saw is bound like a saved plan: the same check, the same exit.
        if let shown, let stale = run.staleness(of: shown.run.document()) {
            throw ApplyError.changedSinceShown(statePath: paths.state, stale)
        }
        var result = ApplyResult(
            plan: run.plan, document: run.document(), applied: [], newSerial: nil, sealedPath: nil,
            sealedClientIds: [], notes: inputs.notes, heldBack: false, planShown: shown?.asked ?? false)
        let permitted = run.plan.changes.filter(\.decision.isPermitted)
        if options.allOrNothing && run.plan.hasRefusals {
            result.heldBack = !permitted.isEmpty
            return result
        }
        guard !permitted.isEmpty else { return result }

        let prepared = try prepare(permitted, inputs: inputs, recipients: recipients, options: options)
        try commit(prepared, inputs: inputs, statePath: paths.state)
        result.applied = permitted
        result.newSerial = prepared.next.serial
        result.sealedPath = prepared.sealed?.path
        result.sealedClientIds = prepared.minted.values.map(\.clientId).sorted()
        result.createdClientIds = prepared.minted.mapValues(\.clientId)
        return result
    }

    /// A plan made before the lock, shown to the person at the terminal, and their answer.
    private struct Shown {
        var run: PlanRun
        /// False when there was nothing to apply, so nothing to ask.
        var asked: Bool
        var approved: Bool
    }

    /// Plans without the lock, shows the plan and asks; nil when nobody is asked (a saved
    /// plan, `--auto-approve`, or stdin not a terminal). What stops an apply on its face
    /// (a linked state, new secrets without recipients) stops it before the question.
    private func askApproval(_ options: ApplyOptions, _ paths: Paths) throws -> Shown? {
        guard options.planFile == nil, case .ask(let style) = options.approval, environment.terminal.isInteractive else {
            return nil
        }
        _ = try replaceableState(at: paths.state)
        let run = try PlanPipeline(environment: environment).plan(
            manifests: paths.manifests, statePath: paths.state, actors: options.actors)
        let permitted = run.plan.changes.filter(\.decision.isPermitted)
        guard !permitted.isEmpty, !(options.allOrNothing && run.plan.hasRefusals) else {
            return Shown(run: run, asked: false, approved: true)
        }
        let creates = permitted.filter(\.mintsSecret).count
        if creates > 0 {
            let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
                manifests: run.desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
                location: run.desired.accountLocation)
            if recipients.isEmpty { throw ApplyError.noRecipients(creates: creates) }
        }
        let terminal = environment.terminal
        terminal.write(PlanText.render(run.document(), style: style) + "\n" + ApplyApproval.question)
        return Shown(run: run, asked: true, approved: terminal.readLine() == ApplyApproval.approvingAnswer)
    }

    /// Flags wrong on their face, before any file is read.
    private func checkOptions(_ options: ApplyOptions) throws {
        if let sealedOut = options.sealedOut, let problem = Self.problem(withSealedPath: sealedOut) {
            throw ApplyError.unusableSealedPath(sealedOut, problem, fromFlag: true)
        }
    }

    /// Everything an apply writes, made in memory: the next state and its bytes, the
    /// minted credentials, the sealed file, the audit lines and the journal binding them.
    private struct Prepared {
        var next: State
        var nextBytes: [UInt8]
        var minted: [String: MintedCredential]
        var sealed: SealedOutput?
        var audit: [UInt8]
        var journal: [UInt8]
    }

    private func prepare(
        _ permitted: [Change], inputs: Inputs, recipients: [X25519Recipient], options: ApplyOptions
    ) throws -> Prepared {
        let loaded = inputs.loaded
        guard loaded.state.serial < State.maxSerial else { throw ApplyError.serialExhausted(statePath: loaded.path) }
        let creates = permitted.filter(\.mintsSecret)
        if !creates.isEmpty && recipients.isEmpty { throw ApplyError.noRecipients(creates: creates.count) }
        let minted = mint(creates, existing: Set(loaded.state.credentials.map(\.clientId)))
        let now = Timestamp(environment.clock.now())
        let next = StateTransition.apply(permitted, to: loaded.state, minted: minted, now: now)
        let nextBytes = StateCodec.encode(next)
        let sealedPath = creates.isEmpty
            ? nil : options.sealedOut ?? "secrets/\(loaded.state.account.id)-\(next.serial).age"
        let sealed = try sealedPath.map { path -> SealedOutput in
            try checkSealedTarget(path, statePath: loaded.path, fromFlag: options.sealedOut != nil)
            return SealedOutput(path: path, bytes: try seal(minted, to: path, recipients: recipients, state: next, now: now))
        }
        let audit = AuditLog.lines(for: permitted, serial: next.serial, time: now, minted: minted)
        do throws(FileSystemError) {
            // Absolute, so a rerun from another folder finds the file.
            let sealedFile = try sealed.map { sealed throws(FileSystemError) in
                ApplyJournal.SealedFile(
                    path: PathComponents.absolute(sealed.path, in: try fileSystem.resolve(".")),
                    sha256: Digest.sha256Hex(sealed.bytes))
            }
            let journal = ApplyJournal(
                lineage: loaded.state.lineage,
                previous: .init(serial: loaded.state.serial, sha256: loaded.sha256),
                next: .init(serial: next.serial, sha256: Digest.sha256Hex(nextBytes)), sealed: sealedFile,
                auditLines: audit)
            return Prepared(
                next: next, nextBytes: nextBytes, minted: minted, sealed: sealed, audit: audit,
                journal: journal.encoded())
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    /// Writes in the order that makes a crash harmless: journal, sealed file, state,
    /// audit log; then the journal goes.
    private func commit(_ prepared: Prepared, inputs: Inputs, statePath: String) throws {
        let journalPath = ApplyJournal.path(for: statePath)
        do throws(FileSystemError) {
            try atomicFile.replace(journalPath, with: prepared.journal, permissions: inputs.permissions)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        if let sealed = prepared.sealed {
            do {
                try atomicFile.createDirectories(PathComponents.directory(of: sealed.path))
                try atomicFile.create(sealed.path, with: sealed.bytes)
            } catch {
                // A sealed file that reached its name is left to the journal: the next run
                // sets it aside. Otherwise nothing changed, and the journal goes too.
                if holds(sealed.path, bytes: sealed.bytes) {
                    throw ApplyError.interrupted(error, sealedPath: sealed.path, committed: false)
                }
                try? fileSystem.removeFile(at: journalPath)
                throw ApplyError.fileSystem(error)
            }
        }
        let sealedPath = prepared.sealed?.path
        do {
            try StateStore(environment: environment).commit(
                encoded: prepared.nextBytes, replacing: inputs.loaded, permissions: inputs.permissions)
        } catch {
            let failure: FileSystemError
            if case .fileSystem(let underlying) = error { failure = underlying } else { throw error }
            throw ApplyError.interrupted(
                failure, sealedPath: sealedPath, committed: holds(statePath, bytes: prepared.nextBytes))
        }
        do {
            let auditPath = AuditLog.path(for: statePath)
            let isNew = fileSystem.kind(of: auditPath) == nil
            try fileSystem.appendLines(to: auditPath, contents: prepared.audit, permissions: inputs.permissions)
            // A new log's folder entry must survive a power cut too.
            if isNew { try fileSystem.syncDirectory(at: PathComponents.directory(of: auditPath)) }
            try fileSystem.removeFile(at: journalPath)
        } catch {
            throw ApplyError.interrupted(error, sealedPath: sealedPath, committed: true)
        }
    }

    /// A sealed file before it is written: where it goes and its encrypted bytes.
    private struct SealedOutput {
        var path: String
        var bytes: [UInt8]
    }

    private struct Inputs {
        var desired: Desired
        var lock: any FileLock
        var loaded: StateStore.Loaded
        var notes: [String]
        /// The state's mode, which its backup, journal and audit log get too.
        var permissions: FilePermissions
    }

    /// The files to apply: the flags', else the saved plan's, else the environment's
    /// (``PathDefaults``): a saved plan applies what it was planned from.
    private struct Paths {
        var state: String
        var manifests: String

        init(_ options: ApplyOptions, recorded: PlanDocument.Inputs?, variables: [String: String]) throws {
            guard let state = PathDefaults.state(options.statePath ?? recorded?.state, variables: variables) else {
                throw ApplyError.noStatePath(planFile: options.planFile)
            }
            self.state = state
            manifests = PathDefaults.manifests(options.manifests ?? recorded?.manifests, variables: variables)
                ?? PathDefaults.manifestsFolder
        }
    }

    /// The manifests, read while the lock is taken and the state read under it.
    private func loadInputs(_ options: ApplyOptions, _ paths: Paths, saved: PlanDocument?) throws -> Inputs {
        let fileSystem = fileSystem
        let (desired, locked) = try Parallel.both(
            { try ManifestLoader(fileSystem: fileSystem).load(directory: paths.manifests) },
            { try lockAndLoad(options, statePath: paths.state, saved: saved) })
        return Inputs(
            desired: desired, lock: locked.lock, loaded: locked.loaded, notes: locked.notes,
            permissions: locked.permissions)
    }

    /// Checks the state is a file apply may replace, takes the state lock, checks the
    /// side files, then reads the state (finishing an interrupted apply first).
    private func lockAndLoad(_ options: ApplyOptions, statePath: String, saved: PlanDocument?) throws
        -> (lock: any FileLock, loaded: StateStore.Loaded, notes: [String], permissions: FilePermissions)
    {
        // Read, write and execute bits only: set-id bits are never copied onto new files.
        let permissions = FilePermissions.kept(try replaceableState(at: statePath).permissions & 0o777)
        if let saved, let planFile = options.planFile { try checkPlannedState(saved, planFile: planFile, at: statePath) }
        let lock: any FileLock
        do {
            lock = try fileSystem.lock(
                StateStore.lockPath(for: statePath), holder: LockHolder.current(clock: environment.clock), timeout: options.lockTimeout.seconds,
                permissions: .new(0o644))
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
            return (lock, loaded, notes, permissions)
        } catch {
            lock.release()
            throw error
        }
    }

    /// The state's status, if apply may replace it: a regular file with one name. A
    /// symlink (or a second hard link) would be split by the rename: the link replaced
    /// by a file at the new serial, what it names left at the old one.
    private func replaceableState(at path: String) throws -> FileStatus {
        let status: FileStatus?
        do {
            status = try fileSystem.requireRegularFileOrNothing(at: path, singleLink: true)
        } catch {
            throw ApplyError.unsafeState(path: path, error.reason, target: try? fileSystem.resolve(path))
        }
        guard let status else { throw StateError.notFound(path: path) }
        return status
    }

    /// A saved plan names the state it was made against (and by default its path):
    /// before the lock is taken, the file there must be that state, byte for byte. A plan
    /// edited to name another file is stale before anything beside that file is touched.
    /// (Checked again under the lock, where it counts.)
    private func checkPlannedState(_ saved: PlanDocument, planFile: String, at statePath: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(at: statePath, maxBytes: StateStore.maxBytes, followingLinks: false)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        let digest = Digest.sha256Hex(bytes)
        guard digest == saved.state.sha256 else {
            // The binding that changed, as the check under the lock would name it; a file
            // that is not a state at all differs in its contents.
            let stale = (try? StateCodec.decode(bytes, file: statePath)).flatMap { state in
                PlanBinding.staleness(
                    of: saved, state: StateStore.Loaded(path: statePath, state: state, bytes: bytes, sha256: digest),
                    manifestsDigest: nil, actors: nil)
            }
            throw StalePlanError(
                planFile: planFile,
                stale: stale ?? StalePlan(binding: .stateContents, planned: saved.state.sha256, current: digest))
        }
    }

    /// True when `path` is a regular file holding exactly `bytes`: what a failed write
    /// did or did not get to its name.
    private func holds(_ path: String, bytes: [UInt8]) -> Bool {
        guard let status = fileSystem.status(of: path), status.kind == .file, status.size == bytes.count,
            let content = try? fileSystem.readFile(at: path, maxBytes: bytes.count, followingLinks: false)
        else { return false }
        return content == bytes
    }

    /// What makes a sealed path unusable on its face: it can only name a folder (empty,
    /// ending in `/`, `.` or `..`), it holds a control character, or it is named like a
    /// temp file (which the next run would sweep away).
    static func problem(withSealedPath path: String) -> SealedPathProblem? {
        let name = PathComponents.fileName(of: path)
        if name.isEmpty || name == "." || name == ".." { return .folder }
        if path.unicodeScalars.contains(where: Identifiers.isControl) { return .controlCharacter }
        if AtomicFile.looksTemporary(name) { return .temporaryName }
        return nil
    }

    /// The sealed path must be free (a sealed file is never written over anything), and
    /// none of the files apply keeps beside the state, even those not written yet.
    private func checkSealedTarget(_ path: String, statePath: String, fromFlag: Bool) throws {
        if let problem = Self.problem(withSealedPath: path) {
            throw ApplyError.unusableSealedPath(path, problem, fromFlag: fromFlag)
        }
        func canonical(_ file: String) -> String? {
            (try? fileSystem.resolve(PathComponents.directory(of: file))).map {
                PathComponents.join($0, PathComponents.fileName(of: file))
            }
        }
        let sideFiles = [
            statePath, StateStore.backupPath(for: statePath), ApplyJournal.path(for: statePath), StateStore.lockPath(for: statePath),
            AuditLog.path(for: statePath),
        ]
        if let sealed = canonical(path), sideFiles.compactMap(canonical).contains(sealed) {
            throw ApplyError.unusableSealedPath(path, .stateFile, fromFlag: fromFlag)
        }
        if let kind = fileSystem.kind(of: path) {
            if kind == .directory { throw ApplyError.unusableSealedPath(path, .folder, fromFlag: fromFlag) }
            throw ApplyError.sealedFileExists(path)
        }
    }

    /// A client ID and a secret for each permitted create, keyed by change id.
    private func mint(_ creates: [Change], existing: Set<String>) -> [String: MintedCredential] {
        var taken = existing
        var minted: [String: MintedCredential] = [:]
        minted.reserveCapacity(creates.count)
        var stream = RandomStream(environment.random)
        for change in creates {
            guard case .credential(_, _, let spec?) = change.subject else { continue }
            var clientId = stream.uuid()
            while !taken.insert(clientId).inserted { clientId = stream.uuid() }
            minted[change.id] = MintedCredential(
                changeId: change.id, clientId: clientId, spec: spec, secret: Secret.mint(from: &stream))
        }
        return minted
    }

    /// The new secrets, encrypted: the bytes of the sealed file.
    private func seal(
        _ minted: [String: MintedCredential], to path: String, recipients: [X25519Recipient], state: State,
        now: Timestamp
    ) throws -> [UInt8] {
        var payload = SealedPayload.json(
            account: state.account.id, lineage: state.lineage, serial: state.serial, createdAt: now,
            credentials: Array(minted.values))
        // The plaintext holds the secrets: overwrite it once sealed (best effort: Swift may
        // have made copies, but this buffer at least does not outlive the seal).
        defer { payload.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        let random = environment.random
        do {
            return try Age.encrypt(payload, to: recipients, random: { random.randomBytes($0) })
        } catch {
            throw ApplyError.sealingFailed(path: path, error)
        }
    }

    /// Removes temp files a killed run left of the state, its backup and its journal
    /// (partial copies, never secrets). Safe under the lock: no other run writes them.
    private func sweepTemporaryFiles(of statePath: String) -> [String] {
        var removed = 0
        let written = [statePath, StateStore.backupPath(for: statePath), ApplyJournal.path(for: statePath)]
        for leftover in atomicFile.leftoverTemporaries(of: written) where (try? fileSystem.removeFile(at: leftover)) != nil {
            removed += 1
        }
        return removed == 0
            ? [] : ["recovered: removed \(removed) temporary file\(removed == 1 ? "" : "s") left by an interrupted run"]
    }
}
