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
    /// A run that talks to VCC (`--refresh`, a saved plan made with it, an account whose
    /// user changes go through the API) needs ``apply(_:connectingWith:)``.
    public func apply(_ options: ApplyOptions) throws -> ApplyResult {
        try checkOptions(options)
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        if options.refresh || saved?.refreshed != nil { throw ApplyError.refreshNeedsVCC }
        switch try prepare(options, saved: saved, remote: nil) {
        case .finished(let result):
            return result
        case .ready(let ready):
            defer { ready.locked.lock.release() }
            if ready.locked.loaded.state.account.userExecutor == .api
                && ready.permitted.contains(where: { $0.subject.kind == .user })
            {
                throw ApplyError.refreshNeedsVCC
            }
            return try finish(ready, ready.permitted, options: options)
        }
    }

    /// As ``apply(_:)``, talking to VCC where the run needs it, through `vcc` (given the
    /// manifests' `settings.region`; nil: undeclared): VCC's users are read first, with
    /// no lock held, when the run refreshes; user changes go through the User Admin API
    /// when the account's user executor is `api` (``RemoteUserChanges``); and a change
    /// an earlier such run left unsettled is settled first, by asking VCC.
    public func apply(
        _ options: ApplyOptions, connectingWith vcc: (Region?) throws -> UserAdminAPI
    ) async throws -> ApplyResult {
        try checkOptions(options)
        let saved = try options.planFile.map { try PlanFile.load($0, fileSystem: fileSystem) }
        let paths = try Paths(options, recorded: saved?.inputs, variables: environment.variables)
        var notes: [Diagnostic] = []
        var api: UserAdminAPI?
        func connection() throws -> UserAdminAPI {
            if let api { return api }
            let region = try ManifestLoader(fileSystem: fileSystem).load(directory: paths.manifests).settings.region
            let made = try vcc(region)
            api = made
            return made
        }
        if fileSystem.kind(of: RemoteIntent.path(for: paths.state)) != nil {
            notes += try await RemoteSettlement(environment: environment).settleInterrupted(
                statePath: paths.state, api: try connection(), lockTimeout: options.lockTimeout)
        }
        var remote: [RemoteUser]?
        var readAgainst: String?
        if options.refresh || saved?.refreshed != nil {
            // VCC is read without the lock: the state must be the same once it is taken,
            // or VCC's answer would be reconciled with a state it was not read against.
            readAgainst = try stateDigest(paths.state)
            remote = try await connection().allUsers()
        }
        switch try prepare(options, saved: saved, remote: remote, readAgainst: readAgainst) {
        case .finished(var result):
            result.notes = notes + result.notes
            return result
        case .ready(var ready):
            defer { ready.locked.lock.release() }
            ready.result.notes = notes + ready.result.notes
            guard ready.locked.loaded.state.account.userExecutor == .api,
                ready.permitted.contains(where: { $0.subject.kind == .user })
            else {
                return try finish(ready, ready.permitted, options: options)
            }
            // What would stop the credential changes stops the run before VCC changes.
            if ready.locked.loaded.state.account.executor == .local {
                try Self.checkSealable(
                    ready.permitted, state: ready.base, desired: ready.desired, recipients: ready.recipients)
            }
            var changes = RemoteUserChanges(environment: environment, api: try connection())
            let rest = try await changes.make(&ready)
            guard ready.result.stoppedBy == nil else { return ready.result }
            return try finish(ready, rest, options: options)
        }
    }

    /// Where a run stands once it holds the lock and has its plan: done (nothing to do,
    /// held back, not approved), or ready to make `permitted`.
    enum Stage {
        case finished(ApplyResult)
        case ready(Ready)
    }

    /// A run under the lock, with its plan: what ``finish(_:_:options:)`` and
    /// ``RemoteUserChanges`` make the changes from. `locked` is the state as last
    /// committed; `observed`, VCC's users not yet committed.
    struct Ready {
        var locked: StateTransaction.Locked
        var desired: Desired
        var run: PlanRun
        var permitted: [Change]
        var observed: [Change]
        var recipients: [X25519Recipient]
        var manifests: String
        /// `--sealed-dir`, for every commit of the run.
        var sealedDir: String?
        var result: ApplyResult
        /// The state changes are made on: the refreshed state until the first commit.
        var base: State
    }

    /// SHA-256 of the state file's bytes, as ``StateStore/Loaded/sha256`` has it.
    private func stateDigest(_ path: String) throws -> String {
        do {
            return Digest.sha256Hex(try fileSystem.readFile(at: path, maxBytes: StateStore.maxBytes))
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    private func prepare(
        _ options: ApplyOptions, saved: PlanDocument?, remote: [RemoteUser]?, readAgainst: String? = nil
    ) throws -> Stage {
        let paths = try Paths(options, recorded: saved?.inputs, variables: environment.variables)
        if fileSystem.kind(of: RemoteIntent.path(for: paths.state)) != nil {
            throw ApplyError.unsettledRemoteChange(statePath: paths.state)
        }
        // One time for every plan of the run; a saved plan's own, so it decides as reviewed.
        let context =
            saved?.context ?? PlanContext(now: Timestamp(environment.clock.now()), targeting: options.targeting)
        // Asked before the lock: another run must not wait for a person to answer.
        let shown = try askApproval(options, paths, context: context, remote: remote)
        if let shown, !shown.approved {
            return .finished(
                ApplyResult(
                    plan: shown.run.plan, document: shown.run.document(), applied: [], newSerial: nil,
                    sealedPath: nil, sealedClientIds: [], notes: [], heldBack: false, planShown: true,
                    cancelled: true))
        }
        let inputs = try loadInputs(options, paths, saved: saved)
        var keepLock = false
        defer { if !keepLock { inputs.locked.lock.release() } }
        if let readAgainst, inputs.locked.loaded.sha256 != readAgainst {
            throw ApplyError.changedWhileReadingVCC(statePath: paths.state)
        }
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
            return .finished(result)
        }
        let observed = refresh?.changes ?? []
        guard !permitted.isEmpty else {
            // Nothing to change, but what VCC said is taken in, as `refresh` would.
            guard !observed.isEmpty else { return .finished(result) }
            let written = try transaction.write(
                StateChange(
                    next: run.state.state, changes: observed, time: Timestamp(environment.clock.now()),
                    event: .refreshed),
                inputs.locked)
            result.newSerial = written.next.serial
            result.refreshed = observed
            return .finished(result)
        }
        keepLock = true
        return .ready(
            Ready(
                locked: inputs.locked, desired: inputs.desired, run: run, permitted: permitted, observed: observed,
                recipients: recipients, manifests: paths.manifests, sealedDir: options.sealedDir, result: result,
                base: run.state.state))
    }

    /// Makes `changes` (the permitted ones, or what the API left of them) as the
    /// account's executor does: minted and sealed (`local`), or handed to the portal.
    private func finish(_ ready: Ready, _ changes: [Change], options: ApplyOptions) throws -> ApplyResult {
        var result = ready.result
        guard !changes.isEmpty || !ready.observed.isEmpty else { return result }
        if ready.locked.loaded.state.account.executor == .portal {
            return try handOff(changes, ready: ready, options: options, result: result)
        }
        var change = try change(changes, ready: ready, options: options)
        change.observed = ready.observed
        let written = try transaction.write(change, ready.locked)
        result.applied += changes
        result.refreshed += ready.observed
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
        if permitted.contains(where: \.mintsSecret) && run.state.state.account.executor == .local {
            let recipients = try RecipientResolver(fileSystem: fileSystem).resolve(
                manifests: run.desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
                location: run.desired.accountLocation)
            try Self.checkSealable(permitted, state: run.state.state, desired: run.desired, recipients: recipients)
        }
        let terminal = environment.terminal
        terminal.write(
            PlanText.render(run.document(), style: style, now: Timestamp(environment.clock.now())) + "\n"
                + ApplyApproval.question)
        return Shown(run: run, asked: true, approved: terminal.readLine() == ApplyApproval.approvingAnswer)
    }

    /// Every secret the changes mint would be sealed for someone: checked before
    /// anything changes (before the question; before the first request to VCC).
    static func checkSealable(
        _ permitted: [Change], state: State, desired: Desired, recipients: [X25519Recipient]
    ) throws {
        let specs = permitted.filter(\.mintsSecret).compactMap { change -> (spec: CredentialSpec, lineage: [String])? in
            guard case .credential(_, _, let spec?) = change.subject else { return nil }
            return (spec, state.lineage(of: change))
        }
        guard !specs.isEmpty else { return }
        if let refusal = Sealer.unreadable(specs, directory: RecipientDirectory(desired), bundle: !recipients.isEmpty) {
            throw refusal
        }
    }

    /// Flags wrong on their face, before any file is read.
    private func checkOptions(_ options: ApplyOptions) throws {
        if let sealedOut = options.sealedOut, let problem = SealedTarget.problem(with: sealedOut) {
            throw ApplyError.unusableSealedPath(sealedOut, problem, fromFlag: true)
        }
    }

    /// What an apply changes, made in memory: the next state, the minted credentials and
    /// their sealed files.
    private func change(_ permitted: [Change], ready: Ready, options: ApplyOptions) throws -> StateChange {
        // The state as planned (refreshed from VCC when the run refreshed), or as the
        // API's changes left it.
        let base = ready.base
        let creates = permitted.filter(\.mintsSecret)
        let minted = mint(creates, existing: Set(base.credentials.map(\.clientId)))
        let now = Timestamp(environment.clock.now())
        var next = StateTransition.apply(permitted, to: base, minted: minted, now: now)
        let targets = Sealer.Targets(
            sealedDir: options.sealedDir, sealedOut: options.sealedOut, statePath: ready.locked.loaded.path)
        let sealed = try Sealer(environment: environment).sealNew(
            Array(minted.values), into: &next, now: now, directory: RecipientDirectory(ready.desired),
            bundleRecipients: ready.recipients, targets: targets)
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
        _ permitted: [Change], ready: Ready, options: ApplyOptions, result: ApplyResult
    ) throws -> ApplyResult {
        let loaded = ready.locked.loaded
        let manifests = ready.manifests
        let now = Timestamp(environment.clock.now())
        let digest = PlanFile.digest(ready.run.document())
        let ids = Set(permitted.map(\.id))
        var next = ready.base
        let steps = permitted.map { PendingStep($0, plannedAt: now, planDigest: digest, open: ids) }
        next.pending += steps
        let observed = ready.observed
        next = try transaction.write(
            StateChange(next: next, changes: permitted, time: now, event: .pending, observed: observed), ready.locked
        ).next
        var result = result
        result.newSerial = next.serial
        result.refreshed += observed
        result.handedOff = steps
        let runbook = Runbook(state: next, statePath: loaded.path, manifests: manifests)
        result.runbook = runbook
        let base = Self.runbookBase(sealedOut: options.sealedOut, account: next.account.id, serial: next.serial)
        do {
            try atomicFile.createDirectories(PathComponents.directory(of: base))
            for (path, bytes) in [(base + ".md", Array(runbook.markdown().utf8)), (base + ".json", runbook.json())] {
                try atomicFile.replace(path, with: bytes, permissions: ready.locked.permissions)
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
