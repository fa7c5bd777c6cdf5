import StrictYAML
import Testing

/// One input that must be rejected, with the message substring and mark it must give.
struct YAMLRejection: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var message: String
    var mark: Mark

    init(_ name: String, _ input: String, _ message: String, _ line: Int, _ column: Int) {
        self.init(name, Array(input.utf8), message, line, column)
    }

    init(_ name: String, _ input: [UInt8], _ message: String, _ line: Int, _ column: Int) {
        self.name = name
        self.input = input
        self.message = message
        self.mark = Mark(line: line, column: column)
    }

    var testDescription: String { name }
}

@Suite struct YAMLSyntaxErrorTests {
    static let cases: [YAMLRejection] = [
        YAMLRejection(
            "dedented key", "a:\n  b: 1\n c: 2\n", "did not find expected key while parsing a block mapping", 3, 2),
        YAMLRejection("over-indented key", "a: 1\n  b: 2\n", "mapping values are not allowed in this context", 2, 4),
        YAMLRejection(
            "unclosed double quote", "a: \"abc\n", "found unexpected end of stream while scanning a quoted scalar", 2, 1
        ),
        YAMLRejection(
            "unclosed single quote", "a: 'abc\nb: 1\n", "found unexpected end of stream while scanning a quoted scalar",
            3, 1),
        YAMLRejection("tab indentation", "a:\n\tb: 1\n", "found character that cannot start any token", 2, 1),
        YAMLRejection("mapping after sequence", "- a\nb: 1\n", "did not find expected '-' indicator", 2, 1),
        YAMLRejection("unclosed flow sequence", "a: [1, 2\n", "did not find expected ',' or ']'", 2, 1),
    ]

    @Test(arguments: cases)
    func libyamlSyntaxErrorsKeepTheirMark(_ rejection: YAMLRejection) {
        expectRejected(rejection.input, message: rejection.message, at: rejection.mark)
    }

    @Test func controlCharacterIsRejectedAtItsCharacterColumn() {
        // libyaml reports this as a byte offset; two-byte "é" must still count as one column.
        expectRejected(
            "a: 1\né: x\u{01}\n", message: "control characters are not allowed", at: Mark(line: 2, column: 5))
    }
}

@Suite struct YAMLDuplicateKeyTests {
    @Test func duplicateKeyNamesTheFirstPosition() {
        expectRejected("a: 1\nb: 2\na: 3\n", message: "duplicate key 'a' (first at 1:1)", at: Mark(line: 3, column: 1))
    }

    @Test func duplicateKeyInNestedMapping() {
        expectRejected(
            "top:\n  x: 1\n  y: 2\n  x: 3\n", message: "duplicate key 'x' (first at 2:3)", at: Mark(line: 4, column: 3))
    }

    @Test func duplicateKeyInFlowMapping() {
        expectRejected("{a: 1, a: 2}", message: "duplicate key 'a' (first at 1:2)", at: Mark(line: 1, column: 8))
    }

    @Test func quotedAndPlainSpellingsOfTheSameKeyAreDuplicates() {
        expectRejected("1: a\n\"1\": b\n", message: "duplicate key '1' (first at 1:1)", at: Mark(line: 2, column: 1))
    }

    /// Mappings switch from a linear scan to an index after 16 keys; both paths, and the
    /// switch itself, must catch a repeat of the first key and of the last one.
    @Test(arguments: [2, 15, 16, 17, 18, 40])
    func duplicateIsFoundInMappingOfAnySize(keyCount: Int) {
        let keys = (0..<keyCount).map { "k\($0): \($0)\n" }.joined()
        expectRejected(
            keys + "k0: again\n", message: "duplicate key 'k0' (first at 1:1)",
            at: Mark(line: keyCount + 1, column: 1))
        let last = keyCount - 1
        expectRejected(
            keys + "k\(last): again\n", message: "duplicate key 'k\(last)' (first at \(keyCount):1)",
            at: Mark(line: keyCount + 1, column: 1))
    }

    @Test func duplicateAddedAfterTheIndexIsBuiltIsFound() {
        let keys = (0..<30).map { "k\($0): \($0)\n" }.joined()
        expectRejected(
            keys + "k25: again\n", message: "duplicate key 'k25' (first at 26:1)", at: Mark(line: 31, column: 1))
    }
}

@Suite struct YAMLFeatureRejectionTests {
    @Test func anchorOnScalar() {
        expectRejected("a: &x 1\n", message: "anchors (&x) are not allowed", at: Mark(line: 1, column: 4))
    }

    @Test func anchorOnBlockMapping() {
        expectRejected("a: &m\n  b: 1\n", message: "anchors (&m) are not allowed", at: Mark(line: 1, column: 4))
    }

    @Test func anchorOnBlockSequence() {
        expectRejected("a: &s\n  - 1\n", message: "anchors (&s) are not allowed", at: Mark(line: 1, column: 4))
    }

    @Test func anchorOnFlowSequence() {
        expectRejected("x: 1\na: &list [1]\n", message: "anchors (&list) are not allowed", at: Mark(line: 2, column: 4))
    }

    @Test func anchorOnKey() {
        expectRejected("&k a: 1\n", message: "anchors (&k) are not allowed", at: Mark(line: 1, column: 1))
    }

