/// What an apply did: the last stage of the pipeline.
public struct ApplyResult: Sendable {
    /// The plan as decided under the lock.
    public var plan: Plan
    /// The same plan, bound to the state file it was made against.
    public var document: PlanDocument
    /// The changes made, in order; empty when nothing was written.
    public var applied: [Change]
    /// The serial of the state written, or nil when nothing was written.
    public var newSerial: Int?
    /// Where the new secrets were sealed, or nil when nothing was created.
    public var sealedPath: String?
    /// Client IDs of the credentials whose secrets are in the sealed file.
    public var sealedClientIds: [String]
    /// Credentials' own sealed files written (`--sealed-dir`/CLIENT-ID.age).
    public var sealedFiles: [String] = []
    /// The sealed-output index, when it was rewritten.
    public var indexPath: String?
    /// The client ID minted for each credential created, by change id: what a pipeline
    /// needs to tell a consumer which sealed secret is theirs.
    public var createdClientIds: [ChangeID: String] = [:]
    /// Portal accounts: the steps handed to a person, now open in the state.
    public var handedOff: [PendingStep] = []
    /// Portal accounts: the runbook of every open step, as written.
    public var runbook: Runbook?
    /// Portal accounts: the runbook files written (Markdown, JSON).
    public var runbookPaths: [String] = []
    /// What was recovered from an interrupted earlier apply, for the user to read.
    public var notes: [Diagnostic]
    /// True when `--all-or-nothing` held back the permitted changes.
    public var heldBack: Bool
    /// True when the plan was shown on the terminal and approved or not: what is left to
    /// print is the outcome.
    public var planShown = false
    /// True when the person asked did not answer `yes`: nothing was written.
    public var cancelled = false
    /// `--refresh`: what VCC's users were, against the state before the apply.
    public var refresh: RefreshReport?
    /// `--refresh`: the user records VCC's answer changed in the state, committed with
    /// the changes (empty when nothing was written).
    public var refreshed: [Change] = []
    /// `api` user executor: why the run stopped before making every change (a request
    /// VCC refused or did not answer). What was made is in `applied`, committed.
    public var stoppedBy: Diagnostic?
    /// The permitted changes not made: after a stop, and user changes waiting for
    /// portal steps they depend on.
    public var notMade: [Change] = []

    /// 1 when cancelled, 3 when anything was refused, else 0.
    public var exitStatus: ExitStatus {
        if cancelled || stoppedBy != nil { return .failure }
        return plan.hasRefusals ? .refused : .success
    }
}
