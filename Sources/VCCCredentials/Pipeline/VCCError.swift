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