    @Test func alias() {
        expectRejected(
            "a: 1\nb: *x\n", message: "aliases (*name) are not allowed; write the value out",
            at: Mark(line: 2, column: 4))
    }

    @Test func standardTagShorthand() {
        expectRejected(
            "a: !!str x\n", message: "tags (tag:yaml.org,2002:str) are not allowed", at: Mark(line: 1, column: 4))
    }

    @Test func customTag() {
        expectRejected("a: b\nc: !custom x\n", message: "tags (!custom) are not allowed", at: Mark(line: 2, column: 4))
    }

    @Test func tagOnFlowMapping() {
        expectRejected(
            "a: !!map {b: 1}\n", message: "tags (tag:yaml.org,2002:map) are not allowed", at: Mark(line: 1, column: 4))
    }

    @Test func mergeKey() {
        expectRejected(
            "a: 1\n<<: {b: 2}\n", message: "merge keys (<<) are not allowed; write the keys out",
            at: Mark(line: 2, column: 1))
    }

    @Test func sequenceAsKey() {
        expectRejected(
            "? [a]\n: b\n", message: "mapping keys must be scalars, not a list", at: Mark(line: 1, column: 3))
    }

    @Test func mappingAsFlowKey() {
        expectRejected(
            "{{a: 1}: b}", message: "mapping keys must be scalars, not a mapping", at: Mark(line: 1, column: 2))
    }
}

@Suite struct YAMLEncodingRejectionTests {
    @Test func invalidUTF8ByteOnSecondLineCountsColumnsInCharacters() {
        // Line 2 is "bé: é" then 0xFF: the bad byte is the 6th character but the 8th byte.
        expectRejected(
            utf8("a: 1\nbé: é") + [0xFF] + utf8("x\n"), message: "invalid UTF-8 byte 0xFF",
            at: Mark(
                line: 2,
                column: 6)
        )
    }

    @Test func truncatedSequenceInsideText() {
        expectRejected(
            utf8("a: 1\nb: 😀 ") + [0xE2, 0x82] + utf8("x\n"), message: "invalid UTF-8 sequence",
            at: Mark(line: 2, column: 6))
    }

    @Test func truncatedSequenceAtEndOfFile() {
        expectRejected(
            utf8("a: ") + [0xF0, 0x9F, 0x98], message: "truncated UTF-8 sequence", at: Mark(line: 1, column: 4))
    }

    @Test func nulByte() {
        expectRejected(
            utf8("a: 1\nb: x") + [0x00] + utf8("\n"), message: "NUL byte is not allowed", at: Mark(line: 2, column: 5))
    }

    @Test func nulByteAfterMultiByteCharacters() {
        expectRejected(utf8("ü€: ") + [0x00], message: "NUL byte is not allowed", at: Mark(line: 1, column: 5))
    }

    @Test func nulByteAfterCRLFLines() {
        expectRejected(
            utf8("a: 1\r\nb: 2\r\nc: ") + [0x00], message: "NUL byte is not allowed", at: Mark(line: 3, column: 4))
    }

    @Test func nulByteAfterByteOrderMarkUsesTheSameColumnsAsLibyaml() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        // libyaml puts the alias at 1:4, so an error found by the byte scan must too.
        expectRejected(bom + utf8("a: *x\n"), message: "aliases", at: Mark(line: 1, column: 4))
        expectRejected(bom + utf8("a: ") + [0x00], message: "NUL byte is not allowed", at: Mark(line: 1, column: 4))
        expectRejected(
            bom + utf8("a: \u{01}\n"), message: "control characters are not allowed", at: Mark(line: 1, column: 4))
    }
}

@Suite struct YAMLLimitRejectionTests {
    @Test func depth65FlowSequencesAreRejected() {
        expectRejected(
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
            message: "nesting is deeper than 64 levels", at: Mark(line: 1, column: 65))
    }

    @Test func depth65BlockMappingsAreRejected() {
        let text = (0..<65).map { String(repeating: " ", count: $0 * 2) + "k\($0):\n" }.joined()
        expectRejected(text, message: "nesting is deeper than 64 levels", at: Mark(line: 65, column: 129))
    }

    @Test func depth65BlockSequencesAreRejected() {
        let text = String(repeating: "- ", count: 65) + "x\n"
        expectRejected(text, message: "nesting is deeper than 64 levels", at: Mark(line: 1, column: 129))
    }

    @Test func customDepthLimit() throws {
        let limits = YAMLLimits(maxDepth: 2)
        _ = try parseSingle("a:\n  b: 1\n", limits: limits)
        expectRejected(
            "a:\n  b:\n    c: 1\n", limits: limits, message: "nesting is deeper than 2 levels",
            at: Mark(line: 3, column: 5))
    }

    @Test func fileOverTheByteLimit() {
        expectRejected(
            "a: 1\n", limits: YAMLLimits(maxBytes: 4),
            message: "file is 5 bytes, larger than the limit of 4 bytes", at: Mark(line: 1, column: 1))
    }

    @Test func sizeIsCheckedBeforeEncoding() {
        expectRejected(
            [0x00, 0xFF, 0x00], limits: YAMLLimits(maxBytes: 2),
            message: "file is 3 bytes, larger than the limit of 2 bytes", at: Mark(line: 1, column: 1))
    }
}
