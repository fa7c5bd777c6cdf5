/// The process exit codes, one meaning each, as CI scripts rely on them: a job retries
/// a locked state (5) but plans again for a stale plan (4).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// No changes, or all applied.
    case success = 0
    /// Bad input or a failure; nothing was changed.
    case failure = 1
    /// The plan has permitted changes (only with `--detailed-exitcode`).
    case changesPresent = 2
    /// Some changes were refused.
    case refused = 3
    /// A saved plan is stale (or the state changed after a plan was approved): plan again.
    case stalePlan = 4
    /// Another run holds the state lock: retry later.
    case locked = 5

    /// The former name of ``stalePlan``, from when a lock exited 4 too; ``StalePlanError``
    /// still spells it so.
    public static let staleOrLocked = ExitStatus.stalePlan

    /// The status of `plan`: refusals win over pending changes.
    public static func forPlan(_ plan: Plan, detailedExitCode: Bool) -> ExitStatus {
        if plan.hasRefusals { return .refused }
        if detailedExitCode && plan.hasPermittedChanges { return .changesPresent }
        return .success
    }
}
