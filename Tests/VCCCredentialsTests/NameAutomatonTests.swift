import Testing

@testable import VCCCredentials

/// `policy.namePattern` decided by an automaton: the same answers as a regular
/// expression engine, work bounded by (name length + 1) × states, and anything it cannot
/// decide that way refused at load.
@Suite struct NameAutomatonTests {
    /// What a naming convention writes, against Swift's own regular expressions.
    @Test func conventionsMatchAsARegexWould() throws {
        let patterns = [
            "[a-z][a-z0-9-]*", "[a-z]+(-[a-z0-9]+)*", "(crm|erp)-[a-z]{2,8}", "^team-\\d{1,3}$", "[^_ ]+",
            "\\w+\\.v\\d", "a|b|", "(?:ab)?c{0,2}", "x.y", "[-a]+", "[a-]+", "\\[\\]\\{\\}", "(a*)*b",
        ]
        let names = [
            "", "a", "ab", "crm-sync", "crm-SYNC", "team-12", "team-1234", "x_y", "x y", "abc.v2", "erp-ab",
            "c", "cc", "abc", "-a-", "[]{}", "]", "aaab", "xzy", "a", "b", "ac", "abcc",
        ]
        for pattern in patterns {
            let automaton = try NameAutomaton(pattern)
            let regex = try Regex(pattern)
            for name in names {
                let expected = (try? regex.wholeMatch(in: name)) != nil
                #expect(automaton.matches(name) == expected, "\(pattern) against '\(name)'")
            }
        }
    }

    /// Small random patterns over a few letters, against Swift's Regex on short names:
    /// seeded, so a failure repeats.
    @Test func generatedPatternsMatchAsARegexWould() throws {
        var random = SeededGenerator(seed: 26)
        let names = Self.allNames(over: ["a", "b", "-"], upTo: 4)
        for _ in 0..<300 {
            let pattern = Self.pattern(depth: 2, using: &random)
            let automaton = try NameAutomaton(pattern)
            let regex = try Regex(pattern)
            for name in names {
                let expected = (try? regex.wholeMatch(in: name)) != nil
                #expect(automaton.matches(name) == expected, "\(pattern) against '\(name)'")
            }
        }
    }

    /// The patterns that hung plans with a backtracking engine: each answers with work
    /// within (length + 1) × states, or is refused at load.
    @Test func hostilePatternsAreDecidedInLinearWork() throws {
        let almost = String(repeating: "a", count: 22) + "_"
        for (pattern, name) in [
            ("([a-z0-9]+-?)+", almost), ("([a-z0-9]+-?)+", String(repeating: "a1-", count: 300) + "_"),
            ("(a|a)*", almost), ("(a*)*b", String(repeating: "a", count: 999)),
            ("(.*a){20}", String(repeating: "a", count: 30)),
        ] {
            let automaton = try NameAutomaton(pattern)
            let decision = automaton.decide(name)
            #expect(!decision.matches || pattern == "(.*a){20}", "\(pattern)")
            #expect(decision.steps <= (name.count + 1) * automaton.stateCount, "\(pattern): \(decision.steps) steps")
        }
        #expect(throws: NameAutomaton.Problem.self) { try NameAutomaton("((a{0,20}){0,20}){0,20}") }
    }

