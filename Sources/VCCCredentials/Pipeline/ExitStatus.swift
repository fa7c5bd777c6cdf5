/// The process exit codes, one meaning each, as CI scripts rely on them.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// No changes, or all applied.
    case success = 0
    /// Bad input or a failure; nothing was changed.
    case failure = 1
    /// The plan has permitted changes (only with `--detailed-exitcode`).
    case changesPresent = 2
    /// Some changes were refused.
    case refused = 3
    /// A saved plan is stale, or another run holds the state lock.
    case staleOrLocked = 4

    /// The status of `plan`: refusals win over pending changes.
    public static func forPlan(_ plan: Plan, detailedExitCode: Bool) -> ExitStatus {
        if plan.hasRefusals { return .refused }
        if detailedExitCode && plan.hasPermittedChanges { return .changesPresent }
        return .success
    }
}
