import Testing
import VCCCredentials

struct SuggestionCase: Sendable, CustomTestStringConvertible {
    var word: String
    var candidates: [String]
    var expected: String?

    var testDescription: String { "\(word) -> \(expected ?? "nothing")" }
}

private let manifestKeys = ["account", "settings", "users", "credentials"]
private let licenses = ["admin", "supervisor", "agent", "wallboard"]
private let scopes = Scope.builtIn.map(\.rawValue)

@Suite struct SuggestionTests {
    static let cases: [SuggestionCase] = [
        SuggestionCase(word: "credentails", candidates: manifestKeys, expected: "credentials"),
        SuggestionCase(word: "acount", candidates: manifestKeys, expected: "account"),
        SuggestionCase(word: "user", candidates: manifestKeys, expected: "users"),
        SuggestionCase(word: "supervisr", candidates: licenses, expected: "supervisor"),
        SuggestionCase(word: "ADMIN", candidates: licenses, expected: "admin"),
        SuggestionCase(word: "agen", candidates: licenses, expected: "agent"),
        // Swapped neighbours are one edit.
        SuggestionCase(word: "agnet", candidates: licenses, expected: "agent"),
        SuggestionCase(word: "sotck", candidates: ["stock"], expected: "stock"),
        SuggestionCase(word: "user:read", candidates: scopes, expected: "users:read"),
        SuggestionCase(word: "users:wrte", candidates: scopes, expected: "users:write"),
        SuggestionCase(word: "stat", candidates: scopes, expected: "stats"),
        SuggestionCase(word: "global-pci", candidates: scopes, expected: "globalpci"),
        SuggestionCase(word: "maxdeletes", candidates: ["prune", "maxDeletes", "recipients"], expected: "maxDeletes"),
        // Too far from everything: no guess.
        SuggestionCase(word: "root", candidates: licenses, expected: nil),
        SuggestionCase(word: "kind", candidates: manifestKeys, expected: nil),
        SuggestionCase(word: "xd", candidates: ["id"], expected: "id"),
        SuggestionCase(word: "xy", candidates: ["id"], expected: nil),
        SuggestionCase(word: "anything", candidates: [], expected: nil),
        // Exact match wins; of two equally close candidates the first is kept.
        SuggestionCase(word: "stats", candidates: scopes, expected: "stats"),
        SuggestionCase(word: "cat", candidates: ["bat", "hat"], expected: "bat"),
        SuggestionCase(
            word: "bob@acme.exampel", candidates: ["alice@acme.example", "bob@acme.example"],
            expected: "bob@acme.example"),
    ]

    @Test(arguments: cases) func closest(_ example: SuggestionCase) {
        #expect(Suggestion.closest(to: example.word, in: example.candidates) == example.expected)
    }

    @Test func hintIsPhrasedForAppendingToAMessage() {
        #expect(Suggestion.hint(for: "supervisr", in: licenses) == "; did you mean 'supervisor'?")
        #expect(Suggestion.hint(for: "root", in: licenses) == "")
        #expect(Suggestion.hintOrChoices(for: "supervisr", in: licenses) == "; did you mean 'supervisor'?")
        #expect(Suggestion.hintOrChoices(for: "root", in: licenses) == " (one of: admin, supervisor, agent, wallboard)")
    }

    @Test func anUnknownCommandIsTheFirstWordThatIsNoOption() {
        let commands = ["init", "plan", "apply", "rotate", "help"]
        #expect(
            UnknownCommand.message(arguments: ["pln"], commands: commands)
                == "unknown command 'pln'; did you mean 'plan'?")
        #expect(
            UnknownCommand.message(arguments: ["--verbose", "aply", "--as", "x"], commands: commands)
                == "unknown command 'aply'; did you mean 'apply'?")
        #expect(
            UnknownCommand.message(arguments: ["xyz"], commands: commands)
                == "unknown command 'xyz'; run 'vcc-creds --help' to list the commands")
        // `help` asks about the word after it.
        #expect(
            UnknownCommand.message(arguments: ["help", "pln"], commands: commands)
                == "unknown command 'pln'; did you mean 'plan'?")
        // A known command, or none at all, is the parser's to handle.
        for known in [
            ["plan", "--stat", "x"], ["help", "plan"], ["help"], ["--help"], ["--version"], [],
            // The parser's root options: a shell's name is no command (as the docs write it).
            ["--generate-completion-script", "bash"], ["--generate-completion-script=zsh"],
            ["---completion", "plan", "--", "--st"],
        ] {
            #expect(UnknownCommand.message(arguments: known, commands: commands) == nil, "\(known)")
        }
        // What is quoted is escaped, as every message is.
        #expect(
            UnknownCommand.message(arguments: ["pl\u{1B}n"], commands: commands)
                == "unknown command 'pl\\u{1B}n'; did you mean 'plan'?")
    }
}