    /// Nested counted repetitions of every shape up to three levels: refused for their
    /// size, or decided within the bound for any name.
    @Test func nestedRepetitionsAreRefusedOrBounded() {
        var random = SeededGenerator(seed: 27)
        var refused = 0
        for _ in 0..<200 {
            var pattern = ["a", "[a-z]", "(a|b)", ".", "a?"].randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let low = Int.random(in: 0...12, using: &random)
                let quantifier = [
                    "*", "+", "?", "{\(low)}", "{\(low),}", "{\(low),\(low + Int.random(in: 0...12, using: &random))}",
                ]
                .randomElement(using: &random)!
                pattern = "(\(pattern))\(quantifier)"
            }
            do {
                let automaton = try NameAutomaton(pattern)
                for name in [String(repeating: "a", count: 60) + "!", String(repeating: "ab", count: 500)] {
                    let steps = automaton.decide(name).steps
                    #expect(steps <= (name.count + 1) * automaton.stateCount, "\(pattern): \(steps) steps")
                }
            } catch {
                #expect(error.message.contains("states"), "\(pattern): \(error.message)")
                refused += 1
            }
        }
        #expect(refused < 200, "some patterns must compile")
    }

    @Test func whatAnAutomatonCannotDecideIsRefusedWhereItStands() {
        let cases: [(String, String, Int)] = [
            ("(a)\\1", "back-references are not supported", 3),
            ("a(?=b)", "only the group '(?:...)'", 1),
            ("\\p{L}+", "'\\p' are not supported", 0),
            ("[[:alpha:]]", "POSIX classes", 1),
            ("(ab", "a '(' that never closes", 0),
            ("ab)", "an unmatched ')'", 2),
            ("[a-", "a '[' that never closes", 0),
            ("a{3,1}", "the second number is smaller", 1),
            ("a{2000}", "a count above 1000", 1),
            ("a$b", "'$' is allowed only at the end", 1),
            ("a^", "'^' is allowed only at the start", 1),
            ("*a", "'*' has nothing to repeat", 0),
            ("a{x", "'{' starts no repetition", 1),
            ("a++", "possessive repetition", 2),
            ("[z-a]", "runs backwards", 1),
            ("\\", "escapes nothing", 0),
            (String(repeating: "(", count: 40) + String(repeating: ")", count: 40), "nest deeper than 32", 32),
            (String(repeating: "a", count: 1001), "longer than 1000 characters", 1000),
        ]
        for (pattern, message, offset) in cases {
            #expect(throws: NameAutomaton.Problem.self, "\(pattern)") { try NameAutomaton(pattern) }
            do {
                _ = try NameAutomaton(pattern)
            } catch {
                #expect(error.message.contains(message), "\(pattern): \(error.message)")
                #expect(error.offset == offset, "\(pattern): at \(error.offset)")
            }
        }
    }

    /// A `]` first in a class is the character, as POSIX has it (Swift's Regex refuses it).
    @Test func aBracketFirstInAClassIsTheCharacter() throws {
        let automaton = try NameAutomaton("[]a]+")
        #expect(automaton.matches("]a]"))
        #expect(!automaton.matches("b"))
    }

    @Test func aNameLongerThanTheLimitNeverMatches() throws {
        let automaton = try NameAutomaton("a*")
        #expect(automaton.matches(String(repeating: "a", count: NameAutomaton.maxNameLength)))
        #expect(!automaton.matches(String(repeating: "a", count: NameAutomaton.maxNameLength + 1)))
    }

    // MARK: - Generators

    static func allNames(over alphabet: [String], upTo length: Int) -> [String] {
        var names = [""]
        var frontier = [""]
        for _ in 0..<length {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            names += frontier
        }
        return names
    }

    static func pattern(depth: Int, using random: inout SeededGenerator) -> String {
        let atoms = ["a", "b", "-", ".", "[ab]", "[^a]", "\\-"]
        var items: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            var item =
                depth > 0 && Bool.random(using: &random)
                ? "(" + pattern(depth: depth - 1, using: &random) + ")" : atoms.randomElement(using: &random)!
            if Int.random(in: 0..<3, using: &random) == 0 {
                item += ["*", "+", "?", "{2}", "{0,2}", "{1,}"].randomElement(using: &random)!
            }
            items.append(item)
        }
        let sequence = items.joined()
        return depth > 0 && Int.random(in: 0..<4, using: &random) == 0
            ? sequence + "|" + pattern(depth: depth - 1, using: &random) : sequence
    }
}

/// SplitMix64: the same patterns on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
