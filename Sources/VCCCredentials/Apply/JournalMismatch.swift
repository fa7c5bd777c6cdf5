/// Why a journal (`STATE.pending`) does not belong to the state it sits beside. Recovery
/// then does nothing: it says what it found and what the user can check.
public enum JournalMismatch: Sendable, Hashable, CustomStringConvertible {
    /// A journal of another account's state, or of a state made again by `init`.
    case otherLineage(journal: String, state: String)
    /// The state is neither the one the interrupted apply started from nor the one it
    /// committed: it was replaced since (a `git pull`, a restore, a hand edit).
    case stateReplaced(from: Int, to: Int, state: String, now: Int, sealed: String?)
    /// The state is the committed one, but the journal's audit lines do not describe it.
    case auditLines(String)
    /// The sealed files it names are not ones a run of this state wrote.
    case sealedFiles(String)

    public var description: String {
        switch self {
        case .otherLineage(let journal, let state):
            return
                "it is the journal of another state (lineage \(journal); the state's is \(state)); nothing was "
                + "renamed or appended. If it does not belong here, remove it"
        case .stateReplaced(let from, let to, let state, let now, let sealed):
            let check = sealed.map { " and \($0)" } ?? ""
            return
                "it journals an interrupted apply from serial \(from) to \(to), but \(state) is neither (serial "
                + "\(now)): it was replaced since; nothing was renamed or appended. Check "
                + "\(AuditLog.path(for: state))\(check), then remove the journal"
        case .auditLines(let problem):
            return "it does not match the committed state: \(problem); nothing was appended. Check it, then remove it"
        case .sealedFiles(let problem):
            return
                "the sealed files it names do not fit the state: \(problem); nothing was renamed, removed or "
                + "appended. Check it, then remove it"
        }
    }
}
