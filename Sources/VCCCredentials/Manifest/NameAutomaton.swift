/// `policy.namePattern`, compiled to an automaton that decides a name without ever
/// backtracking: the work is at most (name length + 1) × states, and both are bounded.
///
/// A backtracking engine (Swift's `Regex`) takes exponential time on patterns such as
/// `([a-z0-9]+-?)+` against a name that almost matches, and a manifest is input: one
/// pull request must not be able to hang every plan and apply of an account. So the
/// pattern language is the part of regular expressions that an automaton decides:
/// literals and escapes, `.`, classes (`[a-z0-9-]`, `[^_]`, `\d` `\w` `\s` in ASCII),
/// groups (`(...)`, `(?:...)`), `|`, and `*` `+` `?` `{n}` `{n,}` `{n,m}`; `^` and `$`
/// only at the ends (a name is matched whole anyway). Anything else (back-references,
/// look-around, Unicode properties) is refused where it stands, as is a pattern that
/// would need more than ``maxStates`` states.
public struct NameAutomaton: Sendable {
    /// The largest automaton accepted: far above any naming convention's
    /// (`[a-z][a-z0-9-]{2,62}` needs about 130), far below a slow plan.
    public static let maxStates = 1_000
    /// Names longer than this are not matched: they never satisfy the pattern, so each
    /// check is at most `maxNameLength × maxStates` steps.
    public static let maxNameLength = 1_000
    /// The longest pattern read.
    public static let maxPatternLength = 1_000

    /// Why a pattern is refused, and where in it (a character offset, from 0).
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
    }

    private let states: [AutomatonState]
    private let start: Int

    public var stateCount: Int { states.count }

    public init(_ pattern: String) throws(Problem) {
        let characters = Array(pattern)
        guard characters.count <= Self.maxPatternLength else {
            throw Problem(message: "is longer than \(Self.maxPatternLength) characters", offset: Self.maxPatternLength)
        }
        var parser = PatternParser(characters)
        let tree = try parser.parse()
        var builder = AutomatonBuilder()
        let fragment = try builder.compile(tree)
        let match = try builder.add(.match)
        builder.patch(fragment.outs, to: match)
        states = builder.states
        start = fragment.start
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool { decide(name).matches }

    /// The answer and the work it took (states visited): tests bound the work without a
    /// clock.
    public func decide(_ name: String) -> (matches: Bool, steps: Int) {
        guard name.count <= Self.maxNameLength else { return (false, 0) }
        var visited = 0
        var seen = [Int](repeating: -1, count: states.count)
        var current: [Int] = []
        var generation = 0
        close(start, into: &current, seen: &seen, generation: generation, visited: &visited)
        for character in name {
            generation += 1
            var next: [Int] = []
            for index in current {
                if case .character(let set, let out) = states[index], set.contains(character) {
                    close(out, into: &next, seen: &seen, generation: generation, visited: &visited)
                }
            }
            if next.isEmpty { return (false, visited) }
            current = next
        }
        return (current.contains { if case .match = states[$0] { true } else { false } }, visited)
    }

    /// Adds `index` and every state reachable from it without reading a character.
    private func close(_ index: Int, into set: inout [Int], seen: inout [Int], generation: Int, visited: inout Int) {
        var stack = [index]
        while let top = stack.popLast() {
            guard seen[top] != generation else { continue }
            seen[top] = generation
            visited += 1
            switch states[top] {
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .empty(let out):
                stack.append(out)
            case .character, .match:
                set.append(top)
            }
        }
    }
}

/// One state of the automaton: it reads a character, or branches, or accepts.
enum AutomatonState: Sendable {
    case character(PatternCharacters, out: Int)
    case split(Int, Int)
    case empty(out: Int)
    case match
}

/// The characters one position of a pattern accepts.
struct PatternCharacters: Sendable, Hashable {
    var ranges: [ClosedRange<Character>] = []
    var negated = false
    var any = false

    func contains(_ character: Character) -> Bool {
        if any { return true }
        let inside = ranges.contains { $0.contains(character) }
        return inside != negated
    }

    static let digits = PatternCharacters(ranges: ["0"..."9"])
    static let word = PatternCharacters(ranges: ["a"..."z", "A"..."Z", "0"..."9", "_"..."_"])
    static let space = PatternCharacters(ranges: [
        " "..." ", "\t"..."\t", "\n"..."\n", "\r"..."\r", "\u{0B}"..."\u{0C}",
    ])
}
