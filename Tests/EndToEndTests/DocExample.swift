import Foundation

/// The runnable examples of one Markdown document, in order.
///
/// - A fenced block with the info string `console` holds commands (`$ ` lines; a line
///   ending in ` \` continues, a here-document runs to its terminator) each followed by
///   its expected output: stdout and stderr together. A command that exits non-zero says
///   so with a trailing `# exit N`.
/// - A block with `file=PATH` in its info string (```` ```yaml file=manifests/users.yaml ````)
///   is a file the reader is asked to save: it is written there, relative to the folder
///   the reader has `cd`'d into, when the run reaches it.
/// - Any other block whose lines start with `$ ` is a mistake: it would not be run.
struct DocExample {
    enum Step {
        case file(path: String, contents: String, line: Int)
        case command(Command)
    }

    struct Command {
        /// The shell text, continuation lines and here-document included.
        var text: String
        var exitStatus: Int32
        var expected: [String]
        /// The document's line of the `$`, from 1.
        var line: Int
        /// The document's lines (0-based) holding the expected output, and their indent.
        var outputLines: Range<Int>
        var indent: String
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    var document: String
    var steps: [Step] = []

    init(document: String, text: String) throws {
        self.document = document
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            guard let fence = Fence(opening: lines[index]) else {
                index += 1
                continue
            }
            let start = index + 1
            var end = start
            while end < lines.count, !fence.closes(lines[end]) { end += 1 }
            guard end < lines.count else {
                throw ParseError(description: "\(document):\(index + 1): a fenced block that never closes")
            }
            let body = lines[start..<end].map { fence.dedent($0) }
            try add(fence, body: body, firstLine: start)
            index = end + 1
        }
    }

    private mutating func add(_ fence: Fence, body: [String], firstLine: Int) throws {
        if let path = fence.file {
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw ParseError(
                    description: "\(document):\(firstLine): file=\(path) must stay in the example's folder")
            }
            steps.append(.file(path: path, contents: body.joined(separator: "\n") + "\n", line: firstLine))
        } else if fence.language == "console" {
            try addConsole(body, firstLine: firstLine, indent: fence.indent)
        } else if body.contains(where: { $0.hasPrefix("$ ") }) {
            throw ParseError(
                description: "\(document):\(firstLine): commands in a '\(fence.language)' block are not run; "
                    + "make it a 'console' block")
        }
    }

    private mutating func addConsole(_ body: [String], firstLine: Int, indent: String) throws {
        var index = 0
        while index < body.count {
            guard body[index].hasPrefix("$ ") else {
                throw ParseError(description: "\(document):\(firstLine + index + 1): output before any '$ ' command")
            }
            let line = firstLine + index + 1
            var commandLines = [String(body[index].dropFirst(2))]
            while commandLines.last!.hasSuffix("\\"), index + 1 < body.count {
                index += 1
                commandLines.append(body[index])
            }
            let exitStatus = Self.declaredExit(commandLines)
            if let terminator = Self.hereDocumentTerminator(commandLines.joined(separator: "\n")) {
                repeat {
                    index += 1
                    guard index < body.count else {
                        throw ParseError(description: "\(document):\(line): here-document without its '\(terminator)'")
                    }
                    commandLines.append(body[index])
                } while body[index] != terminator
            }
            index += 1
            let outputStart = index
            while index < body.count, !body[index].hasPrefix("$ ") { index += 1 }
            var expected = Array(body[outputStart..<index])
            while expected.last == "" { expected.removeLast() }
            steps.append(
                .command(
                    Command(
                        text: commandLines.joined(separator: "\n"), exitStatus: exitStatus, expected: expected,
                        line: line, outputLines: (firstLine + outputStart)..<(firstLine + outputStart + expected.count),
                        indent: indent)))
        }
    }

    /// `# exit N` at the end of a command line.
    static func declaredExit(_ lines: [String]) -> Int32 {
        for line in lines {
            guard let hash = line.range(of: "# exit ", options: .backwards) else { continue }
            if let status = Int32(line[hash.upperBound...].trimmingCharacters(in: .whitespaces)) { return status }
        }
        return 0
    }

    /// The word that ends a here-document the command opens (`<<EOF`, `<<'EOF'`, `<<-EOF`).
    static func hereDocumentTerminator(_ command: String) -> String? {
        guard let open = command.range(of: "<<") else { return nil }
        var rest = command[open.upperBound...].drop { $0 == "-" || $0 == " " }
        rest = rest.drop { $0 == "'" || $0 == "\"" }
        let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return word.isEmpty ? nil : String(word)
    }
}

/// A fence line: ```` ``` ```` or `~~~`, at any indent, and its info string.
struct Fence {
    var marker: String
    var indent: String
    var language: String
    /// `file=PATH` from the info string.
    var file: String?

    init?(opening line: String) {
        let indent = line.prefix { $0 == " " }
        let rest = line.dropFirst(indent.count)
        let backticks = rest.prefix { $0 == "`" }
        let marker = backticks.count >= 3 ? backticks : rest.prefix { $0 == "~" }
        guard marker.count >= 3 else { return nil }
        self.marker = String(marker)
        self.indent = String(indent)
        let info = rest.dropFirst(marker.count).split(separator: " ")
        language = info.first.map(String.init) ?? ""
        file = info.dropFirst().first { $0.hasPrefix("file=") }.map { String($0.dropFirst(5)) }
    }

    func closes(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix(marker) && trimmed.allSatisfy { $0 == marker.first }
    }

    /// A line of the block without the fence's own indent.
    func dedent(_ line: String) -> String {
        line.hasPrefix(indent) ? String(line.dropFirst(indent.count)) : line
    }
}
