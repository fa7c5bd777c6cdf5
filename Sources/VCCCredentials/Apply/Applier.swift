import AgeEncryption

/// `apply`: re-plan under the state lock, mint, seal, commit, audit.
///
/// The order is what makes a crash harmless. The sealed file is on disk (fsynced,
/// renamed, folder fsynced) before the state that names its credentials is renamed into
/// place, so no state ever holds a credential whose secret is not sealed; the state is
/// replaced atomically, so it is always the old one or the new one, whole. A journal
/// (`STATE.pending`) written first lets the next run finish or undo an interrupted one.
public struct Applier: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    private var fileSystem: any FileSystem { environment.fileSystem }
    private var atomicFile: AtomicFile { AtomicFile(fileSystem: fileSystem, random: environment.random) }

    public func apply(_ options: ApplyOptions) throws -> ApplyResult {
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        let inputs = try loadInputs(options)
        defer { inputs.lock.release() }
        let desired = inputs.desired
        let loaded = inputs.loaded
        let notes = inputs.notes
        let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
            manifests: desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
            location: desired.accountLocation)
        let store = StateStore(environment: environment)
        var (plan, digest) = try Parallel.both(
            {
                try Planner.plan(
                    desired: desired, state: loaded.state, actor: options.actor, statePath: options.statePath,
                    manifestsDigest: "")
            }, { desired.digest })
        plan.manifestsDigest = digest
        let document = PlanDocument(plan, stateSHA256: loaded.sha256)
        if let saved, let planFile = options.planFile {
            if let stale = PlanBinding.staleness(
                of: saved, state: loaded, manifestsDigest: desired.digest, actor: options.actor)
            {
                throw StalePlanError(planFile: planFile, stale: stale)
            }
            // Every input matches, so planning again must give the saved plan; if it does
            // not, apply nothing rather than something that was not reviewed.
            guard saved.changes == document.changes else {
                throw StalePlanError(
                    planFile: planFile,
                    stale: StalePlan(
                        binding: StalePlan.changesBinding, planned: PlanJSON.digest(saved),
                        current: PlanJSON.digest(document)))
            }
        }
        var result = ApplyResult(
            plan: plan, document: document, applied: [], newSerial: nil, sealedPath: nil, sealedClientIds: [],
            notes: notes, heldBack: false)
        let permitted = plan.changes.filter(\.decision.isPermitted)
        if options.allOrNothing && plan.hasRefusals {
            result.heldBack = !permitted.isEmpty
            return result
        }
        guard !permitted.isEmpty else { return result }

        let creates = permitted.filter { $0.action == .create && $0.subject.kind == .credential }
        if !creates.isEmpty && recipients.isEmpty { throw ApplyError.noRecipients(creates: creates.count) }
        let minted = mint(creates, existing: Set(loaded.state.credentials.map(\.clientId)))
        let now = Timestamp(environment.clock.now())
        let next = StateTransition.apply(
            permitted, to: loaded.state, minted: minted, actor: options.actor, now: now)
        let sealedPath = creates.isEmpty
            ? nil : options.sealedOut ?? "secrets/\(loaded.state.account.id)-\(next.serial).age"
        if let sealedPath, fileSystem.kind(of: sealedPath) != nil { throw ApplyError.sealedFileExists(sealedPath) }

        let audit = AuditLog.lines(for: permitted, actor: options.actor, serial: next.serial, time: now, minted: minted)
        let journal = ApplyJournal(serial: next.serial, sealedPath: sealedPath, auditLines: audit)
        let journalPath = ApplyJournal.path(for: options.statePath)
        do {
            try atomicFile.replace(journalPath, with: journal.encoded())
        } catch {
            throw ApplyError.fileSystem(error)
        }
        if let sealedPath {
            do {
                try seal(minted, to: sealedPath, recipients: recipients, state: next, now: now)
            } catch {
                // A sealed file that reached its name is left to the journal: the next run
                // sets it aside. Otherwise nothing changed, and the journal goes too.
                if fileSystem.kind(of: sealedPath) != nil {
                    throw ApplyError.interrupted(error, sealedPath: sealedPath, committed: false)
                }
                try? fileSystem.removeFile(at: journalPath)
                throw ApplyError.fileSystem(error)
            }
        }
        do {
            try store.commit(next, replacing: loaded)
        } catch {
            let failure: FileSystemError
            if case .fileSystem(let underlying) = error { failure = underlying } else { throw error }
            throw ApplyError.interrupted(failure, sealedPath: sealedPath, committed: isCommitted(next, at: options.statePath))
        }
        do {
            try fileSystem.appendToFile(at: AuditLog.path(for: options.statePath), contents: audit, mode: 0o644)
            try fileSystem.removeFile(at: journalPath)
        } catch {
            throw ApplyError.interrupted(error, sealedPath: sealedPath, committed: true)
        }
        result.applied = permitted
        result.newSerial = next.serial
        result.sealedPath = sealedPath
        result.sealedClientIds = minted.values.map(\.clientId).sorted()
        return result
    }

    private struct Inputs {
        var desired: Desired
        var lock: any FileLock
        var loaded: StateStore.Loaded
        var notes: [String]
    }

    /// The manifests, read while the lock is taken and the state read under it.
    private func loadInputs(_ options: ApplyOptions) throws -> Inputs {
        let fileSystem = fileSystem
        let (desired, locked) = try Parallel.both(
            { try ManifestLoader(fileSystem: fileSystem).load(directory: options.manifests) },
            { try lockAndLoad(options) })
        return Inputs(desired: desired, lock: locked.0, loaded: locked.1, notes: locked.2)
    }

    /// Takes the state lock, then reads the state (finishing an interrupted apply first).
    private func lockAndLoad(_ options: ApplyOptions) throws -> (any FileLock, StateStore.Loaded, [String]) {
        let lock: any FileLock
        do {
            lock = try fileSystem.lock(
                options.statePath + ".lock", holder: Array(LockHolder.current(clock: environment.clock).utf8),
                timeout: options.lockTimeout)
        } catch {
            switch error {
            case .busy(_, let holder): throw ApplyError.locked(statePath: options.statePath, holder: holder)
            case .fileSystem(let failure): throw ApplyError.fileSystem(failure)
            }
        }
        do {
            let store = StateStore(environment: environment)
            var loaded = try store.load(options.statePath)
            var notes = try recover(loaded)
            notes += sweepTemporaryFiles(beside: options.statePath)
            if !notes.isEmpty { loaded = try store.load(options.statePath) }
            return (lock, loaded, notes)
        } catch {
            lock.release()
            throw error
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

    /// Encrypts the new secrets and writes them, never over an existing file.
    private func seal(
        _ minted: [String: MintedCredential], to path: String, recipients: [X25519Recipient], state: State,
        now: Timestamp
    ) throws(FileSystemError) {
        var payload = SealedPayload.json(
            account: state.account.id, lineage: state.lineage, serial: state.serial, createdAt: now,
            credentials: Array(minted.values))
        // The plaintext holds the secrets: overwrite it once sealed (best effort: Swift may
        // have made copies, but this buffer at least does not outlive the seal).
        defer { payload.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        let random = environment.random
        let sealed: [UInt8]
        do {
            sealed = try Age.encrypt(payload, to: recipients, random: { random.randomBytes($0) })
        } catch {
            throw FileSystemError(path: path, operation: "seal", reason: .system(code: 0, message: "\(error)"))
        }
        let folder = PathComponents.directory(of: path)
        if folder != "." && fileSystem.kind(of: folder) == nil {
            // The new folder's own entry must survive a power cut too.
            try fileSystem.createDirectory(at: folder)
            try fileSystem.syncDirectory(at: PathComponents.directory(of: folder))
        }
        try atomicFile.create(path, with: sealed)
    }

    /// True when the state file on disk is `next` (its serial), whatever the error said.
    private func isCommitted(_ next: State, at path: String) -> Bool {
        (try? StateStore(environment: environment).load(path).state.serial) == next.serial
    }

    /// Finishes or undoes an apply that was interrupted, from its journal.
    private func recover(_ loaded: StateStore.Loaded) throws -> [String] {
        let journalPath = ApplyJournal.path(for: loaded.path)
        guard fileSystem.kind(of: journalPath) != nil else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(at: journalPath, maxBytes: 64 * 1024 * 1024)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        let journal = try ApplyJournal.decode(bytes, file: journalPath)
        do {
            return try finish(journal, journalPath: journalPath, state: loaded)
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    private func finish(_ journal: ApplyJournal, journalPath: String, state loaded: StateStore.Loaded)
        throws(FileSystemError) -> [String]
    {
        var notes: [String] = []
        if loaded.state.serial >= journal.serial {
            let auditPath = AuditLog.path(for: loaded.path)
            let existing = (try? fileSystem.readFile(at: auditPath, maxBytes: Int.max)) ?? []
            if !journal.auditLines.isEmpty && !existing.ends(with: journal.auditLines) {
                try fileSystem.appendToFile(at: auditPath, contents: journal.auditLines, mode: 0o644)
                notes.append(
                    "recovered: appended the audit lines of serial \(journal.serial), which an interrupted apply had committed")
            }
        } else if let sealed = journal.sealedPath, fileSystem.kind(of: sealed) != nil {
            let aside = try setAside(sealed)
            notes.append(
                "recovered: an interrupted apply sealed \(sealed) but never committed its state; its secrets belong to no credential. Kept as \(aside).")
        }
        try fileSystem.removeFile(at: journalPath)
        if notes.isEmpty { notes.append("recovered: removed the journal of an interrupted apply that had changed nothing") }
        return notes
    }

    /// Removes temp files a killed run left beside the state (`.STATE.*.tmp`: partial
    /// copies of the state, its backup or journal, never secrets). Safe under the lock:
    /// no other run is writing them.
    private func sweepTemporaryFiles(beside statePath: String) -> [String] {
        let folder = PathComponents.directory(of: statePath)
        let prefix = ".\(PathComponents.fileName(of: statePath))."
        guard let names = try? fileSystem.directoryEntries(at: folder) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let path = PathComponents.join(folder, name)
            if fileSystem.kind(of: path) == .file, (try? fileSystem.removeFile(at: path)) != nil { removed.append(path) }
        }
        return removed.isEmpty
            ? [] : ["recovered: removed \(removed.count) temporary file\(removed.count == 1 ? "" : "s") left by an interrupted run"]
    }

    /// Moves an orphaned sealed file to a free `NAME.interrupted[-N].age` beside it.
    private func setAside(_ path: String) throws(FileSystemError) -> String {
        let base = path.hasSuffix(".age") ? String(path.dropLast(4)) : path
        var candidate = base + ".interrupted.age"
        var counter = 2
        while fileSystem.kind(of: candidate) != nil {
            candidate = base + ".interrupted-\(counter).age"
            counter += 1
        }
        try fileSystem.moveWithoutReplacing(path, to: candidate)
        return candidate
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

