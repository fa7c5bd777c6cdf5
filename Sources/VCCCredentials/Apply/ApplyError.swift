import AgeEncryption
import Foundation

/// Why an apply stopped. Every case but `interrupted` means nothing was changed.
public enum ApplyError: Error, Sendable {
    /// Another run holds the state lock.
    case locked(statePath: String, holder: String)
    /// New credentials would be created, but nobody could open their secrets.
    case noRecipients(creates: Int)
    case invalidRecipient(String, source: String)
    case sealedFileExists(String)
    /// age refused to seal (before anything was written): not a disk problem.
    case sealingFailed(path: String, AgeError)
    case fileSystem(FileSystemError)
    /// A failure after the sealed file was written: rerunning finishes or undoes it.
    case interrupted(FileSystemError, sealedPath: String?, committed: Bool)
    /// A journal of an interrupted apply that does not match the state: left alone.
    case journalMismatch(journal: String, JournalMismatch)
    /// The state is a link, has several names, or is not a file: replacing it by rename
    /// would split it. `target` is what a link resolves to.
    case unsafeState(path: String, FileSystemError.Reason, target: String?)
    /// The sealed path cannot be used; `fromFlag` when it came from `--sealed-out`.
    case unusableSealedPath(String, SealedPathProblem, fromFlag: Bool)
    /// The state's serial is the largest a state can have.
    case serialExhausted(statePath: String)
    /// `--lock-timeout` out of range.
    case invalidLockTimeout(Double)

    public var diagnostics: [Diagnostic] { [diagnostic] }

    private var diagnostic: Diagnostic {
        switch self {
        case .locked(let statePath, let holder):
            let who = holder.trimmingCharacters(in: .whitespacesAndNewlines)
            return .error("\(statePath) is locked by another run (\(who.isEmpty ? "holder unknown" : Printable.escaped(who))); retry later or pass --lock-timeout SECONDS")
        case .noRecipients(let creates):
            return .error("the plan creates \(creates) credential\(creates == 1 ? "" : "s") but no age recipient is configured: add settings.recipients to the manifests or pass --recipient age1...; nothing was written")
        case .invalidRecipient(let recipient, let source):
            return .error(X25519Recipient.problem(with: recipient), at: SourceLocation(file: source))
        case .sealedFileExists(let path):
            return .error("\(path) already exists and sealed files are never overwritten; move it away or choose another --sealed-out; nothing was written")
        case .sealingFailed(let path, let error):
            return .error("could not seal the new secrets: \(error); nothing was changed", at: SourceLocation(file: path))
        case .fileSystem(let error):
            return .error("\(error); nothing was changed")
        case .journalMismatch(let journal, let mismatch):
            return .error("\(mismatch)", at: SourceLocation(file: journal))
        case .unsafeState(let path, let reason, let target):
            let split = "apply replaces the state by renaming a new file over it, which would leave"
            switch reason {
            case .symbolicLink:
                let real = target.map { ": pass that file, --state \($0)" } ?? ": pass the file it points to"
                return .error("\(path) is a symbolic link; \(split) the file it points to at the old serial\(real); nothing was written")
            case .hardLinks(let count):
                return .error("\(path) has \(count) hard links; \(split) the other names at the old serial: give it a file of its own; nothing was written")
            default:
                return .error("\(FileSystemError(path: path, operation: "replace", reason: reason)); nothing was written")
            }
        case .unusableSealedPath(let path, let problem, let fromFlag):
            let named = fromFlag ? "--sealed-out \(path)" : "\(path) (where apply seals by default)"
            let fix = fromFlag ? "" : " or pass --sealed-out FILE"
            switch problem {
            case .folder:
                let example = fromFlag ? "; give a file name such as \(PathComponents.join(path, "secrets.age"))" : fix
                return .error("\(named): names a folder, not a file\(example); nothing was written")
            case .controlCharacter:
                return .error("\(named): contains a control character; choose a plain file name; nothing was written")
            case .temporaryName:
                return .error("\(named): is named like a temp file (.NAME.tmp), which the next run would remove; choose another name; nothing was written")
            case .stateFile:
                return .error("\(named): is one of the files apply keeps beside the state (the state, its backup, journal, lock or audit log); choose another name\(fix); nothing was written")
            }
        case .serialExhausted(let statePath):
            return .error("\(statePath): serial \(State.maxSerial) is the largest a state can have, so no further apply can be recorded; start a new state with 'vcc-creds init'; nothing was written")
        case .invalidLockTimeout(let seconds):
            return .error("--lock-timeout \(seconds): \(LockTimeout.rule); nothing was written")
        case .interrupted(let error, let sealedPath, let committed):
            let sealed = sealedPath.map { " Secrets are sealed in \($0)." } ?? ""
            return committed
                ? .error("\(error). The state was committed but the apply did not finish.\(sealed) Rerun apply to complete it.")
                : .error("\(error). The state was not changed.\(sealed) Rerun apply to recover.")
        }
    }
}

extension ApplyError: VCCError {
    public var exitStatus: ExitStatus {
        if case .locked = self { return .staleOrLocked }
        return .failure
    }
}
