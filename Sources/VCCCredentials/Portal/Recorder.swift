import AgeEncryption

/// `record`: closes an open portal step under the same lock, journal and crash-safety
/// as apply (``StateTransaction``). A create's secret is sealed, like apply's, before
/// the state that names the credential is committed; the state keeps only its digest.
public struct Recorder: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    /// What a record did.
    public struct Result: Sendable {
        public var step: PendingStep
        public var newSerial: Int
        /// The bundle the secret was sealed in for the escrow and `--recipient` (a create),
        /// else nil.
        public var sealedPath: String?
        /// The credential's own sealed file (a create whose owner or entry declares
        /// recipients), else nil.
        public var sealedFile: String?
        public var clientId: String?
        public var abandoned: Bool
        public var notes: [Diagnostic]
    }

    /// Before a secret is asked for: the step is open and is a credential create. A
    /// person is never asked for a secret a command would then refuse. (Checked again
    /// under the lock.) Returns the scopes the step gives the credential; nil when an
    /// interrupted run must be finished before the step can be judged.
    @discardableResult
    public func checkCreateStep(_ stepId: String, statePath: String?) throws -> ScopeSet? {
        let statePath = try PathDefaults.requiredState(statePath, variables: environment.variables)
        // An interrupted run is finished under the lock first; only then can the step be
        // judged (it may have been recorded by the run that was interrupted).
        if environment.fileSystem.kind(of: ApplyJournal.path(for: statePath)) != nil { return nil }
        let state = try StateStore(environment: environment).load(statePath).state
        guard let step = state.pending.first(where: { $0.id == ChangeID(stepId) }) else {
            throw PortalError.unknownStep(stepId, statePath: statePath, open: state.pending.map(\.id.description))
        }
        guard step.change(in: state).mintsSecret, case .credential(_, _, let spec?) = step.subject else {
            throw PortalError.wrongOutcome(
                step: step.id, action: step.action, kind: step.subject.kind, given: "--client-id")
        }
        return spec.scopes
    }

    /// Before anything is read under the lock: VCC's token endpoint authenticates the
    /// client ID and secret someone pasted, and gives a token for each scope the step
    /// declares. A mistyped secret or an unticked scope is refused here, not found by the
    /// consuming service in production. Tokens are dropped unread. Returns the scopes
    /// checked, for ``RecordOptions/verifiedScopes``.
    public func verify(
        _ stepId: String, statePath: String?, clientId: String, secret: PresentedSecret, connection: VCCConnection
    ) async throws -> ScopeSet {
        let path = try PathDefaults.requiredState(statePath, variables: environment.variables)
        guard let scopes = try checkCreateStep(stepId, statePath: statePath) else {
            throw PortalError.cannotVerifyBeforeRecovery(statePath: path)
        }
        let clientId = clientId.lowercased()
        guard Identifiers.isLowercaseUUID(clientId) else { throw PortalError.invalidClientId(clientId) }
        var missing = ScopeSet()
        for scope in scopes {
            switch try await connection.verdict(clientId: clientId, secret: secret.secret.bytes, scope: scope.rawValue)
            {
            case .granted: break
            case .invalidClient: throw PortalError.secretRejected(clientId: clientId)
            case .invalidScope: missing.insert(scope)
            }
        }
        if !missing.isEmpty { throw PortalError.scopesMissing(clientId: clientId, missing) }
        return scopes
    }

    public func record(_ options: RecordOptions) throws -> Result {
        let statePath = try PathDefaults.requiredState(options.statePath, variables: environment.variables)
        var clientId: String?
        if case .created(let given, _) = options.outcome {
            guard Identifiers.isLowercaseUUID(given.lowercased()) else { throw PortalError.invalidClientId(given) }
            clientId = given.lowercased()
        }
        if case .abandoned(let reason) = options.outcome, reason.allSatisfy(\.isWhitespace) {
            throw PortalError.emptyReason
        }
        if let sealedOut = options.sealedOut, let problem = SealedTarget.problem(with: sealedOut) {
            throw ApplyError.unusableSealedPath(sealedOut, problem, fromFlag: true)
        }
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: options.lockTimeout)
        defer { locked.lock.release() }
        let state = locked.loaded.state
        let stepId = ChangeID(options.stepId)
        guard let index = state.pending.firstIndex(where: { $0.id == stepId }) else {
            throw PortalError.unknownStep(
                options.stepId, statePath: statePath, open: state.pending.map(\.id.description))
        }
        let step = state.pending[index]
        let open = Set(state.pending.map(\.id))
        let now = Timestamp(environment.clock.now())
        var next: State
        var sealed = StateTransaction.SealedWrites.none
        var minted: [ChangeID: MintedCredential] = [:]
        let event: AuditEvent
        var reason: String?
        let change = step.change(in: state)
        let mintsSecret = change.mintsSecret
        switch options.outcome {
        case .abandoned(let why):
            next = state
            next.pending.remove(at: index)
            event = .abandoned
            reason = why
        case .done, .created:
            let waiting = step.dependsOn.filter(open.contains)
            if !waiting.isEmpty { throw PortalError.stepWaitsFor(step.id, waiting) }
            switch options.outcome {
            case .created(_, let presented):
                guard mintsSecret, let clientId, case .credential(_, _, let spec?) = step.subject else {
                    throw PortalError.wrongOutcome(
                        step: step.id, action: step.action, kind: step.subject.kind, given: "--client-id")
                }
                if state.credentials.contains(where: { $0.clientId == clientId }) {
                    throw PortalError.clientIdTaken(clientId, statePath: statePath)
                }
                if let verified = options.verifiedScopes, verified != spec.scopes {
                    throw PortalError.stepChangedWhileVerifying(step.id)
                }
                if options.verifiedScopes == nil {
                    reason = "not verified against VCC (--no-verify)"
                }
                minted[step.id] = MintedCredential(
                    changeId: step.id, clientId: clientId, spec: spec, secret: presented.secret)
            default:
                if mintsSecret {
                    throw PortalError.wrongOutcome(
                        step: step.id, action: step.action, kind: step.subject.kind, given: "--done")
                }
            }
            next = StateTransition.apply([change], to: state, minted: minted, now: now)
            next.pending.remove(at: index)
            // A step that waited for this one waits no more.
            for position in next.pending.indices { next.pending[position].dependsOn.removeAll { $0 == step.id } }
            if !minted.isEmpty {
                sealed = try seal(Array(minted.values), next: &next, now: now, options: options, statePath: statePath)
            }
            event = .recorded
        }
        // A recorded deletion or rename of a credential with a file of its own changes the
        // index: the transaction keeps the one in --sealed-dir (or the account's).
        let written = try transaction.write(
            StateChange(
                next: next, changes: [change], time: now, event: event, reason: reason, minted: minted, sealed: sealed,
                sealedDir: options.sealedDir, checked: true),
            locked)
        var abandoned = false
        if case .abandoned = options.outcome { abandoned = true }
        return Result(
            step: step, newSerial: written.next.serial, sealedPath: sealed.bundle?.path,
            sealedFile: sealed.files.first?.path,
            clientId: sealed.files.isEmpty && sealed.bundle == nil ? nil : clientId,
            abandoned: abandoned, notes: locked.notes)
    }

    /// The secret sealed as apply seals: its own file for its owner's or its own
    /// recipients and the escrow, the bundle for the escrow, `--recipient` and
    /// `--recipients-file`.
    private func seal(
        _ minted: [MintedCredential], next: inout State, now: Timestamp, options: RecordOptions, statePath: String
    ) throws -> StateTransaction.SealedWrites {
        let directory =
            PathDefaults.manifests(options.manifests, variables: environment.variables) ?? PathDefaults.manifestsFolder
        let desired = try ManifestLoader(fileSystem: environment.fileSystem).load(directory: directory)
        if desired.account != next.account.id {
            throw PlanError.accountMismatch(
                manifests: desired.account, at: desired.accountLocation, state: next.account.id, statePath: statePath)
        }
        let recipients = try RecipientResolver(fileSystem: environment.fileSystem).resolve(
            manifests: desired.settings.recipients, flags: options.recipients, file: options.recipientsFile,
            location: desired.accountLocation)
        return .init(
            try Sealer(environment: environment).sealNew(
                minted, into: &next, now: now, directory: RecipientDirectory(desired), bundleRecipients: recipients,
                targets: .init(sealedDir: options.sealedDir, sealedOut: options.sealedOut, statePath: statePath)))
    }
}
