import Foundation
import Testing

/// A part of a document made from the code, between two marker lines:
///
///     <!-- BEGIN GENERATED: NAME. VCC_CREDS_UPDATE_DOCS=1 swift test regenerates it. -->
///     <!-- END GENERATED: NAME -->
///
/// (in a file whose comments start with `#`, such as a fuzz dictionary, `# BEGIN ...`).
///
/// The test that owns it checks the document against what the code says now; with
/// `VCC_CREDS_UPDATE_DOCS=1` it writes it instead, and the diff is reviewed like code.
struct GeneratedRegion {
    /// The document, relative to the repository root.
    var document: String
    var name: String
    /// Comments start with `#` in the document, not `<!--`.
    var hashComments = false

    static var updating: Bool { ProcessInfo.processInfo.environment["VCC_CREDS_UPDATE_DOCS"] == "1" }

    var begin: String {
        let text = "BEGIN GENERATED: \(name). VCC_CREDS_UPDATE_DOCS=1 swift test regenerates it."
        return hashComments ? "# \(text)" : "<!-- \(text) -->"
    }
    var end: String { hashComments ? "# END GENERATED: \(name)" : "<!-- END GENERATED: \(name) -->" }

    /// Checks (or, when updating, writes) the lines between the markers.
    func check(_ generated: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Repository.root.appendingPathComponent(document)
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        guard let first = lines.firstIndex(of: begin), let last = lines.firstIndex(of: end), first < last else {
            Issue.record("\(document): no '\(begin)' ... '\(end)' region", sourceLocation: sourceLocation)
            return
        }
        let wanted = generated.components(separatedBy: "\n")
        let current = Array(lines[(first + 1)..<last])
        if current == wanted { return }
        if Self.updating {
            lines.replaceSubrange((first + 1)..<last, with: wanted)
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            return
        }
        Issue.record(
            """
            \(document):\(first + 2): the generated \(name) differs from the code; \
            run VCC_CREDS_UPDATE_DOCS=1 swift test and review the diff:
            \(LineDiff.render(expected: current, actual: wanted))
            """,
            sourceLocation: sourceLocation)
    }
}

/// A line diff for failure messages: `-` what the document says, `+` what it should.
enum LineDiff {
    static func render(expected: [String], actual: [String]) -> String {
        // Longest common subsequence; documents' blocks are small.
        let n = expected.count
        let m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] =
                    LineMatch.matches(expected[i], actual[j])
                    ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, LineMatch.matches(expected[i], actual[j]) {
                out.append("  " + actual[j])
                i += 1
                j += 1
            } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
                out.append("+ " + actual[j])
                j += 1
            } else {
                out.append("- " + expected[i])
                i += 1
            }
        }
        return out.joined(separator: "\n")
    }
}

/// An expected line against an actual one: equal, except that `...` in the expected
/// line stands for one or more characters (a fresh client ID, a public key).
enum LineMatch {
    static let wildcard = "..."

    static func matches(_ expected: String, _ actual: String) -> Bool {
        let parts = expected.components(separatedBy: wildcard)
        guard parts.count > 1 else { return expected == actual }
        let chars = Array(actual.utf8)
        let pieces = parts.map { Array($0.utf8) }
        guard chars.starts(with: pieces[0]) else { return false }
        var position = pieces[0].count
        // Each middle piece at its leftmost place after a gap of at least one character
        // leaves the most room for the rest.
        for piece in pieces.dropFirst().dropLast() {
            guard let found = find(piece, in: chars, from: position + 1) else { return false }
            position = found + piece.count
        }
        let tail = pieces[pieces.count - 1]
        return chars.count - tail.count >= position + 1 && chars.suffix(tail.count).elementsEqual(tail)
    }

    private static func find(_ piece: [UInt8], in chars: [UInt8], from start: Int) -> Int? {
        guard !piece.isEmpty else { return start <= chars.count ? start : nil }
        var index = start
        while index + piece.count <= chars.count {
            if chars[index..<(index + piece.count)].elementsEqual(piece) { return index }
            index += 1
        }
        return nil
    }
}
