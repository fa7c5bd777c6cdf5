/// One problem found in the user's input, with severity and `file:line:column`, printed
/// one per line the way compilers do so editors and CI annotate the right place.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    /// What helps with this one: printed on lines of their own after it, each a
    /// `note` (or whatever severity it carries) with a location of its own.
    public var notes: [Diagnostic]

    public init(
        _ severity: Severity = .error, _ message: String, at location: SourceLocation?, notes: [Diagnostic] = []
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    public static func error(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation? = nil, notes: [Diagnostic] = [])
        -> Diagnostic
    {
        Diagnostic(.warning, message, at: location, notes: notes)
    }

    public static func note(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.note, message, at: location)
    }

    /// The same finding told as a note: what an error means when it only explains
    /// another diagnostic (why a check could not be made).
    public var asNote: Diagnostic { Diagnostic(.note, message, at: location, notes: notes) }

    /// `file:line:column: severity: message`, the one way every diagnostic is spelled;
    /// notes are not included (see ``lines``).
    public var description: String {
        guard let location else { return "\(severity.rawValue): \(message)" }
        return "\(location): \(severity.rawValue): \(message)"
    }

    /// The diagnostic and its notes, one line each, as stderr shows them.
    public var lines: [String] { [description] + notes.flatMap(\.lines) }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case (let left?, let right?) where left != right: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        case (_?, _?), (nil, nil): return lhs.message < rhs.message  // the same place, or neither has one
        }
    }
}
