import StrictJSON
import Testing

@Suite struct JSONParserValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let root = try parse(#"{"n": null, "t": true, "f": false, "i": -12, "s": "hi", "a": [1, "x"], "o": {"k": 2}}"#)
            .root
        #expect(root.objectMembers?.map(\.key) == ["n", "t", "f", "i", "s", "a", "o"])
        #expect(root["n"]?.kindDescription == "null")
        #expect(toJSON(try #require(root["t"])) == .bool(true))
        #expect(toJSON(try #require(root["f"])) == .bool(false))
        #expect(root["i"]?.numberText == "-12")
        #expect(root["i"]?.int == -12)
        #expect(root["s"]?.stringValue == "hi")
        #expect(toJSON(try #require(root["a"])) == .array([.int(1), .string("x")]))
        #expect(root["o"]?["k"]?.int == 2)
    }

    @Test(arguments: ["null", "true", "false", "0", "-0", "\"text\"", "[]", "{}"])
    func topLevelValueOfAnyKindIsAccepted(text: String) throws {
        _ = try parse(text)
    }

    @Test(arguments: ["0", "-0", "7", "123", "1.5", "-0.25", "1e3", "1E+3", "2.5e-10", "10E-1"])
    func numbersKeepTheirTextAsWritten(text: String) throws {
        #expect(try parse(text).root.numberText == text)
    }

    @Test(arguments: [
        ("42", 42 as Int?), ("-7", -7), ("0", 0), ("9223372036854775807", Int.max),
        ("-9223372036854775808", Int.min), ("1.0", nil), ("1e2", nil), ("9223372036854775808", nil),
    ])
    func intReadsOnlyPlainIntegersInRange(text: String, expected: Int?) throws {
        #expect(try parse(text).root.int == expected)
    }

    @Test func intOfANonNumberIsNil() throws {
        #expect(try parse(#""5""#).root.int == nil)
    }

    @Test func kindDescriptions() throws {
        let root = try parse(#"[null, true, 1, "s", [], {}]"#).root
        #expect(
            root.arrayItems?.map(\.kindDescription) == [
                "null", "a boolean", "a number", "a string", "an array", "an object",
            ])
    }

    @Test func membersKeepSourceOrder() throws {
        let root = try parse(#"{"b": 1, "a": 2, "c": 3}"#).root
        #expect(root.objectMembers?.map(\.key) == ["b", "a", "c"])
    }

    @Test func emptyContainersAndInsignificantWhitespace() throws {
        let root = try parse(" \t\r\n{ \"a\" : [ ] ,\n\t\"b\" : { } } \r\n").root
        #expect(root["a"]?.arrayItems?.isEmpty == true)
        #expect(root["b"]?.objectMembers?.isEmpty == true)
    }

    @Test func largeObjectWithDistinctKeysKeepsEveryMember() throws {
        let body = (0..<500).map { "\"key\($0)\": \($0)" }.joined(separator: ", ")
        let members = try #require(try parse("{\(body)}").root.objectMembers)
        #expect(members.map(\.key) == (0..<500).map { "key\($0)" })
        #expect(members.map { $0.value.int } == (0..<500).map { $0 })
    }
}

@Suite struct JSONStringTests {
    @Test func decodesSimpleEscapes() throws {
        let root = try parse(#""q\" b\\ s\/ \b\f\n\r\t""#).root
        #expect(root.stringValue == "q\" b\\ s/ \u{8}\u{C}\n\r\t")
    }

    @Test func decodesUnicodeEscapesInEitherCase() throws {
        #expect(try parse(#""\u0041\u00e9\u00E9\u20AC\u0000""#).root.stringValue == "Aéé€\u{0}")
    }

    @Test func surrogatePairDecodesToOneScalar() throws {
        let text = try #require(try parse(#""\ud83d\ude00""#).root.stringValue)
        #expect(Array(text.unicodeScalars) == ["\u{1F600}"])
        #expect(try parse(#""x\uD83D\uDE00y""#).root.stringValue == "x😀y")
    }

    @Test func highestSurrogatePairIsU10FFFF() throws {
        #expect(try parse(#""\udbff\udfff""#).root.stringValue == "\u{10FFFF}")
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try parse(#""é 中 😀""#).root.stringValue == "é 中 😀")
    }

    @Test func escapesMixedWithRawUTF8() throws {
        #expect(try parse(#""é\n€\t😀""#).root.stringValue == "é\n€\t😀")
    }

    @Test func keysAreDecodedToo() throws {
        let root = try parse(#"{"a\u0062\n": 1}"#).root
        #expect(root.objectMembers?.map(\.key) == ["ab\n"])
    }
}

@Suite struct JSONOffsetTests {
    @Test func nestedValuesRecordTheirStartOffsets() throws {
        let document = try parse(#"{"a": [10, {"b": "x"}], "c": -1.5}"#)
        let root = document.root
        #expect(root.offset == 0)
        let members = try #require(root.objectMembers)
        #expect(members.map(\.keyOffset) == [1, 24])
        let list = try #require(root["a"])
        #expect(list.offset == 6)
        let items = try #require(list.arrayItems)
        #expect(items.map(\.offset) == [7, 11])
        #expect(items[1].objectMembers?.first?.keyOffset == 12)
        #expect(items[1]["b"]?.offset == 17)
        #expect(root["c"]?.offset == 29)
    }

    @Test func documentTurnsOffsetsIntoMarks() throws {
        let document = try parse("{\n  \"é\": [\n    true,\n    \"€\"\n  ]\n}\n")
        let root = document.root
        let member = try #require(root.objectMembers?.first)
        #expect(document.mark(ofOffset: member.keyOffset) == Mark(line: 2, column: 3))
        #expect(document.mark(ofOffset: member.value.offset) == Mark(line: 2, column: 8))
        let items = try #require(member.value.arrayItems)
        #expect(
            items.map { document.mark(ofOffset: $0.offset) } == [Mark(line: 3, column: 5), Mark(line: 4, column: 5)])
    }

    @Test func documentKeepsItsBytes() throws {
        let bytes = utf8("[1]")
        #expect(try JSONParser.parse(bytes).bytes == bytes)
    }
}

@Suite struct JSONLimitTests {
    @Test func depth64ArraysAreAccepted() throws {
        var value = try parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).root
        var depth = 1
        while let first = value.arrayItems?.first {
            value = first
            depth += 1
        }
        #expect(depth == 64)
    }

    @Test func depth64ObjectsAreAccepted() throws {
        let text = String(repeating: #"{"a":"#, count: 63) + "{}" + String(repeating: "}", count: 63)
        var value = try parse(text).root
        var depth = 1
        while let inner = value["a"] {
            value = inner
            depth += 1
        }
        #expect(depth == 64)
    }

    @Test func siblingsDoNotAddDepth() throws {
        let nested = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        _ = try parse("[\(nested), \(nested), {\"k\": \(nested.dropFirst().dropLast())}]")
    }

    @Test func inputExactlyAtTheByteLimitIsAccepted() throws {
        _ = try JSONParser.parse(utf8("[1]"), maxBytes: 3)
    }

    @Test func defaultLimits() {
        #expect(JSONParser.defaultMaxDepth == 64)
        #expect(JSONParser.defaultMaxBytes == 512 * 1024 * 1024)
    }
}
