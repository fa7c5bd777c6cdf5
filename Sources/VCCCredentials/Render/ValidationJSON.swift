import StrictJSON

/// `validate --format json`: the manifests' problems as data, for editors and CI
/// annotations that would otherwise parse `file:line:column: severity: message`.
public enum ValidationJSON {
    /// The result of a check: `desired` when the manifests loaded, and every problem
    /// found (a diagnostic's notes follow it as problems of their own, as on stderr).
    public static func render(desired: Desired?, problems: [Diagnostic]) -> [UInt8] {
        var out = JSONStreamWriter(style: .pretty)
        out.beginObject()
        if let desired {
            out.field("account", desired.account)
            out.field("credentials", desired.credentials.count)
            out.field("files", desired.files.count)
        }
        out.key("problems")
        out.beginArray()
        for problem in problems.flatMap(flattened) {
            out.element()
            out.beginObject()
            out.key("column")
            if let mark = problem.location?.mark { out.int(mark.column) } else { out.null() }
            out.key("file")
            if let file = problem.location?.file { out.string(file) } else { out.null() }
            out.key("line")
            if let mark = problem.location?.mark { out.int(mark.line) } else { out.null() }
            out.field("message", problem.message)
            out.field("severity", problem.severity.rawValue)
            out.endObject()
        }
        out.endArray()
        if let desired { out.field("users", desired.users.count) }
        out.key("valid")
        out.bool(desired != nil && !problems.contains { $0.severity == .error })
        out.endObject()
        return out.finish()
    }

    private static func flattened(_ diagnostic: Diagnostic) -> [Diagnostic] {
        [Diagnostic(diagnostic.severity, diagnostic.message, at: diagnostic.location)]
            + diagnostic.notes.flatMap(flattened)
    }
}
