/// Applying a stale plan: refused, exit 4, nothing changed.
public struct StalePlanError: VCCError {
    public var planFile: String
    public var stale: StalePlan

    public var exitStatus: ExitStatus { .staleOrLocked }

    public var diagnostics: [Diagnostic] {
        [
            .error(
                "stale plan: \(stale.explanation); nothing was applied. Plan again.", at: SourceLocation(file: planFile)
            )
        ]
    }
}
