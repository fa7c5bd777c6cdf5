import StrictJSON
import Testing

/// One input that must be rejected, with the message substring and mark it must give.
struct JSONRejection: Sendable, CustomTestStringConvertible {
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

@Suite struct JSONRejectionTests {
    static let structure: [JSONRejection] = [
        JSONRejection("empty input", "", "expected a value, found end of file", 1, 1),
        JSONRejection("whitespace only", " \n ", "expected a value, found end of file", 2, 2),
        JSONRejection("trailing comma in object", #"{"a": 1,}"#, "expected a string key, found '}'", 1, 9),
        JSONRejection("trailing comma in array", "[1,]", "expected a value, found ']'", 1, 4),
        JSONRejection("garbage after object", "{} x", "unexpected 'x' after the JSON value", 1, 4),
        JSONRejection("second value", "1 2", "unexpected '2' after the JSON value", 1, 3),
        JSONRejection("control byte after value", "1\u{01}", "unexpected byte 0x1 after the JSON value", 1, 2),
        JSONRejection("duplicate key", #"{"a": 1, "a": 2}"#, #"duplicate key "a""#, 1, 10),
        JSONRejection("duplicate nested key", #"{"o": {"k": 1, "x": 2, "k": 3}}"#, #"duplicate key "k""#, 1, 24),
        JSONRejection("missing colon", #"{"a" 1}"#, "expected ':' after key, found '1'", 1, 6),
        JSONRejection("non-string key", "{1: 2}", "expected a string key, found '1'", 1, 2),
        JSONRejection("single-quoted key", "{'a': 2}", "expected a string key, found '''", 1, 2),
        JSONRejection("missing comma in array", "[1 2]", "expected ',' or ']', found '2'", 1, 4),
        JSONRejection("missing comma in object", #"{"a": 1 "b": 2}"#, "expected ',' or '}', found '\"'", 1, 9),
        JSONRejection("comment", "// note\n1", "expected a value, found '/'", 1, 1),
        JSONRejection("NaN", "NaN", "expected a value, found 'N'", 1, 1),
        JSONRejection("misspelled literal", "[tru]", "invalid literal", 1, 2),
        JSONRejection("truncated literal", "nul", "invalid literal", 1, 1),
        JSONRejection("capitalised literal", "True", "expected a value, found 'T'", 1, 1),
        JSONRejection("unterminated array", "[1", "unterminated array, found end of file", 1, 3),
        JSONRejection("open bracket only", "[", "expected a value, found end of file", 1, 2),
        JSONRejection("unterminated object", #"{"a": 1"#, "unterminated object, found end of file", 1, 8),
        JSONRejection("open brace only", "{", "expected a string key, found end of file", 1, 2),
        JSONRejection("key without colon at end", #"{"a""#, "expected ':' after key, found end of file", 1, 5),
        JSONRejection("key without value at end", #"{"a":"#, "expected a value, found end of file", 1, 6),
        JSONRejection("error on second line", "{\n  \"é\": tru\n}", "invalid literal", 2, 8),
    ]

    static let numbers: [JSONRejection] = [
        JSONRejection("leading zero", "01", "numbers may not have leading zeros", 1, 1),
        JSONRejection("negative leading zero", "[-01]", "numbers may not have leading zeros", 1, 2),
        JSONRejection("minus alone", "-", "invalid number", 1, 1),
        JSONRejection("minus without digits", "[-x]", "invalid number", 1, 2),
        JSONRejection("fraction without digits", "1.", "invalid number", 1, 1),
        JSONRejection("exponent without digits", "1e", "invalid number", 1, 1),
        JSONRejection("signed exponent without digits", "[0, 2E-]", "invalid number", 1, 5),
        JSONRejection("leading dot", "[1, .5]", "expected a value, found '.'", 1, 5),
        JSONRejection("plus sign", "+1", "expected a value, found '+'", 1, 1),
        JSONRejection("hex", "0x10", "unexpected 'x' after the JSON value", 1, 2),
    ]

    static let strings: [JSONRejection] = [
        JSONRejection("unescaped tab", "\"a\tb\"", "control character in string must be escaped", 1, 3),
        JSONRejection("unescaped newline", "[\"a\nb\"]", "control character in string must be escaped", 1, 4),
        JSONRejection(
            "unescaped control after an escape", "\"\\n\u{01}\"", "control character in string must be escaped", 1, 4),
        JSONRejection("invalid escape", #""a\xb""#, "invalid escape sequence", 1, 3),
        JSONRejection("escaped single quote", #""\'""#, "invalid escape sequence", 1, 2),
        JSONRejection("lone high surrogate", #""\ud800""#, #"unpaired surrogate in \u escape"#, 1, 2),
        JSONRejection("high surrogate then text", #""ab\ud800x""#, #"unpaired surrogate in \u escape"#, 1, 4),
        JSONRejection("two high surrogates", #""\ud800\ud800""#, #"unpaired surrogate in \u escape"#, 1, 2),
        JSONRejection("high surrogate then other escape", #""\ud800\n""#, #"unpaired surrogate in \u escape"#, 1, 2),
        JSONRejection("lone low surrogate", #""\udc00""#, #"unpaired surrogate in \u escape"#, 1, 2),
        JSONRejection("short unicode escape", #""\u12""#, #"invalid \u escape"#, 1, 2),
        JSONRejection("non-hex unicode escape", #""\u12G4""#, #"invalid \u escape"#, 1, 2),
        JSONRejection("unterminated string", #""abc"#, "unterminated string", 1, 1),
        JSONRejection("unterminated string after escape", #"["\n"#, "unterminated string", 1, 2),
        JSONRejection("backslash at end", #""\"#, "unterminated string", 1, 1),
        JSONRejection("unterminated key", #"{"ab"#, "unterminated string", 1, 2),
    ]

    static let encoding: [JSONRejection] = [
        JSONRejection(
            "byte order mark", [0xEF, 0xBB, 0xBF] + Array("{}".utf8), "byte order mark is not allowed", 1, 1),
        JSONRejection(
            "invalid UTF-8 byte", Array("\"é".utf8) + [0xFF] + Array("\"".utf8), "invalid UTF-8 byte 0xFF", 1, 3),
        JSONRejection(
            "invalid UTF-8 on second line", Array("[\n  \"€😀".utf8) + [0xC0, 0x80] + Array("\"]".utf8),
            "invalid UTF-8 byte 0xC0", 2, 6),
        JSONRejection(
            "encoded surrogate", Array("\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8), "invalid UTF-8 sequence", 1,
            2),
        JSONRejection("truncated UTF-8 at end", Array("\"a".utf8) + [0xE2, 0x82], "truncated UTF-8 sequence", 1, 3),
        JSONRejection("NUL byte", Array("[1,".utf8) + [0x00] + Array("]".utf8), "NUL byte is not allowed", 1, 4),
        JSONRejection(
            "NUL byte in string", Array("\"é".utf8) + [0x00] + Array("\"".utf8), "NUL byte is not allowed", 1, 3),
    ]

    @Test(arguments: structure)
    func structuralErrors(_ rejection: JSONRejection) {
        expectRejected(rejection.input, message: rejection.message, at: rejection.mark)
    }

    @Test(arguments: numbers)
    func numberErrors(_ rejection: JSONRejection) {
        expectRejected(rejection.input, message: rejection.message, at: rejection.mark)
    }

    @Test(arguments: strings)
    func stringErrors(_ rejection: JSONRejection) {
        expectRejected(rejection.input, message: rejection.message, at: rejection.mark)
    }

    @Test(arguments: encoding)
    func encodingErrors(_ rejection: JSONRejection) {
        expectRejected(rejection.input, message: rejection.message, at: rejection.mark)
    }
}

@Suite struct JSONDuplicateKeyTests {
    /// Objects switch from a linear scan to an index after 16 members; both paths, and the
    /// switch itself, must catch a repeat of the first key and of the last one.
    @Test(arguments: [2, 15, 16, 17, 18, 40])
    func duplicateIsFoundInObjectOfAnySize(memberCount: Int) {
        // One member per line, so the duplicate is on line memberCount + 2, column 3.
        let members = (0..<memberCount).map { "  \"k\($0)\": \($0),\n" }.joined()
        let duplicateMark = Mark(line: memberCount + 2, column: 3)
        expectRejected("{\n" + members + "  \"k0\": 0\n}", message: #"duplicate key "k0""#, at: duplicateMark)
        let last = memberCount - 1
        expectRejected(
            "{\n" + members + "  \"k\(last)\": 0\n}", message: "duplicate key \"k\(last)\"", at: duplicateMark)
    }

    @Test func duplicateAddedAfterTheIndexIsBuiltIsFound() {
        let members = (0..<30).map { "\"k\($0)\":0," }.joined()
        let text = "{" + members + #""k25":1}"#
        expectRejected(text, message: #"duplicate key "k25""#, at: Mark(line: 1, column: members.utf8.count + 2))
    }

    @Test func keysDifferingOnlyInEscapingAreDuplicates() {
        expectRejected(#"{"ab": 1, "a\u0062": 2}"#, message: #"duplicate key "ab""#, at: Mark(line: 1, column: 11))
    }
}

@Suite struct JSONLimitRejectionTests {
    @Test func depth65ArraysAreRejected() {
        expectRejected(
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
            message: "nesting is deeper than 64 levels", at: Mark(line: 1, column: 65))
    }

    @Test func depth65ObjectsAreRejected() {
        // Each level is `{"a":`, five bytes: the 65th brace starts at column 321.
        let text = String(repeating: #"{"a":"#, count: 64) + "{}" + String(repeating: "}", count: 64)
        expectRejected(text, message: "nesting is deeper than 64 levels", at: Mark(line: 1, column: 321))
    }

    @Test func depth65MixedOnSeveralLinesIsRejectedAtTheDeepestOpening() {
        let text =
            String(repeating: "[\n", count: 32) + String(repeating: #"{"k": "#, count: 32) + "[1]"
            + String(repeating: "}", count: 32) + String(repeating: "\n]", count: 32)
        expectRejected(text, message: "nesting is deeper than 64 levels", at: Mark(line: 33, column: 32 * 6 + 1))
    }

    @Test func customDepthLimit() throws {
        _ = try JSONParser.parse(utf8("[[1]]"), maxDepth: 2)
        expectRejected("[[[1]]]", maxDepth: 2, message: "nesting is deeper than 2 levels", at: Mark(line: 1, column: 3))
    }

    @Test func inputOverTheByteLimit() {
        expectRejected(
            "[1] ", maxBytes: 3, message: "file is 4 bytes, larger than the limit of 3 bytes",
            at: Mark(line: 1, column: 1))
    }

    @Test func sizeIsCheckedBeforeEncoding() {
        expectRejected(
            [0xFF, 0x00, 0xFF], maxBytes: 2, message: "file is 3 bytes, larger than the limit of 2 bytes",
            at: Mark(line: 1, column: 1))
    }
}
