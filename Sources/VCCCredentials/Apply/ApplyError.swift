import AgeEncryption
import Foundation

/// Why an apply stopped. Every case but `interrupted` means nothing was changed.
public enum ApplyError: Error, Sendable {
    /// Another run holds the state lock.
    case locked(statePath: String, holder: String)
    /// New credentials would be created, but nobody could open their secrets.
    /// `first`: the address (OWNER/NAME) of one credential no recipient would receive.
    case noRecipients(creates: Int, first: String)
    /// `at` is nil for a `--recipient` flag.
    case invalidRecipient(String, at: SourceLocation?)
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
    /// No `--state`, and no saved plan recording one.
    case noStatePath(planFile: String?)
    /// Planning again under the lock did not give the plan the person approved: the state
    /// or the manifests changed while they read it.
    case changedSinceShown(statePath: String, StalePlan)
    /// The run refreshes (`--refresh`, or a plan made with it) but was given no way to
    /// read VCC's users (a library caller's ``Applier/apply(_:)``).
    case refreshNeedsVCC
    /// `STATE.remote` exists: a user change sent to VCC's API by an interrupted apply is
    /// not yet settled, and only an apply that can ask VCC settles it.
    case unsettledRemoteChange(statePath: String)
    /// Another run wrote the state while this one read VCC's users (`--refresh`).
    case changedWhileReadingVCC(statePath: String)

    public var diagnostics: [Diagnostic] { [diagnostic] }

    private var diagnostic: Diagnostic {
        switch self {
        case .locked(let statePath, let holder):
            let who = holder.trimmingCharacters(in: .whitespacesAndNewlines)
            return .error(
                "is locked by another run (\(who.isEmpty ? "holder unknown" : Printable.escaped(who))); retry later "
                    + "or pass --lock-timeout SECONDS",
                at: SourceLocation(file: statePath))
        case .noRecipients(let creates, let first):
            let which =
                creates == 1 ? "(\(Printable.escaped(first)))" : "(\(Printable.escaped(first)) and \(creates - 1) more)"
            return .error(
                "the plan creates \(creates) credential\(creates == 1 ? "" : "s") \(which) but no age recipient is "
                    + "configured for \(creates == 1 ? "it" : "them"): add users[].recipients (its owner's keys) or "
                    + "settings.recipients (escrow) to the manifests, or pass --recipient age1...; nothing was "
                    + "written"
            )
        case .invalidRecipient(let recipient, let location):
            let problem = X25519Recipient.problem(with: recipient)
            return location.map { .error(problem, at: $0) } ?? .error("--recipient: \(problem)")
        case .sealedFileExists(let path):
            return .error(
                "already exists and sealed files are never overwritten; move it away or choose another --sealed-out; "
                    + "nothing was written",
                at: SourceLocation(file: path))
        case .sealingFailed(let path, let error):
            return .error(
                "could not seal the new secrets: \(error); nothing was changed", at: SourceLocation(file: path))
        case .fileSystem(let error):
            return .error("\(error.problem); nothing was changed", at: SourceLocation(file: error.path))
        case .journalMismatch(let journal, let mismatch):
            return .error("\(mismatch)", at: SourceLocation(file: journal))
        case .unsafeState(let path, let reason, let target):
            return .error(Self.unsafeState(reason, target: target, path: path), at: SourceLocation(file: path))
        case .unusableSealedPath(let path, let problem, let fromFlag):
            return Self.unusableSealedPath(path, problem, fromFlag: fromFlag)
        case .serialExhausted(let statePath):
            return .error(
                "serial \(State.maxSerial) is the largest a state can have, so no further apply can be recorded; "
                    + "start a new state with 'vcc-creds init'; nothing was written",
                at: SourceLocation(file: statePath))
        case .refreshNeedsVCC:
            return .error(
                "this apply needs VCC's API (a refresh, or user changes made through it), and has no "
                    + "connection to it; nothing was written")
        case .changedWhileReadingVCC(let statePath):
            return .error(
                "the state changed while VCC's users were read (another run wrote it); nothing was written: run "
                    + "again", at: SourceLocation(file: statePath))
        case .unsettledRemoteChange(let statePath):
            return .error(
                "\(RemoteIntent.path(for: statePath)) holds a user change an interrupted apply sent to VCC; run "
                    + "vcc-creds apply with VCC's connection to settle it first; nothing was written",
                at: SourceLocation(file: statePath))
        case .noStatePath(let planFile):
            guard let planFile else { return .error("no state file: \(PathDefaults.stateHint); nothing was written") }
            return .error(
                "the plan records no state: \(PathDefaults.stateHint); nothing was written",
                at: SourceLocation(file: planFile))
        case .changedSinceShown(let statePath, let stale):
            return .error(
                "the plan changed after it was shown: \(stale.explanation); nothing was applied. Run apply again to "
                    + "review the new plan",
                at: SourceLocation(file: statePath))
        case .interrupted(let error, let sealedPath, let committed):
            let sealed = sealedPath.map { " Secrets are sealed in \($0)." } ?? ""
            let what =
                committed
                ? "The state was committed but the apply did not finish.\(sealed) Rerun apply to complete it."
                : "The state was not changed.\(sealed) Rerun apply to recover."
            return .error("\(error.problem). \(what)", at: SourceLocation(file: error.path))
        }
    }

    private static func unsafeState(_ reason: FileSystemError.Reason, target: String?, path: String) -> String {
        let split = "apply replaces the state by renaming a new file over it, which would leave"
        switch reason {
        case .symbolicLink:
            let real = target.map { ": pass that file, --state \($0)" } ?? ": pass the file it points to"
            return "is a symbolic link; \(split) the file it points to at the old serial\(real); nothing was written"
        case .hardLinks(let count):
            return
                "has \(count) hard links; \(split) the other names at the old serial: give it a file of its own; "
                + "nothing was written"
        case .system, .tooLarge, .exceedsLimit, .notARegularFile, .notAFolder, .stateSideFile, .notALockFile,
            .unterminatedLastLine,
            .injected:
            return "\(FileSystemError(path: path, operation: "replace", reason: reason).problem); nothing was written"
        }
    }

    /// From `--sealed-out`, the flag is named; else the path, where apply seals by default.
    private static func unusableSealedPath(_ path: String, _ problem: SealedPathProblem, fromFlag: Bool) -> Diagnostic {
        let (what, flagFix): (String, String)
        switch problem {
        case .folder:
            what = "names a folder, not a file"
            flagFix = "; give a file name such as \(PathComponents.join(path, "secrets.age"))"
        case .controlCharacter:
            what = "contains a control character"
            flagFix = "; choose a plain file name"
        case .temporaryName:
            what = "is named like a temp file (.NAME.tmp), which the next run would remove"
            flagFix = "; choose another name"
        case .stateFile:
            what =
                "is one of the files apply keeps beside the state (the state, its backup, journal, lock or audit log)"
            flagFix = "; choose another name"
        case .sealedIndex:
            what = "is the sealed folder's index.json, which apply rewrites"
            flagFix = "; choose another name"
        }
        guard !fromFlag else { return .error("--sealed-out \(path): \(what)\(flagFix); nothing was written") }
        return .error(
            "\(what), and apply seals there by default; pass --sealed-out FILE; nothing was written",
            at: SourceLocation(file: path))
    }
}

extension ApplyError: VCCError {
    public var exitStatus: ExitStatus {
        if case .locked = self { return .locked }
        if case .changedSinceShown = self { return .stalePlan }
        if case .changedWhileReadingVCC = self { return .stalePlan }
        return .failure
    }
}
