import Foundation
import Testing
import VCCCredentials

/// The docs' tables that the code already knows: the rules (from `Policy.rules`, in the
/// order they are tried) and the commands (from the binary's own help). Adding a rule or
/// a command without its docs fails here.
@Suite struct DocTablesTests {
    static let rulesDocument = "docs/reference/rules.md"
    static let commandsDocument = "docs/reference/commands.md"

    @Test func everyRuleIdHasExactlyOneRule() {
        let ids = Policy.rules.map(\.id)
        #expect(ids.count == Set(ids).count, "a rule is listed twice in Policy.rules")
        #expect(Set(ids) == Set(RuleID.allCases), "RuleID and Policy.rules disagree")
    }

    /// Every rule is a file of its own named after its type; the architecture document's
    /// list of those files and the plan-file fuzzer's dictionary of rule ids are made
    /// from `Policy.rules`, so a new rule is its file, its `RuleID` and its place in
    /// `Policy.rules`, and nothing else by hand.
    @Test func theRuleFilesAndTheFuzzDictionaryAreTheCode() throws {
        var files: [String] = []
        for rule in Policy.rules {
            let file = "\(type(of: rule)).swift"
            let path = Repository.root.appendingPathComponent("Sources/VCCCredentials/Policy/Rules/\(file)").path
            #expect(FileManager.default.fileExists(atPath: path), "\(rule.id.rawValue): no \(file)")
            files.append("- `\(file)`: `\(rule.id.rawValue)`")
        }
        try GeneratedRegion(document: "docs/architecture.md", name: "rule files")
            .check(
                (["The \(Policy.rules.count) rules, one file each, in the order they are tried:", ""] + files).joined(
                    separator: "\n"))
        try GeneratedRegion(document: "Fuzz/Dictionaries/planfile.dict", name: "rule ids", hashComments: true)
            .check(Policy.rules.map { "\"\($0.id.rawValue)\"" }.joined(separator: "\n"))
    }

    /// The rules, in the order they are tried, each with what it refuses: a numbered list
    /// wrapped to fit the docs' width (a table cannot wrap).
    @Test func theRulesListIsTheCode() throws {
        var lines: [String] = []
        for (index, rule) in Policy.rules.enumerated() {
            #expect(!rule.refuses.contains("\n"), "\(rule.id.rawValue): one line")
            let marker = "\(index + 1). "
            lines += Self.wrap(
                "`\(rule.id.rawValue)`: \(rule.refuses)", width: 100, first: marker,
                rest: String(repeating: " ", count: marker.count))
        }
        try GeneratedRegion(document: Self.rulesDocument, name: "rules").check(lines.joined(separator: "\n"))
    }

    /// VCC's scopes, from the catalogue the code decides by: who may grant each, whether
    /// it is sensitive by default, and what it unlocks.
    @Test func theScopeTablesAreTheCatalogue() throws {
        var lines = [
            "| identifier | label | sensitive by default | admin | supervisor |", "|---|---|---|---|---|",
        ]
        for scope in Scope.builtIn {
            let declaration = try #require(scope.declaration)
            func yes(_ flag: Bool) -> String { flag ? "yes" : "no" }
            lines.append(
                "| `\(scope.rawValue)` | \(declaration.label) | \(declaration.sensitive ? "**yes**" : "no") | "
                    + "\(yes(LicenseCapabilities.mayGrant(scope, .admin))) | "
                    + "\(yes(LicenseCapabilities.mayGrant(scope, .supervisor))) |")
        }
        lines += ["", "What each scope unlocks (the VCC APIs):", "", "| identifier | unlocks |", "|---|---|"]
        for scope in Scope.builtIn {
            // One API a row, so the table fits the docs' width.
            for (index, api) in try #require(scope.declaration).unlocks.enumerated() {
                lines.append("| \(index == 0 ? "`\(scope.rawValue)`" : "") | \(api) |")
            }
        }
        try GeneratedRegion(document: "docs/reference/manifests.md", name: "scopes").check(
            lines.joined(separator: "\n"))
    }

    /// `text` in lines of at most `width` columns (a longer word stands alone).
    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines
    }

    /// The synopsis: each command's USAGE, as its `--help` prints it.
    @Test func theSynopsisIsTheHelp() throws {
        var lines = ["```text"]
        for command in try Self.commands() {
            let help = try CLI.run([command, "--help"], in: Repository.root, environment: ["COLUMNS": "80"])
            #expect(help.status == 0, "\(command) --help: \(help.stderr)")
            let usage = help.stdout.components(separatedBy: "\n").drop { !$0.hasPrefix("USAGE: ") }.prefix {
                !$0.isEmpty
            }
            #expect(!usage.isEmpty, "\(command) --help has no USAGE")
            for line in usage {
                lines.append(line.hasPrefix("USAGE: ") ? String(line.dropFirst(7)) : "    " + line.drop { $0 == " " })
            }
        }
        lines.append("```")
        try GeneratedRegion(document: Self.commandsDocument, name: "synopsis").check(lines.joined(separator: "\n"))
    }

    /// One section per command in the commands reference, and none for a command that
    /// does not exist.
    @Test func everyCommandHasItsSection() throws {
        let text = try String(
            contentsOf: Repository.root.appendingPathComponent(Self.commandsDocument), encoding: .utf8)
        let documented = text.components(separatedBy: "\n").compactMap { line -> String? in
            guard line.hasPrefix("## `vcc-creds "), line.hasSuffix("`") else { return nil }
            return String(line.dropFirst("## `vcc-creds ".count).dropLast())
        }
        let commands = try Self.commands()
        #expect(documented.count == Set(documented).count, "a command has two sections")
        #expect(
            Set(documented) == Set(commands),
            "\(Self.commandsDocument) documents \(documented), the binary has \(commands)")
    }

    /// The subcommands `vcc-creds --help` lists, in its order.
    static func commands() throws -> [String] {
        let help = try CLI.run(["--help"], in: Repository.root, environment: ["COLUMNS": "80"])
        let section = help.stdout.components(separatedBy: "\n").drop { $0 != "SUBCOMMANDS:" }.dropFirst()
        let names = section.prefix { !$0.isEmpty }.compactMap { line -> String? in
            // "  plan      Show what ..." names a command; a wrapped description is indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(names.count > 10, "could not read the commands from vcc-creds --help")
        return names
    }
}
