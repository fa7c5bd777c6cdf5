/// A unified diff (`@@ -a,b +c,d @@`, three lines of context) of two texts, for a golden
/// file that no longer matches: the failure shows what changed, not two whole plans.
/// Lines common to both ends are set aside first, so only the changed middle is compared
/// (at most `limit` lines of it each side; past that the middle is shown whole).
enum UnifiedDiff {
    static func render(expected: String, actual: String, context: Int = 3, limit: Int = 2000) -> String {
        let old = expected.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])
        var edits: [(tag: Character, line: String)] = []
        if oldMiddle.count <= limit && newMiddle.count <= limit {
            edits = lcsEdits(oldMiddle, newMiddle)
        } else {
            edits = oldMiddle.map { ("-", $0) } + newMiddle.map { ("+", $0) }
        }
        let before = old[max(0, prefix - context)..<prefix].map { (tag: Character(" "), line: $0) }
        let after = old[(old.count - suffix)..<min(old.count, old.count - suffix + context)].map {
            (tag: Character(" "), line: $0)
        }
        let lines = before + edits + after
        let oldCount = lines.filter { $0.tag != "+" }.count
        let newCount = lines.filter { $0.tag != "-" }.count
        let start = max(0, prefix - context)
        var out = ["--- golden", "+++ actual", "@@ -\(start + 1),\(oldCount) +\(start + 1),\(newCount) @@"]
        out += lines.map { "\($0.tag)\($0.line)" }
        return out.joined(separator: "\n")
    }

    /// `-` and `+` lines turning `old` into `new`, common lines as context.
    private static func lcsEdits(_ old: [String], _ new: [String]) -> [(tag: Character, line: String)] {
        let n = old.count
        let m = new.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var edits: [(tag: Character, line: String)] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                edits.append((" ", old[i]))
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                edits.append(("-", old[i]))
                i += 1
            } else {
                edits.append(("+", new[j]))
                j += 1
            }
        }
        return edits
    }
}
