import Crypto

/// A state file on disk: loading it (with the digest of its exact bytes, which saved
/// plans bind to), and writing a new one atomically with the previous kept as backup.
public struct StateStore: Sendable {
    /// Largest state file read.
    public static let maxBytes = 512 * 1024 * 1024

    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    /// A state as read from disk.
    public struct Loaded: Sendable {
        public var path: String
        public var state: State
        public var bytes: [UInt8]
        /// Lowercase hex SHA-256 of the file's bytes.
        public var sha256: String
    }

    /// Reads and validates a state. `followingLinks: false` is for a run that will
    /// replace the file: a link there is an error, not a file to read.
    public func load(_ path: String, followingLinks: Bool = true) throws(StateError) -> Loaded {
        let bytes: [UInt8]
        do {
            bytes = try environment.fileSystem.readFile(
                at: path, maxBytes: Self.maxBytes, followingLinks: followingLinks)
        } catch {
            if error.isNotFound { throw .notFound(path: path) }
            throw .fileSystem(error)
        }
        do {
            let state = try StateCodec.decode(bytes, file: path)
            return Loaded(path: path, state: state, bytes: bytes, sha256: Digest.sha256Hex(bytes))
        } catch {
            throw .invalid(error)
        }
    }

    /// Writes a brand-new state file; fails if anything exists at `path`.
    public func create(_ state: State, at path: String) throws(StateError) {
        if environment.fileSystem.kind(of: path) != nil { throw .alreadyExists(path: path) }
        do {
            try atomicFile.create(path, with: StateCodec.encode(state))
        } catch {
            if error.alreadyExists { throw .alreadyExists(path: path) }
            throw .fileSystem(error)
        }
    }

    /// Replaces the state at `previous.path` with `encoded` (a state's canonical bytes):
    /// first `STATE.backup` gets the previous bytes, then the new state is renamed into
    /// place. Both get `permissions`: the mode the state had, so a private state stays so.
    public func commit(encoded: [UInt8], replacing previous: Loaded, permissions: FilePermissions) throws(StateError) {
        do {
            try atomicFile.replace(Self.backupPath(for: previous.path), with: previous.bytes, permissions: permissions)
            try atomicFile.replace(previous.path, with: encoded, permissions: permissions)
        } catch {
            throw .fileSystem(error)
        }
    }

    public static func backupPath(for path: String) -> String { path + ".backup" }

    /// `STATE.lock`: the file apply holds the state's lock on.
    public static func lockPath(for path: String) -> String { path + ".lock" }
    /// `STATE.pending`: the journal of an apply in progress (``ApplyJournal``).
    static func journalPath(for path: String) -> String { path + ".pending" }
    /// `STATE.audit.jsonl`: one line per change ever applied (``AuditLog``).
    static func auditPath(for path: String) -> String { path + ".audit.jsonl" }
    /// `STATE.remote`: a user change sent to VCC's API and not yet in the state
    /// (``RemoteIntent``).
    static func remoteIntentPath(for path: String) -> String { path + ".remote" }

    /// Whether `path` names (through links in its folders) the state or one of the files
    /// kept beside it, even those not written yet: nothing else may be written there.
    static func isSideFile(_ path: String, of statePath: String, fileSystem: any FileSystem) -> Bool {
        let sideFiles = [
            statePath, backupPath(for: statePath), journalPath(for: statePath), lockPath(for: statePath),
            auditPath(for: statePath), remoteIntentPath(for: statePath),
        ]
        return sideFiles.map(fileSystem.canonicalPath).contains(fileSystem.canonicalPath(path))
    }

    private var atomicFile: AtomicFile {
        AtomicFile(fileSystem: environment.fileSystem, random: environment.random)
    }
}

extension StateStore {
    /// What a command that only reads says when an interrupted run left its journal: the
    /// state may already name what its sealed files do not have yet.
    public static func interruptedRunNote(statePath: String, fileSystem: any FileSystem = LocalFileSystem()) -> String?
    {
        guard fileSystem.kind(of: ApplyJournal.path(for: statePath)) != nil else { return nil }
        return
            "\(ApplyJournal.path(for: statePath)) exists: a run that writes the state was interrupted, and the next "
            + "apply, record or rekey finishes it; until then its sealed files and index may not be what the "
            + "state says"
    }
}
