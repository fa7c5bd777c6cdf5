/// A name pattern as a tree, before it becomes an automaton.
indirect enum PatternTree: Sendable {
    case empty
    case set(PatternCharacters)
    case sequence([PatternTree])
    case choice([PatternTree])
    case repeated(PatternTree, min: Int, max: Int?)
}

/// Reads the pattern language ``NameAutomaton`` describes, refusing anything else at
/// the character where it stands.
struct PatternParser {
    /// Deepest nesting of groups: the parser and the builder recurse once per level.
    static let maxDepth = 32
    /// Largest count in `{n,m}`.
    static let maxCount = 1_000

    private let characters: [Character]
    private var index = 0
    private var depth = 0

    init(_ characters: [Character]) {
        self.characters = characters
    }

    mutating func parse() throws(NameAutomaton.Problem) -> PatternTree {
        if peek == "^" { index += 1 }
        let tree = try alternation()
        if index < characters.count {
            throw problem("an unmatched ')'")
        }
        return tree
    }

    private var peek: Character? { index < characters.count ? characters[index] : nil }

    private func problem(_ message: String, at offset: Int? = nil) -> NameAutomaton.Problem {
        NameAutomaton.Problem(message: message, offset: offset ?? index)
    }

    private mutating func alternation() throws(NameAutomaton.Problem) -> PatternTree {
        var choices = [try sequence()]
        while peek == "|" {
            index += 1
            choices.append(try sequence())
        }
        return choices.count == 1 ? choices[0] : .choice(choices)
    }

    private mutating func sequence() throws(NameAutomaton.Problem) -> PatternTree {
        var items: [PatternTree] = []
        while let character = peek, character != "|", character != ")" {
            if character == "$" {
                guard index == characters.count - 1 else { throw problem("'$' is allowed only at the end") }
                index += 1
                break
            }
            if character == "^" { throw problem("'^' is allowed only at the start") }
            var item = try atom()
            while let quantifier = try quantifier() {
                item = .repeated(item, min: quantifier.min, max: quantifier.max)
            }
            items.append(item)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .sequence(items)
        }
    }

