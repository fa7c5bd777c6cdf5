import Synchronization
import VCCCredentials

/// A terminal whose person answers from a script: records what was shown, and runs
/// `whileAsked` before answering (to change the files while the question is open).
final class ScriptedTerminal: Terminal {
    let isInteractive: Bool
    private let answer: String?
    private let whileAsked: @Sendable () -> Void
    private let shown = Mutex<[String]>([])
    private let reads = Mutex(0)

    init(interactive: Bool = true, answer: String?, whileAsked: @escaping @Sendable () -> Void = {}) {
        isInteractive = interactive
        self.answer = answer
        self.whileAsked = whileAsked
    }

    /// Everything written, joined.
    var output: String { shown.withLock { $0.joined() } }
    /// How many times an answer was read.
    var questions: Int { reads.withLock { $0 } }

    func write(_ text: String) { shown.withLock { $0.append(text) } }

    func readLine() -> String? {
        reads.withLock { $0 += 1 }
        whileAsked()
        return answer
    }
}
