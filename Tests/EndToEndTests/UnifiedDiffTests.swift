import Testing

/// The diff a golden mismatch prints: only the changed lines, with their context.
@Suite struct UnifiedDiffTests {
    @Test func showsTheChangeWithThreeLinesOfContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 6", with: "line six")
        #expect(
            UnifiedDiff.render(expected: old, actual: new) == """
                --- golden
                +++ actual
                @@ -3,7 +3,7 @@
                 line 3
                 line 4
                 line 5
                -line 6
                +line six
                 line 7
                 line 8
                 line 9
                """)
    }

    @Test func anAddedLineAtTheEnd() {
        #expect(
            UnifiedDiff.render(expected: "a\nb", actual: "a\nb\nc") == """
                --- golden
                +++ actual
                @@ -1,2 +1,3 @@
                 a
                 b
                +c
                """)
    }
}
