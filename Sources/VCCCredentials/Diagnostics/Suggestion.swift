/// "Did you mean ...?" for misspelled keys, licences, scopes and user ids.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, when close enough to be a typo.
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        // Typos are short: a long value is no misspelling of a short name, and comparing it
        // would cost time and memory for nothing.
        guard word.utf8.count <= 64 else { return nil }
        let target = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in candidates {
            let allowed = max(1, min(3, candidate.unicodeScalars.count / 3))
            guard abs(candidate.unicodeScalars.count - target.count) <= allowed else { continue }
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    /// `; did you mean 'x'?` or an empty string.
    public static func hint<S: Sequence>(for word: String, in candidates: S) -> String where S.Element == String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// `; did you mean 'x'?` when one is close, else ` (one of: a, b, c)`.
    public static func hintOrChoices(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" }
            ?? " (one of: \(candidates.joined(separator: ", ")))"
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// swaps of neighbours (`agnet` is one edit from `agent`).
    private static func editDistance(_ left: [Unicode.Scalar], _ right: [Unicode.Scalar]) -> Int {
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for row in 0...left.count { table[row][0] = row }
        for column in 0...right.count { table[0][column] = column }
        for row in 1...left.count {
            for column in 1...right.count {
                let cost = left[row - 1] == right[column - 1] ? 0 : 1
                var best = min(
                    table[row - 1][column] + 1, table[row][column - 1] + 1, table[row - 1][column - 1] + cost)
                if row > 1, column > 1, left[row - 1] == right[column - 2], left[row - 2] == right[column - 1] {
                    best = min(best, table[row - 2][column - 2] + 1)
                }
                table[row][column] = best
            }
        }
        return table[left.count][right.count]
    }
}
