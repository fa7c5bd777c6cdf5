import AgeEncryption
import StrictJSON

/// `rekey`: every credential's own sealed file whose recorded recipients differ from
/// what the manifests now say, opened with one identity (the escrow's, typically) and
/// sealed again, with a fresh file key, for the new set; the state records the new
/// fingerprints, the index is rewritten, each file is audited (`"event":"rekeyed"`).
///
/// Each file is replaced atomically, after the state commits (``StateTransaction``
/// stages the new bytes first): a kill leaves every file the old one or the new one,
/// whole, and the next run finishes or undoes the rekey from the journal. Everything is
/// opened and re-encrypted before the first write, so a file the key does not open
/// stops the run with nothing written.
public struct Rekeyer: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    private var fileSystem: any FileSystem { environment.fileSystem }

    /// What a rekey did, or would do (`dryRun`).
    public struct Result: Sendable {
        /// The files whose recipients change, in client-ID order.
        public var items: [RekeyItem]
        /// The folder the files are in.
        public var folder: String
        public var dryRun: Bool
        /// The serial written; nil when nothing was (a dry run, or nothing to rekey).
        public var newSerial: Int?
        /// What was recovered from an interrupted earlier run.
        public var notes: [Diagnostic]

        /// A credential's sealed file.
        public func path(of item: RekeyItem) -> String {
            PathComponents.join(folder, SealedIndex.fileName(for: item.credential.clientId))
        }

        /// Credentials whose file a removed recipient could open: they may keep old copies
        /// (git history, CI artifacts), so these secrets should be rotated.
        public var toRotate: [RekeyItem] { items.filter { !$0.removed.isEmpty } }
    }

    public func rekey(_ options: RekeyOptions) throws -> Result {
        let statePath = try PathDefaults.requiredState(options.statePath, variables: environment.variables)
        let manifests =
            PathDefaults.manifests(options.manifests, variables: environment.variables) ?? PathDefaults.manifestsFolder
        let desired = try ManifestLoader(fileSystem: fileSystem).load(directory: manifests)
        let directory = RecipientDirectory(desired)
        func check(_ state: State) throws {
            if desired.account != state.account.id {
                throw PlanError.accountMismatch(
                    manifests: desired.account, at: desired.accountLocation, state: state.account.id,
                    statePath: statePath)
            }
        }
        if options.dryRun {
            let loaded = try StateStore(environment: environment).load(statePath)
            try check(loaded.state)
            return Result(
                items: RekeyItem.all(in: loaded.state, directory: directory),
                folder: SealedTarget.folder(options.sealedDir, account: loaded.state.account.id), dryRun: true,
                newSerial: nil,
                notes: StateStore.interruptedRunNote(statePath: statePath, fileSystem: fileSystem).map { [.note($0)] }
                    ?? [])
        }
        guard let identityFile = options.identityFile else { throw RekeyError.noIdentity }
        let identities = try readIdentities(identityFile)
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: options.lockTimeout)
        defer { locked.lock.release() }
        let state = locked.loaded.state
        try check(state)
        let folder = SealedTarget.folder(options.sealedDir, account: state.account.id)
        var result = Result(
            items: RekeyItem.all(in: state, directory: directory), folder: folder, dryRun: false, newSerial: nil,
            notes: locked.notes)
        guard !result.items.isEmpty else { return result }
        try Sealer(environment: environment).checkFolder(folder, fromFlag: options.sealedDir != nil)

        var replaced: [SealedOutput] = []
        var next = state
        let positions = Dictionary(
            uniqueKeysWithValues: next.credentials.indices.map { (next.credentials[$0].clientId, $0) })
        var parsed = RecipientKeys()
        for item in result.items {
            let credential = item.credential
            guard !item.wanted.isEmpty else {
                throw RekeyError.nobodyDeclared(
                    clientId: credential.clientId, owner: credential.owner, name: credential.name)
            }
            let path = result.path(of: item)
            let recipients = try parsed.keys(for: item.wanted)
            let bytes = try reseal(
                path, credential: credential, identities: identities, identityFile: identityFile, to: recipients)
            replaced.append(.init(path: path, bytes: bytes))
            if let position = positions[credential.clientId] {
                next.credentials[position].sealedTo = item.wanted.map(\.fingerprint).sorted()
            }
        }
        let now = Timestamp(environment.clock.now())
        let actor = "identity:" + RecipientFingerprint.of(identities[0].recipient)
        let changes = result.items.map { item in
            Change(
                id: .credential(clientId: item.credential.clientId), action: .update,
                subject: .credential(
                    Draft.target(item.credential), before: item.credential, after: item.credential.spec),
                decision: .permitted(by: actor))
        }
        let written = try transaction.write(
            StateChange(
                next: next, changes: changes, time: now, event: .rekeyed, reason: "recipients changed",
                sealed: .init(replaced: replaced, folder: folder)),
            locked)
        result.newSerial = written.next.serial
        return result
    }

    private func readIdentities(_ path: String) throws -> [X25519Identity] {
        let text: [UInt8]
        do {
            text = try fileSystem.readFile(at: path, maxBytes: 1024 * 1024)
        } catch {
            throw ApplyError.fileSystem(error)
        }
        do {
            return try IdentityFile.parse(String(decoding: text, as: UTF8.self))
        } catch {
            throw KeyError.unreadable(path, error)
        }
    }

    /// The file opened, checked to hold this credential's secret, and sealed again for
    /// `recipients` with a fresh file key. The plaintext is overwritten once sealed.
    private func reseal(
        _ path: String, credential: Credential, identities: [X25519Identity], identityFile: String,
        to recipients: [X25519Recipient]
    ) throws -> [UInt8] {
        let sealed: [UInt8]
        do {
            guard try fileSystem.requireRegularFileOrNothing(at: path, singleLink: true) != nil else {
                throw RekeyError.missingFile(path: path, clientId: credential.clientId, nil)
            }
            sealed = try fileSystem.readFile(at: path, maxBytes: Unsealer.maxSealedBytes, followingLinks: false)
        } catch let error as FileSystemError {
            throw RekeyError.missingFile(path: path, clientId: credential.clientId, error)
        }
        let staged = StateTransaction.stagedPath(for: path)
        if fileSystem.kind(of: staged) != nil { throw RekeyError.stagedFileExists(staged) }
        var plaintext: [UInt8]
        do {
            plaintext = try Age.decrypt(sealed, identities: identities)
        } catch .noMatch {
            throw RekeyError.cannotOpen(path: path, identityFile: identityFile)
        } catch {
            throw KeyError.unreadable(path, error)
        }
        defer { plaintext.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        if let why = SealedPayload.mismatch(plaintext, credential: credential) {
            throw RekeyError.notTheCredentialsFile(path: path, clientId: credential.clientId, why: why)
        }
        do {
            let random = environment.random
            return try Age.encrypt(plaintext, to: recipients, random: { random.randomBytes($0) })
        } catch {
            throw ApplyError.sealingFailed(path: path, error)
        }
    }
}
