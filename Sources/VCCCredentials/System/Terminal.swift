/// The person who typed the command, when one is there: `apply` shows them the plan and
/// asks before it writes. Injected (``SystemEnvironment/terminal``) so a test can answer.
public protocol Terminal: Sendable {
    /// True when standard input is a terminal: someone can answer a question.
    var isInteractive: Bool { get }
    /// Shows `text` as it is, where the person reads it.
    func write(_ text: String)
    /// The next line typed, without its line break; nil at the end of input.
    func readLine() -> String?
}
