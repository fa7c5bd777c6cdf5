import StrictJSON
import Testing

private func pretty(_ value: JSON) -> String { String(decoding: JSONWriter.pretty(value), as: UTF8.self) }
private func compact(_ value: JSON) -> String { String(decoding: JSONWriter.compact(value), as: UTF8.self) }

@Suite struct JSONWriterLayoutTests {
    static let sample: JSON = .object([
        "name": .string("app"),
        "tags": .array([.string("a"), .int(2), .bool(true), .null]),
        "owner": .object(["team": .string("core"), "id": .int(-7)]),
    ])

    @Test func prettyUsesSortedKeysTwoSpaceIndentAndFinalNewline() {
        let expected = """
            {
              "name": "app",
              "owner": {
                "id": -7,
                "team": "core"
              },
              "tags": [
                "a",
                2,
                true,
                null
              ]
            }

            """
        #expect(pretty(Self.sample) == expected)
    }

    @Test func compactHasNoWhitespaceAndNoFinalNewline() {
        #expect(compact(Self.sample) == #"{"name":"app","owner":{"id":-7,"team":"core"},"tags":["a",2,true,null]}"#)
    }

    @Test func emptyContainersStayOnOneLine() {
        #expect(pretty(.array([])) == "[]\n")
        #expect(pretty(.object([:])) == "{}\n")
        #expect(pretty(.object(["a": .array([]), "b": .object([:])])) == "{\n  \"a\": [],\n  \"b\": {}\n}\n")
        #expect(compact(.object(["a": .array([]), "b": .object([:])])) == #"{"a":[],"b":{}}"#)
    }

    @Test func nestedArraysIndentEachLevel() {
        #expect(pretty(.array([.array([.int(1)])])) == "[\n  [\n    1\n  ]\n]\n")
    }

    @Test(arguments: [
        (JSON.null, "null"), (.bool(true), "true"), (.bool(false), "false"), (.int(0), "0"),
        (.int(-42), "-42"), (.int(Int.max), "9223372036854775807"), (.int(Int.min), "-9223372036854775808"),
        (.string(""), #""""#),
    ])
    func topLevelScalars(value: JSON, text: String) {
        #expect(compact(value) == text)
        #expect(pretty(value) == text + "\n")
    }

    @Test func keysAreSortedByUTF8Bytes() {
        let keys = ["b", "B", "a", "é", "z", "aa", "", "Z", "_", "a b"]
        let object = JSON.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSON.null) }))
        #expect(
            compact(object)
                == #"{"":null,"B":null,"Z":null,"_":null,"a":null,"a b":null,"aa":null,"b":null,"z":null,"é":null}"#)
    }

    @Test func keySortIgnoresUnicodeNormalization() {
        // U+212B ANGSTROM SIGN (E2 84 AB) normalizes to U+00C5, which String ordering puts
        // before U+00C6 (C3 86); by UTF-8 bytes U+00C6 comes first.
        let object = JSON.object(["\u{212B}": .int(1), "\u{00C6}": .int(2)])
        #expect(JSONWriter.compact(object) == Array("{\"\u{00C6}\":2,\"\u{212B}\":1}".utf8))
    }

    @Test func sameContentGivesTheSameBytes() {
        var first: [String: JSON] = [:]
        var second: [String: JSON] = [:]
        for index in 0..<50 { first["k\(index)"] = .int(index) }
        for index in (0..<50).reversed() { second["k\(index)"] = .int(index) }
        #expect(JSONWriter.pretty(.object(first)) == JSONWriter.pretty(.object(second)))
    }
}

@Suite struct JSONWriterEscapingTests {
    @Test(arguments: [
        ("quote\"", #""quote\"""#),
        ("back\\slash", #""back\\slash""#),
        ("line\nbreak", #""line\nbreak""#),
        ("tab\there", #""tab\there""#),
        ("cr\r", #""cr\r""#),
        ("\u{8}\u{C}", #""\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("del\u{7F}", #""del\u007f""#),
        ("slash/", #""slash/""#),
        ("é 中 😀", "\"é 中 😀\""),
    ])
    func escapesStrings(text: String, written: String) {
        #expect(compact(.string(text)) == written)
    }

    @Test func nonASCIIIsWrittenAsRawUTF8() {
        #expect(JSONWriter.compact(.string("é😀")) == [0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    @Test func keysAreEscapedLikeValues() {
        #expect(compact(.object(["a\"b\n": .int(1)])) == #"{"a\"b\n":1}"#)
    }
}

@Suite struct JSONRoundTripTests {
    static let samples: [JSON] = [
        .null,
        .int(Int.min),
        .string((0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\"\\/\u{7F}é😀"),
        .array([]),
        .object([:]),
        .object([
            "state": .object([
                "version": .int(3),
                "items": .array([
                    .object(["id": .string("x-1"), "enabled": .bool(true), "note": .null]),
                    .object(["id": .string("ü\n"), "enabled": .bool(false), "count": .int(-12)]),
                ]),
                "empty": .object([:]),
            ]),
            "": .array([.array([]), .int(0)]),
        ]),
    ]

    @Test(arguments: samples)
    func prettyOutputParsesBackToTheSameValue(value: JSON) throws {
        let parsed = try JSONParser.parse(JSONWriter.pretty(value))
        #expect(toJSON(parsed.root) == value)
    }

    @Test(arguments: samples)
    func compactOutputParsesBackToTheSameValue(value: JSON) throws {
        let parsed = try JSONParser.parse(JSONWriter.compact(value))
        #expect(toJSON(parsed.root) == value)
    }

    @Test func writingWhatWasReadIsStable() throws {
        let once = JSONWriter.pretty(try #require(JSONRoundTripTests.samples.last))
        let twice = JSONWriter.pretty(try #require(toJSON(try JSONParser.parse(once).root)))
        #expect(once == twice)
    }
}