    private mutating func atom() throws(NameAutomaton.Problem) -> PatternTree {
        let start = index
        let character = characters[index]
        index += 1
        switch character {
        case "(":
            if peek == "?" {
                guard index + 1 < characters.count, characters[index + 1] == ":" else {
                    throw problem("only the group '(?:...)' is supported among '(?...)' groups", at: start)
                }
                index += 2
            }
            depth += 1
            guard depth <= Self.maxDepth else { throw problem("groups nest deeper than \(Self.maxDepth)", at: start) }
            let inner = try alternation()
            guard peek == ")" else { throw problem("a '(' that never closes", at: start) }
            index += 1
            depth -= 1
            return inner
        case "[":
            return .set(try bracket(openedAt: start))
        case ".":
            return .set(PatternCharacters(any: true))
        case "\\":
            return .set(try escape(inClass: false))
        case "*", "+", "?":
            throw problem("'\(character)' has nothing to repeat", at: start)
        case "{":
            throw problem("'{' starts no repetition here; write '\\{' for the character", at: start)
        default:
            return .set(PatternCharacters(ranges: [character...character]))
        }
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}` (a lazy `?` after it changes nothing for a
    /// whole match); nil when none follows.
    private mutating func quantifier() throws(NameAutomaton.Problem) -> (min: Int, max: Int?)? {
        let start = index
        let result: (min: Int, max: Int?)
        switch peek {
        case "*": result = (0, nil)
        case "+": result = (1, nil)
        case "?": result = (0, 1)
        case "{": return try lazyOrNot(counted(), start: start)
        default: return nil
        }
        index += 1
        return try lazyOrNot(result, start: start)
    }

    /// Skips a lazy `?`; refuses a possessive `+`.
    private mutating func lazyOrNot(_ result: (min: Int, max: Int?), start: Int) throws(NameAutomaton.Problem)
        -> (min: Int, max: Int?)
    {
        if peek == "?" {
            index += 1
        } else if peek == "+" {
            throw problem("possessive repetition ('\(characters[start])+') is not supported")
        }
        return result
    }

    /// `{n}`, `{n,}` or `{n,m}`, with the index on the `{`; leaves it after the `}`.
    private mutating func counted() throws(NameAutomaton.Problem) -> (min: Int, max: Int?) {
        let start = index
        index += 1
        let low = number()
        var high: Int? = low
        if peek == "," {
            index += 1
            high = number()
        }
        guard let low, peek == "}" else {
            throw problem("'{' starts no repetition {n}, {n,} or {n,m}; write '\\{' for the character", at: start)
        }
        index += 1
        guard low <= Self.maxCount, (high ?? low) <= Self.maxCount else {
            throw problem("a count above \(Self.maxCount)", at: start)
        }
        if let high, high < low { throw problem("{\(low),\(high)}: the second number is smaller", at: start) }
        return (low, high)
    }

    private mutating func number() -> Int? {
        var digits = ""
        while let character = peek, character.isASCII, character.isNumber, digits.count < 5 {
            digits.append(character)
            index += 1
        }
        return Int(digits)
    }

    /// After `[`: a class up to its `]`.
    private mutating func bracket(openedAt start: Int) throws(NameAutomaton.Problem) -> PatternCharacters {
        var set = PatternCharacters()
        if peek == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while true {
            guard let character = peek else { throw problem("a '[' that never closes", at: start) }
            if character == "]" && !first {
                index += 1
                return set
            }
            first = false
            let itemStart = index
            if character == "[" && index + 1 < characters.count && characters[index + 1] == ":" {
                throw problem("POSIX classes ('[:alpha:]') are not supported")
            }
            let lower: Character
            if character == "\\" {
                index += 1
                let escaped = try escape(inClass: true)
                guard escaped.ranges.count == 1, let only = escaped.ranges.first, only.lowerBound == only.upperBound
                else {
                    set.ranges += escaped.ranges
                    continue
                }
                lower = only.lowerBound
            } else {
                lower = character
                index += 1
            }
            // `a-z`; a '-' first or last is the character itself.
            if peek == "-", index + 1 < characters.count, characters[index + 1] != "]" {
                index += 1
                var upper = characters[index]
                index += 1
                if upper == "\\" {
                    let escaped = try escape(inClass: true)
                    guard escaped.ranges.count == 1, let only = escaped.ranges.first, only.lowerBound == only.upperBound
                    else { throw problem("a range must end in one character") }
                    upper = only.lowerBound
                }
                guard lower <= upper else { throw problem("the range \(lower)-\(upper) runs backwards", at: itemStart) }
                set.ranges.append(lower...upper)
            } else {
                set.ranges.append(lower...lower)
            }
        }
    }

    /// After `\`: the escaped character, or a class (`\d`, `\w`, `\s`, and outside a
    /// bracket their negations).
    private mutating func escape(inClass: Bool) throws(NameAutomaton.Problem) -> PatternCharacters {
        let start = index - 1
        guard let character = peek else { throw problem("a '\\' at the end escapes nothing", at: start) }
        index += 1
        switch character {
        case "d", "w", "s", "D", "W", "S":
            var set: PatternCharacters
            switch character.lowercased() {
            case "d": set = .digits
            case "w": set = .word
            default: set = .space
            }
            if character.isUppercase {
                guard !inClass else { throw problem("'\\\(character)' inside [...] is not supported", at: start) }
                set.negated = true
            }
            return set
        case "n": return PatternCharacters(ranges: ["\n"..."\n"])
        case "t": return PatternCharacters(ranges: ["\t"..."\t"])
        default:
            if character.isASCII && (character.isLetter || character.isNumber) {
                let what = character.isNumber ? "back-references" : "'\\\(character)'"
                throw problem("\(what) are not supported; a name pattern is decided without backtracking", at: start)
            }
            return PatternCharacters(ranges: [character...character])
        }
    }
}

/// Thompson's construction: a pattern tree becomes states with out-links to patch.
struct AutomatonBuilder {
    /// A link left open, to the state that follows a fragment.
    enum Slot {
        case out(Int)
        case second(Int)
    }

    struct Fragment {
        var start: Int
        var outs: [Slot]
    }

    var states: [AutomatonState] = []

    mutating func add(_ state: AutomatonState) throws(NameAutomaton.Problem) -> Int {
        guard states.count < NameAutomaton.maxStates else {
            throw NameAutomaton.Problem(
                message: "needs more than \(NameAutomaton.maxStates) states (large or nested repetitions); simplify it",
                offset: 0)
        }
        states.append(state)
        return states.count - 1
    }

    mutating func patch(_ slots: [Slot], to target: Int) {
        for slot in slots {
            switch slot {
            case .out(let index):
                switch states[index] {
                case .character(let set, _): states[index] = .character(set, out: target)
                case .empty: states[index] = .empty(out: target)
                case .split(_, let second): states[index] = .split(target, second)
                case .match: break
                }
            case .second(let index):
                if case .split(let first, _) = states[index] { states[index] = .split(first, target) }
            }
        }
    }

    mutating func compile(_ tree: PatternTree) throws(NameAutomaton.Problem) -> Fragment {
        switch tree {
        case .empty:
            let state = try add(.empty(out: -1))
            return Fragment(start: state, outs: [.out(state)])
        case .set(let set):
            let state = try add(.character(set, out: -1))
            return Fragment(start: state, outs: [.out(state)])
        case .sequence(let items):
            var fragment = try compile(items[0])
            for item in items.dropFirst() {
                let next = try compile(item)
                patch(fragment.outs, to: next.start)
                fragment.outs = next.outs
            }
            return fragment
        case .choice(let items):
            var fragment = try compile(items[0])
            for item in items.dropFirst() {
                let next = try compile(item)
                let split = try add(.split(fragment.start, next.start))
                fragment = Fragment(start: split, outs: fragment.outs + next.outs)
            }
            return fragment
        case .repeated(let item, let min, let max):
            return try repeated(item, min: min, max: max)
        }
    }

    /// `min` copies, then any number (`max` nil) or up to `max - min` more, nested
    /// (`x{0,3}` is `(x(x(x)?)?)?`), so the states grow with the count, not its square.
    private mutating func repeated(_ item: PatternTree, min: Int, max: Int?) throws(NameAutomaton.Problem) -> Fragment {
        var pieces: [Fragment] = []
        for _ in 0..<min { pieces.append(try compile(item)) }
        if let max {
            var optional: Fragment?
            for _ in 0..<(max - min) {
                let copy = try compile(item)
                let split = try add(.split(copy.start, -1))
                var outs: [Slot] = [.second(split)]
                if let inner = optional {
                    patch(copy.outs, to: inner.start)
                    outs += inner.outs
                } else {
                    outs += copy.outs
                }
                optional = Fragment(start: split, outs: outs)
            }
            if let optional { pieces.append(optional) }
        } else {
            let split = try add(.split(-1, -1))
            let copy = try compile(item)
            patch(copy.outs, to: split)
            states[split] = .split(copy.start, -1)
            pieces.append(Fragment(start: split, outs: [.second(split)]))
        }
        guard var fragment = pieces.first else { return try compile(.empty) }
        for next in pieces.dropFirst() {
            patch(fragment.outs, to: next.start)
            fragment.outs = next.outs
        }
        return fragment
    }
}
