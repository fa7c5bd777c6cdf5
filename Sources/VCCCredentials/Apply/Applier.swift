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
    private var transaction: StateTransaction { StateTransaction(environment: environment) }
    private var atomicFile: AtomicFile { AtomicFile(fileSystem: fileSystem, random: environment.random) }

    /// Checks, prepares, then commits: nothing is written before every check has
    /// passed and every byte to write (state, sealed file, journal, audit lines) exists.
    /// A run that refreshes (`--refresh`, or a saved plan made with it) needs
    /// ``apply(_:refreshingWith:)``.
    public func apply(_ options: ApplyOptions) throws -> ApplyResult {
        try checkOptions(options)
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        if options.refresh || saved?.refreshed != nil { throw ApplyError.refreshNeedsVCC }
        return try apply(options, saved: saved, remote: nil)
    }

    /// As ``apply(_:)``; when the run refreshes, `users` first reads VCC's users in the
    /// manifests' `settings.region` (nil: undeclared), with no lock held. The plan is
    /// made against them, and they are taken into the state with the changes.
    public func apply(
        _ options: ApplyOptions, refreshingWith users: (Region?) async throws -> [RemoteUser]
    ) async throws -> ApplyResult {
        try checkOptions(options)
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        guard options.refresh || saved?.refreshed != nil else { return try apply(options, saved: saved, remote: nil) }
        let paths = try Paths(options, recorded: saved?.inputs, variables: environment.variables)
        let region = try ManifestLoader(fileSystem: fileSystem).load(directory: paths.manifests).settings.region
        return try apply(options, saved: saved, remote: try await users(region))
    }

    private func apply(_ options: ApplyOptions, saved: PlanDocument?, remote: [RemoteUser]?) throws -> ApplyResult {
        let paths = try Paths(options, recorded: saved?.inputs, variables: environment.variables)
        // One time for every plan of the run; a saved plan's own, so it decides as reviewed.
        let context =
            saved?.context ?? PlanContext(now: Timestamp(environment.clock.now()), targeting: options.targeting)
        // Asked before the lock: another run must not wait for a person to answer.
        let shown = try askApproval(options, paths, context: context, remote: remote)
        if let shown, !shown.approved {
            return ApplyResult(
                plan: shown.run.plan, document: shown.run.document(), applied: [], newSerial: nil, sealedPath: nil,
                sealedClientIds: [], notes: [], heldBack: false, planShown: true, cancelled: true)
        }
        let inputs = try loadInputs(options, paths, saved: saved)
        defer { inputs.locked.lock.release() }
        let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
            manifests: inputs.desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
            location: inputs.desired.accountLocation)
        // VCC's answer, read before the lock, reconciled with the state read under it.
        let refresh = remote.map { StateRefresh(state: inputs.locked.loaded.state, remote: $0) }
        let run = try PlanRun(
            desired: inputs.desired, state: inputs.locked.loaded,
            actors: options.actors.isEmpty ? saved?.actorIds ?? [] : options.actors, context: context,
            refresh: refresh)
        // Every input matches a saved plan only if planning again gives it; if not,
        // apply nothing rather than something that was not reviewed.
        if let saved, let planFile = options.planFile,
            let stale = run.staleness(of: saved, now: Timestamp(environment.clock.now()))
        {
            throw StalePlanError(planFile: planFile, stale: stale)
        }
        // What a person saw is bound like a saved plan: the same check, the same exit.
        if let shown, let stale = run.staleness(of: shown.run.document()) {
            throw ApplyError.changedSinceShown(statePath: paths.state, stale)
        }
        var result = ApplyResult(
            plan: run.plan, document: run.document(), applied: [], newSerial: nil, sealedPath: nil,
            sealedClientIds: [], notes: inputs.locked.notes, heldBack: false, planShown: shown?.asked ?? false)
        result.refresh = refresh?.report
        let permitted = run.plan.changes.filter(\.decision.isPermitted)
        if options.allOrNothing && run.plan.hasRefusals {
            result.heldBack = !permitted.isEmpty
            return result
        }
        let observed = refresh?.changes ?? []
        guard !permitted.isEmpty else {
            // Nothing to change, but what VCC said is taken in, as `refresh` would.
            guard !observed.isEmpty else { return result }
            let written = try transaction.write(
                StateChange(
                    next: run.state.state, changes: observed, time: Timestamp(environment.clock.now()),
                    event: .refreshed),
                inputs.locked)
            result.newSerial = written.next.serial
            result.refreshed = observed
            return result
        }

        if inputs.locked.loaded.state.account.executor == .portal {
            return try handOff(
                permitted, run: run, inputs: inputs, options: options, manifests: paths.manifests, result: result)
        }
        var change = try change(permitted, run: run, inputs: inputs, recipients: recipients, options: options)
        change.observed = observed
        let written = try transaction.write(change, inputs.locked)
        result.applied = permitted
        result.refreshed = observed
        result.newSerial = written.next.serial
        result.sealedPath = written.sealed.bundle?.path
        result.sealedFiles = written.sealed.files.map(\.path)
        result.indexPath = written.index?.path
        result.sealedClientIds = change.minted.values.map(\.clientId).sorted()
        result.createdClientIds = change.minted.mapValues(\.clientId)
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
    private func askApproval(_ options: ApplyOptions, _ paths: Paths, context: PlanContext, remote: [RemoteUser]?)
        throws -> Shown?
    {
        guard options.planFile == nil, case .ask(let style) = options.approval, environment.terminal.isInteractive
        else {
            return nil
        }
        _ = try transaction.replaceableState(at: paths.state)
        let (desired, state, index) = try PlanPipeline(environment: environment).load(
            manifests: paths.manifests, statePath: paths.state)
        let run = try PlanRun(
            desired: desired, state: state, index: index, actors: options.actors, context: context,
            refresh: remote.map { StateRefresh(state: state.state, remote: $0) })
        let permitted = run.plan.changes.filter(\.decision.isPermitted)
        guard !permitted.isEmpty, !(options.allOrNothing && run.plan.hasRefusals) else {
            return Shown(run: run, asked: false, approved: true)
        }
        let creates = permitted.filter(\.mintsSecret)
        if !creates.isEmpty && run.state.state.account.executor == .local {
            let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
                manifests: run.desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
                location: run.desired.accountLocation)
            let specs = creates.compactMap { change -> (spec: CredentialSpec, lineage: [String])? in
                guard case .credential(_, _, let spec?) = change.subject else { return nil }
                return (spec, run.state.state.lineage(of: change))
            }
            if let refusal = Sealer.unreadable(
                specs, directory: RecipientDirectory(run.desired), bundle: !recipients.isEmpty)
            {
                throw refusal
            }
        }
        let terminal = environment.terminal
        terminal.write(
            PlanText.render(run.document(), style: style, now: Timestamp(environment.clock.now())) + "\n"
                + ApplyApproval.question)
        return Shown(run: run, asked: true, approved: terminal.readLine() == ApplyApproval.approvingAnswer)
    }

    /// Flags wrong on their face, before any file is read.
    private func checkOptions(_ options: ApplyOptions) throws {
        if let sealedOut = options.sealedOut, let problem = SealedTarget.problem(with: sealedOut) {
            throw ApplyError.unusableSealedPath(sealedOut, problem, fromFlag: true)
        }
    }

    /// What an apply changes, made in memory: the next state, the minted credentials and
    /// their sealed files.
    private func change(
        _ permitted: [Change], run: PlanRun, inputs: Inputs, recipients: [X25519Recipient], options: ApplyOptions
    ) throws -> StateChange {
        // The state as planned: refreshed from VCC when the run refreshed.
        let loaded = run.state
        let creates = permitted.filter(\.mintsSecret)
        let minted = mint(creates, existing: Set(loaded.state.credentials.map(\.clientId)))
        let now = Timestamp(environment.clock.now())
        var next = StateTransition.apply(permitted, to: loaded.state, minted: minted, now: now)
        let targets = Sealer.Targets(sealedDir: options.sealedDir, sealedOut: options.sealedOut, statePath: loaded.path)
        let sealed = try Sealer(environment: environment).sealNew(
            Array(minted.values), into: &next, now: now, directory: RecipientDirectory(inputs.desired),
            bundleRecipients: recipients, targets: targets)
        // A deleted or renamed credential leaves the index too (sealed.folder: the one the
        // sealer chose).
        return StateChange(
            next: next, changes: permitted, time: now, minted: minted, sealed: .init(sealed),
            sealedDir: options.sealedDir)
    }

    /// A portal account's apply: the permitted changes become open steps in the state
    /// (nothing minted, nothing sealed), committed and audited like any apply; then the
    /// runbook, a view of those steps, is written beside where the secrets would go.
    private func handOff(
        _ permitted: [Change], run: PlanRun, inputs: Inputs, options: ApplyOptions, manifests: String,
        result: ApplyResult
    ) throws -> ApplyResult {
        let loaded = inputs.locked.loaded
        let now = Timestamp(environment.clock.now())
        let digest = PlanFile.digest(run.document())
        let ids = Set(permitted.map(\.id))
        var next = run.state.state
        let steps = permitted.map { PendingStep($0, plannedAt: now, planDigest: digest, open: ids) }
        next.pending += steps
        let observed = run.refresh?.changes ?? []
        next = try transaction.write(
            StateChange(next: next, changes: permitted, time: now, event: .pending, observed: observed), inputs.locked
        ).next
        var result = result
        result.newSerial = next.serial
        result.refreshed = observed
        result.handedOff = steps
        let runbook = Runbook(state: next, statePath: loaded.path, manifests: manifests)
        result.runbook = runbook
        let base = Self.runbookBase(sealedOut: options.sealedOut, account: next.account.id, serial: next.serial)
        do {
            try atomicFile.createDirectories(PathComponents.directory(of: base))
            for (path, bytes) in [(base + ".md", Array(runbook.markdown().utf8)), (base + ".json", runbook.json())] {
                try atomicFile.replace(path, with: bytes, permissions: inputs.locked.permissions)
                result.runbookPaths.append(path)
            }
        } catch {
            // The steps are committed; the runbook is only their view.
            result.notes.append(
                .note(
                    "the runbook could not be written (\(error)); the steps are in the state: print them with vcc-creds "
                        + "pending --state \(Runbook.shellQuoted(loaded.path)) --format markdown"
                ))
        }
        return result
    }

    /// `secrets/ACCOUNT-SERIAL.runbook`, or `--sealed-out` without `.age`: where a portal
    /// apply's runbook goes (`.md` and `.json`).
    static func runbookBase(sealedOut: String?, account: String, serial: Int) -> String {
        let sealed = sealedOut ?? SealedTarget.defaultBundle(account: account, serial: serial)
        return (sealed.hasSuffix(".age") ? String(sealed.dropLast(4)) : sealed) + ".runbook"
    }

    private struct Inputs {
        var desired: Desired
        var locked: StateTransaction.Locked
    }

    /// The files to apply: the flags', else the saved plan's, else the environment's
    /// (``PathDefaults``): a saved plan applies what it was planned from.
    private struct Paths {
        var state: String
        var manifests: String

        init(_ options: ApplyOptions, recorded: PlanDocument.Inputs?, variables: [String: String]) throws {
            state = try PathDefaults.requiredState(
                options.statePath ?? recorded?.state, variables: variables, planFile: options.planFile)
            manifests =
                PathDefaults.manifests(options.manifests ?? recorded?.manifests, variables: variables)
                ?? PathDefaults.manifestsFolder
        }
    }

    /// The manifests, read while the lock is taken and the state read under it.
    private func loadInputs(_ options: ApplyOptions, _ paths: Paths, saved: PlanDocument?) throws -> Inputs {
        let fileSystem = fileSystem
        let transaction = transaction
        let (desired, locked) = try Parallel.both(
            { try ManifestLoader(fileSystem: fileSystem).load(directory: paths.manifests) },
            {
                try transaction.lock(paths.state, timeout: options.lockTimeout) {
                    if let saved, let planFile = options.planFile {
                        try checkPlannedState(saved, planFile: planFile, at: paths.state)
                    }
                }
            })
        return Inputs(desired: desired, locked: locked)
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

    /// A client ID and a secret for each permitted create, keyed by change id.
    private func mint(_ creates: [Change], existing: Set<String>) -> [ChangeID: MintedCredential] {
        var taken = existing
        var minted: [ChangeID: MintedCredential] = [:]
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
}
