import StrictJSON
import Testing

/// Streams `value` with sorted keys, as a caller of the stream writer does by hand.
private func stream(_ value: JSON, _ style: JSONStreamWriter.Style) -> [UInt8] {
    var writer = JSONStreamWriter(style: style, capacity: 0)
    write(value, to: &writer)
    return writer.finish()
}

private func write(_ value: JSON, to writer: inout JSONStreamWriter) {
    switch value {
    case .null: writer.null()
    case .bool(let flag): writer.bool(flag)
    case .int(let number): writer.int(number)
    case .string(let text): writer.string(text)
    case .array(let items):
        writer.beginArray()
        for item in items {
            writer.element()
            write(item, to: &writer)
        }
        writer.endArray()
    case .object(let members):
        writer.beginObject()
        for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.key(key)
            write(members[key]!, to: &writer)
        }
        writer.endObject()
    }
}

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite struct JSONStreamWriterTests {
    static let samples =
        JSONRoundTripTests.samples + [
            JSONWriterLayoutTests.sample,
            .object(["a": .array([.array([]), .object([:])]), "b": .object(["c": .object([:]), "d": .array([])])]),
            .object([
                "a\"b\n": .string("quote\" back\\ \u{0}\u{1F}\u{7F} é 😀"), "\u{212B}": .int(1), "\u{00C6}": .int(2),
            ]),
        ]

    @Test(arguments: samples)
    func prettyEqualsTheTreeWriter(value: JSON) {
        #expect(stream(value, .pretty) == JSONWriter.pretty(value))
    }

    @Test(arguments: samples)
    func compactEqualsTheTreeWriter(value: JSON) {
        #expect(stream(value, .compact) == JSONWriter.compact(value))
    }

    /// Nested empty containers and escapes, by hand, against the bytes written out.
    private static func nested(_ style: JSONStreamWriter.Style) -> String {
        var writer = JSONStreamWriter(style: style)
        writer.beginObject()
        writer.key("empty")
        writer.beginArray()
        writer.element()
        writer.beginObject()
        writer.endObject()
        writer.element()
        writer.beginArray()
        writer.endArray()
        writer.endArray()
        writer.field("escaped\t", "a\"b\\c\nd\u{7F}")
        writer.field("number", -3)
        writer.key("strings")
        writer.strings(["x", "y"])
        writer.endObject()
        return text(writer.finish())
    }

    @Test func prettyWritesTwoSpaceIndentAndAFinalNewline() {
        #expect(
            Self.nested(.pretty) == """
                {
                  "empty": [
                    {},
                    []
                  ],
                  "escaped\\t": "a\\"b\\\\c\\nd\\u007f",
                  "number": -3,
                  "strings": [
                    "x",
                    "y"
                  ]
                }

                """)
    }

    @Test func compactWritesNoWhitespace() {
        #expect(
            Self.nested(.compact)
                == #"{"empty":[{},[]],"escaped\t":"a\"b\\c\nd\u007f","number":-3,"strings":["x","y"]}"#)
    }

    @Test func emptyStringsArrayIsWrittenOnOneLine() {
        var writer = JSONStreamWriter(style: .pretty)
        writer.beginObject()
        writer.key("list")
        writer.strings([])
        writer.endObject()
        #expect(text(writer.finish()) == "{\n  \"list\": []\n}\n")
    }

    @Test func jsonLinesEndEachTopLevelValue() {
        var writer = JSONStreamWriter(style: .compact)
        for number in 1...2 {
            writer.beginObject()
            writer.field("n", number)
            writer.key("none")
            writer.null()
            writer.key("ok")
            writer.bool(number == 1)
            writer.endObject()
            writer.endLine()
        }
        #expect(text(writer.finish()) == "{\"n\":1,\"none\":null,\"ok\":true}\n{\"n\":2,\"none\":null,\"ok\":false}\n")
    }

    @Test func unescapedStringIsQuotedAsWritten() {
        var writer = JSONStreamWriter(style: .compact)
        writer.beginArray()
        writer.element()
        writer.string { $0 += "2026-01-02T03:04:05Z".utf8 }
        writer.endArray()
        #expect(text(writer.finish()) == #"["2026-01-02T03:04:05Z"]"#)
    }

    @Test func encodedValuesAreSplicedWithSeparators() {
        let entries = [JSON.object(["b": .int(2)]), .array([])].map(JSONWriter.compact)
        var writer = JSONStreamWriter(style: .compact)
        writer.beginArray()
        for entry in entries {
            writer.element()
            writer.encoded(entry)
        }
        writer.endArray()
        #expect(text(writer.finish()) == #"[{"b":2},[]]"#)
    }

    @Test func keysOutOfOrderAreAllowedWhenTheCheckIsOff() {
        var writer = JSONStreamWriter(style: .compact, checksKeyOrder: false)
        writer.beginObject()
        writer.field("b", 1)
        writer.field("a", 2)
        writer.endObject()
        #expect(text(writer.finish()) == #"{"b":1,"a":2}"#)
    }

    #if DEBUG
        @Test func keysOutOfOrderStopADebugBuild() async {
            await #expect(processExitsWith: .failure) {
                var writer = JSONStreamWriter(style: .compact)
                writer.beginObject()
                writer.field("b", 1)
                writer.field("a", 2)
            }
        }
    #endif
}
