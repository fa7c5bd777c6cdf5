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

/// An error of vcc-creds: diagnostics a user can act on, and the exit status it means.
/// The executable prints the diagnostics, and only it: no error spells its own
/// severity.
public protocol VCCError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
    /// What went wrong, one diagnostic per problem (a message never holds a line
    /// break, so no input can add a line that looks like vcc-creds wrote it).
    var diagnostics: [Diagnostic] { get }
}

extension VCCError {
    public var exitStatus: ExitStatus { .failure }
    public var description: String { diagnostics.flatMap(\.lines).joined(separator: "\n") }
}

extension DiagnosticsError: VCCError {}
extension PlanError: VCCError {}
extension StateError: VCCError {}
extension FileSystemError: VCCError {}
