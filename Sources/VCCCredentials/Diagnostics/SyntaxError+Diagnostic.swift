import SourceText

extension Diagnostic {
    /// A parser's syntax error in `file`, at its line and column.
    static func syntax(_ error: SyntaxError, in file: String) -> Diagnostic {
        .error(error.message, at: SourceLocation(file: file, mark: error.mark))
    }
}
