import Foundation
import Testing

/// Every command's `--help`, as a person reads it: placeholders that say what to give,
/// and examples that survive an 80-column window.
@Suite struct HelpTests {
    /// The subcommands `vcc-creds --help` lists: a command added later is checked too.
    static let commands: [String] = {
        guard let help = try? CLI.run(["--help"], in: Repository.root).stdout else { return [] }
        let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first ?? ""
        // "  plan                    Show what would change, ...": a name, then the column.
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), line.dropFirst(2).first?.isLowercase == true else { return nil }
            let name = line.dropFirst(2).prefix { !$0.isWhitespace }
            return line.dropFirst(2 + name.count).hasPrefix("  ") ? String(name) : nil
        }
    }()

    /// What a value placeholder may say: the kind of thing to give (a path, a person, an
    /// identifier, a time, free text), or the closed set of values spelled out. A
    /// placeholder that is only the property's name (`-o <o>`, `--as <as>`) tells the
    /// reader nothing the flag did not; a new one must be added here on purpose.
    static let placeholders: Set<String> = [
        "file", "folder", "key-file", "plan-file", "listing", "user", "login", "name", "text", "id", "account-id",
        "client-id", "change-id", "credential", "recipient", "format", "seconds", "span",
        "local|portal", "local|portal|api", "enabled|disabled",
        // The parser's own: `[<options>]` in a long usage, `<subcommand>` at the top.
        "options", "subcommand",
    ]

    static func help(_ command: [String], columns: String? = nil) throws -> CLI.Result {
        try CLI.run(command + ["--help"], in: Repository.root, environment: columns.map { ["COLUMNS": $0] } ?? [:])
    }

    static func placeholders(in text: String) -> Set<String> {
        var found: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { break }
            found.insert(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return found
    }

    @Test func theCommandListIsRead() {
        #expect(Self.commands.count >= 19)
        for command in ["init", "plan", "apply", "import", "forget", "export", "keygen", "verify"] {
            #expect(Self.commands.contains(command), "\(command)")
        }
    }

    @Test func everyPlaceholderSaysWhatToGive() throws {
        for command in [[]] + Self.commands.map({ [$0] }) {
            let result = try Self.help(command)
            #expect(result.status == 0, "\(command)")
            #expect(!result.stdout.contains("<o>"), "\(command)")
            #expect(!result.stdout.contains("<as>"), "\(command)")
            for placeholder in Self.placeholders(in: result.stdout) {
                #expect(placeholder.count > 1, "\(command) --help: <\(placeholder)>")
                #expect(
                    Self.placeholders.contains(placeholder),
                    "\(command) --help: <\(placeholder)> says nothing the flag does not")
            }
        }
    }

    /// Not a terminal, 80 columns: the parser wraps prose to fit, but a command wrapped
    /// mid-way starts its second half at the margin, where a reader (or a paste) takes it
    /// for a command of its own. Examples are broken by hand, with ` \\` and an indented
    /// continuation, as a shell reads them.
    @Test func everyHelpFitsEightyColumnsWithItsExamplesWhole() throws {
        for command in [[]] + Self.commands.map({ [$0] }) {
            let result = try Self.help(command, columns: "80")
            #expect(result.status == 0, "\(command)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines {
                #expect(line.count <= 80, "\(command) --help: \(line.count) columns: \(line)")
            }
            guard !command.isEmpty else { continue }
            let examples = Self.examples(in: lines)
            #expect(!examples.isEmpty, "\(command) --help has no example")
            var continued = false
            for line in examples {
                let indent = line.prefix { $0 == " " }.count
                if continued {
                    #expect(indent >= 4, "\(command) --help: a continuation not indented: \(line)")
                } else {
                    #expect(indent == 2, "\(command) --help: an example cut mid-command: \(line)")
                }
                continued = line.hasSuffix(" \\")
            }
            #expect(!continued, "\(command) --help: the last example ends in a continuation")
            #expect(examples.contains { $0.contains("vcc-creds \(command[0])") }, "\(command)")
        }
    }

    /// The lines after `Example:` or `Examples:`, up to the blank line that ends them.
    static func examples(in lines: [Substring]) -> [Substring] {
        var result: [Substring] = []
        var inside = false
        for line in lines {
            if line == "Example:" || line == "Examples:" {
                inside = true
            } else if line.isEmpty {
                inside = false
            } else if inside {
                result.append(line)
            }
        }
        return result
    }

    /// The parser writes usage on one line; it is wrapped between whole options, under
    /// the command.
    @Test func aLongUsageIsWrappedBetweenOptions() throws {
        let help = try Self.help(["plan"], columns: "80").stdout
        #expect(help.contains("USAGE: vcc-creds plan [--manifests <folder>] [--state <file>] [--as <user> ...]\n"))
        #expect(help.contains("\n       [--format <format>] [--detailed-exitcode] [--out <file>]\n"))
        let wide = try Self.help(["plan"], columns: "200").stdout
        #expect(
            wide.contains(
                "USAGE: vcc-creds plan [--manifests <folder>] [--state <file>] [--as <user> ...] [--format <format>]"))
    }

    @Test func thePlaceholdersTheOldHelpGot() throws {
        #expect(try Self.help(["keygen"]).stdout.contains("-o <file>"))
        #expect(try Self.help(["export"]).stdout.contains("--as <user>"))
        #expect(try Self.help(["init"]).stdout.contains("--admin <user>"))
        #expect(try Self.help(["plan"]).stdout.contains("--state <file>"))
        #expect(try Self.help(["plan"]).stdout.contains("--manifests <folder>"))
    }
}
