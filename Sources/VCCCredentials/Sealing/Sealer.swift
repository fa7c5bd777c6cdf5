import AgeEncryption

/// Seals the secrets one run mints (apply's creates, `record`'s one): each credential
/// with recipients of its own (its owner's, or its own, see ``RecipientDirectory``) in
/// its own file, `SEALED-DIR/CLIENT-ID.age`, for those recipients and the escrow; and
/// every new secret in one bundle (`--sealed-out`) for the escrow and the run's
/// `--recipient`s, as before per-credential files. Nothing is written here: the bytes
/// go to the state transaction, which writes them before the state that names them.
struct Sealer: Sendable {
    var environment: SystemEnvironment

    private var fileSystem: any FileSystem { environment.fileSystem }

    /// What one run writes: the per-credential files, the bundle, and for each client ID
    /// the fingerprints its own file is readable by (for the state).
    struct Output {
        var files: [SealedOutput] = []
        var bundle: SealedOutput?
        var sealedTo: [String: [String]] = [:]
        /// Where the per-credential files go (their index too).
        var folder: String
    }

    /// Where to seal, as the flags say.
    struct Targets {
        /// `--sealed-dir`; nil: `secrets/ACCOUNT`.
        var sealedDir: String?
        /// `--sealed-out`; nil: `secrets/ACCOUNT-SERIAL.age`.
        var sealedOut: String?
        var statePath: String
    }

    /// Seals `minted` (credentials of `state`, the state about to be committed). Every
    /// credential must reach someone: one with no recipient of its own and no bundle
    /// recipient is refused (`noRecipients`) before anything is encrypted.
    func seal(
        _ minted: [MintedCredential], state: State, now: Timestamp, directory: RecipientDirectory,
        bundleRecipients: [X25519Recipient], targets: Targets
    ) throws -> Output {
        var output = Output(folder: SealedTarget.folder(targets.sealedDir, account: state.account.id))
        guard !minted.isEmpty else { return output }
        var parsed = RecipientKeys()
        var own: [(MintedCredential, [DeclaredRecipient])] = []
        var unreached: [(spec: CredentialSpec, lineage: [String])] = []
        // A rotation's successor is in `state` with the client IDs it replaced.
        let lineage = Dictionary(
            state.credentials.filter { !$0.predecessors.isEmpty }.map { ($0.clientId, $0.predecessors) },
            uniquingKeysWith: { first, _ in first })
        for credential in minted {
            // Its own file only for recipients of its own; the escrow alone gets the bundle.
            // (Asked first without the escrow: no fingerprint is made for a create without.)
            let replaced = lineage[credential.clientId] ?? []
            let recipients =
                directory.own(clientId: nil, lineage: replaced, spec: credential.spec).isEmpty
                ? [] : directory.file(clientId: nil, lineage: replaced, spec: credential.spec)
            if recipients.isEmpty {
                unreached.append((credential.spec, replaced))
            } else {
                own.append((credential, recipients))
            }
        }
        if let refusal = Self.unreadable(unreached, directory: directory, bundle: !bundleRecipients.isEmpty) {
            throw refusal
        }
        if !own.isEmpty {
            try checkFolder(output.folder, fromFlag: targets.sealedDir != nil)
            var jobs: [Job] = []
            jobs.reserveCapacity(own.count)
            for (credential, recipients) in own {
                let path = PathComponents.join(output.folder, SealedIndex.fileName(for: credential.clientId))
                if fileSystem.kind(of: path) != nil { throw ApplyError.sealedFileExists(path) }
                jobs.append(Job(credential: credential, recipients: try parsed.keys(for: recipients), path: path))
                output.sealedTo[credential.clientId] = recipients.map(\.fingerprint).sorted()
            }
            output.files = try encryptAll(jobs, state: state, now: now)
        }
        if !bundleRecipients.isEmpty {
            let path = targets.sealedOut ?? SealedTarget.defaultBundle(account: state.account.id, serial: state.serial)
            try SealedTarget.check(
                path, statePath: targets.statePath, fromFlag: targets.sealedOut != nil, fileSystem: fileSystem)
            if fileSystem.canonicalPath(path) == fileSystem.canonicalPath(SealedIndex.path(in: output.folder)) {
                throw ApplyError.unusableSealedPath(path, .sealedIndex, fromFlag: targets.sealedOut != nil)
            }
            output.bundle = .init(
                path: path, bytes: try encrypt(minted, to: bundleRecipients, path: path, state: state, now: now))
        }
        return output
    }

