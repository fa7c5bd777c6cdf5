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

/// An error of vcc-creds: a message a user can act on, and the exit status it means.
public protocol VCCError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
    /// The message as stderr shows it: one line, or one per diagnostic. A line never
    /// holds a line break of its own (a value quoted from a flag could hold one), so no
    /// input can add a line that looks like vcc-creds wrote it.
    var messageLines: [String] { get }
}

extension VCCError {
    public var exitStatus: ExitStatus { .failure }
    public var messageLines: [String] { [description] }
}

extension DiagnosticsError: VCCError {
    public var messageLines: [String] { diagnostics.map(\.description) }
}

extension StateError: VCCError {
    public var messageLines: [String] {
        if case .invalid(let diagnostics) = self { return diagnostics.messageLines }
        return [description]
    }
}

extension PlanError: VCCError {}
extension FileSystemError: VCCError {}