    /// The refusal of creates whose secret nobody could read: no recipient of their own
    /// (through their lineage, see ``RecipientDirectory``) and no bundle recipient. Asked
    /// by apply before it asks for approval, and again when it seals.
    static func unreadable(
        _ creates: [(spec: CredentialSpec, lineage: [String])], directory: RecipientDirectory, bundle: Bool
    ) -> ApplyError? {
        guard !bundle else { return nil }
        let unreached = creates.filter { directory.own(clientId: nil, lineage: $0.lineage, spec: $0.spec).isEmpty }
        guard let first = unreached.map(\.spec).min(by: { $0.key < $1.key }) else { return nil }
        return .noRecipients(creates: unreached.count, first: CredentialAddress(first).description)
    }

    /// Seals `minted` into `next` (see ``seal(_:state:now:directory:bundleRecipients:targets:)``)
    /// and records in it who each credential's own file is for: what apply and `record`
    /// write beside the state.
    func sealNew(
        _ minted: [MintedCredential], into next: inout State, now: Timestamp, directory: RecipientDirectory,
        bundleRecipients: [X25519Recipient], targets: Targets
    ) throws -> Output {
        let output = try seal(
            minted, state: next, now: now, directory: directory, bundleRecipients: bundleRecipients, targets: targets)
        if !output.sealedTo.isEmpty {
            for index in next.credentials.indices {
                if let fingerprints = output.sealedTo[next.credentials[index].clientId] {
                    next.credentials[index].sealedTo = fingerprints
                }
            }
        }
        return output
    }

    /// The sealed folder must be a folder or nothing yet, never a link: what is planted
    /// there must not redirect the secrets.
    func checkFolder(_ folder: String, fromFlag: Bool) throws {
        if let problem = SealedTarget.problem(with: folder + "/x"), problem != .folder {
            throw ApplyError.unusableSealedPath(folder, problem, fromFlag: fromFlag)
        }
        do {
            try fileSystem.requireFolderOrNothing(at: folder, operation: "seal into")
        } catch {
            throw ApplyError.fileSystem(error)
        }
    }

    /// One credential's own file to encrypt.
    private struct Job: Sendable {
        var credential: MintedCredential
        var recipients: [X25519Recipient]
        var path: String
    }

    /// Every job encrypted, in order, on all cores: each file is an X25519 agreement
    /// per recipient, the bulk of an apply of thousands of creates.
    private func encryptAll(_ jobs: [Job], state: State, now: Timestamp) throws -> [SealedOutput] {
        let header = State(
            lineage: state.lineage, serial: state.serial, account: state.account, users: [], credentials: [])
        let chunk = max(1, (jobs.count + 63) / 64)
        let chunks = stride(from: 0, to: jobs.count, by: chunk).map { Array(jobs[$0..<min($0 + chunk, jobs.count)]) }
        let sealer = self
        let results = Parallel.map(chunks) { jobs -> Result<[SealedOutput], any Error> in
            Result {
                try jobs.map { job in
                    SealedOutput(
                        path: job.path,
                        bytes: try sealer.encrypt(
                            [job.credential], to: job.recipients, path: job.path, state: header, now: now))
                }
            }
        }
        return try results.flatMap { try $0.get() }
    }

    /// The secrets, encrypted: one sealed file's bytes (``SealedPayload``).
    func encrypt(
        _ minted: [MintedCredential], to recipients: [X25519Recipient], path: String, state: State, now: Timestamp
    ) throws -> [UInt8] {
        var payload = SealedPayload.json(
            account: state.account.id, lineage: state.lineage, serial: state.serial, createdAt: now,
            credentials: minted)
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
}
