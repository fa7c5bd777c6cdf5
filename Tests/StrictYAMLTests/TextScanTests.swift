import StrictYAML
import Testing

private func problem(in bytes: [UInt8]) -> TextScan.Problem? {
    bytes.withUnsafeBufferPointer { TextScan.firstEncodingProblem(in: $0) }
}

private func mark(ofOffset offset: Int, in bytes: [UInt8]) -> Mark {
    bytes.withUnsafeBufferPointer { TextScan.mark(ofOffset: offset, in: $0) }
}

private func marks(ofOffsets offsets: [Int], in bytes: [UInt8]) -> [Int: Mark] {
    bytes.withUnsafeBufferPointer { TextScan.marks(ofOffsets: offsets, in: $0) }
}

@Suite struct TextScanEncodingTests {
    @Test(arguments: [
        "",
        "plain ASCII\n\ttab\r\n",
        "é ü ß",  // two-byte
        "€ 中文 \u{FFFD}",  // three-byte
        "😀 🎉 \u{10FFFF}",  // four-byte
        "\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}",  // range boundaries
    ])
    func validTextHasNoProblem(text: String) {
        #expect(problem(in: Array(text.utf8)) == nil)
    }

    /// A malformed input, the offset of the first problem, and its message.
    @Test(
        arguments: [
            ([0x61, 0xC0, 0x80], 1, "invalid UTF-8 byte 0xC0"),  // overlong NUL
            ([0xC1, 0xBF], 0, "invalid UTF-8 byte 0xC1"),  // overlong '?'
            ([0xE0, 0x80, 0xAF], 0, "invalid UTF-8 sequence"),  // overlong three-byte '/'
            ([0xF0, 0x80, 0x80, 0xAF], 0, "invalid UTF-8 sequence"),  // overlong four-byte '/'
            ([0x61, 0x62, 0xED, 0xA0, 0x80], 2, "invalid UTF-8 sequence"),  // U+D800 encoded
            ([0xED, 0xBF, 0xBF], 0, "invalid UTF-8 sequence"),  // U+DFFF encoded
            ([0xF4, 0x90, 0x80, 0x80], 0, "invalid UTF-8 sequence"),  // above U+10FFFF
            ([0xE2, 0x28, 0xA1], 0, "invalid UTF-8 sequence"),  // bad second byte
            ([0xE2, 0x82, 0x28], 0, "invalid UTF-8 sequence"),  // bad third byte
            ([0xF0, 0x9F, 0x98, 0x41], 0, "invalid UTF-8 sequence"),  // bad fourth byte
            ([0x61, 0xC3], 1, "truncated UTF-8 sequence"),
            ([0x61, 0x62, 0xE2, 0x82], 2, "truncated UTF-8 sequence"),
            ([0xF0, 0x9F, 0x98], 0, "truncated UTF-8 sequence"),
            ([0x80], 0, "invalid UTF-8 byte 0x80"),  // lone continuation byte
            ([0x61, 0xBF], 1, "invalid UTF-8 byte 0xBF"),
            ([0xF5, 0x80, 0x80, 0x80], 0, "invalid UTF-8 byte 0xF5"),
            ([0xF7], 0, "invalid UTF-8 byte 0xF7"),
            ([0xF8], 0, "invalid UTF-8 byte 0xF8"),
            ([0x61, 0xFE], 1, "invalid UTF-8 byte 0xFE"),
            ([0xFF], 0, "invalid UTF-8 byte 0xFF"),
            ([0x61, 0x00, 0x62], 1, "NUL byte is not allowed"),
        ] as [([UInt8], Int, String)])
    func malformedInputIsFlagged(bytes: [UInt8], offset: Int, message: String) {
        let found = problem(in: bytes)
        #expect(found?.offset == offset)
        #expect(found?.message == message)
    }

    @Test func everyByteFromF5ToFFIsInvalid() {
        for byte in UInt8(0xF5)...UInt8(0xFF) {
            #expect(problem(in: [0x41, byte])?.offset == 1, "byte \(byte)")
        }
    }

    @Test func reportsTheFirstProblemOnly() {
        #expect(problem(in: Array("é€".utf8) + [0x00, 0xFF])?.offset == 5)
        #expect(problem(in: Array("é€".utf8) + [0xFF, 0x00])?.message == "invalid UTF-8 byte 0xFF")
    }
}

@Suite struct TextScanMarkTests {
    // Lines: "ab" LF, "cd" CRLF, "ef" CR, "gh"
    static let text = Array("ab\ncd\r\nef\rgh".utf8)

    @Test(arguments: [
        (0, Mark(line: 1, column: 1)),
        (1, Mark(line: 1, column: 2)),
        (2, Mark(line: 1, column: 3)),  // the LF itself ends line 1
        (3, Mark(line: 2, column: 1)),
        (5, Mark(line: 2, column: 3)),  // the CR of CRLF
        (7, Mark(line: 3, column: 1)),  // after CRLF: one break, not two
        (9, Mark(line: 3, column: 3)),  // lone CR
        (10, Mark(line: 4, column: 1)),
        (11, Mark(line: 4, column: 2)),
        (12, Mark(line: 4, column: 3)),  // end of text
    ])
    func markOfOffset(offset: Int, expected: Mark) {
        #expect(mark(ofOffset: offset, in: Self.text) == expected)
    }

    @Test func columnsCountCharactersNotBytes() {
        // a(1) é(2, 2 bytes) €(3, 3 bytes) 😀(4, 4 bytes) z(5)
        let bytes = Array("aé€😀z".utf8)
        #expect(mark(ofOffset: 1, in: bytes) == Mark(line: 1, column: 2))
        #expect(mark(ofOffset: 3, in: bytes) == Mark(line: 1, column: 3))
        #expect(mark(ofOffset: 6, in: bytes) == Mark(line: 1, column: 4))
        #expect(mark(ofOffset: 10, in: bytes) == Mark(line: 1, column: 5))
    }

    @Test func consecutiveBreaks() {
        let bytes = Array("\r\n\r\n\r\r\n\nx".utf8)
        // CRLF, CRLF, CR, CRLF, LF: five breaks before "x".
        #expect(mark(ofOffset: bytes.count - 1, in: bytes) == Mark(line: 6, column: 1))
    }

    @Test func offsetPastTheEndIsTheEndOfText() {
        let bytes = Array("ab\nc".utf8)
        #expect(mark(ofOffset: 100, in: bytes) == Mark(line: 2, column: 2))
    }

    @Test func leadingByteOrderMarkTakesNoColumn() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("ab\nc".utf8)
        #expect(mark(ofOffset: 0, in: bytes) == Mark(line: 1, column: 1))
        #expect(mark(ofOffset: 3, in: bytes) == Mark(line: 1, column: 1))
        #expect(mark(ofOffset: 4, in: bytes) == Mark(line: 1, column: 2))
        #expect(mark(ofOffset: 6, in: bytes) == Mark(line: 2, column: 1))
    }

    @Test func byteOrderMarkLaterInTheTextIsACharacter() {
        let bytes = Array("a\u{FEFF}b".utf8)
        #expect(mark(ofOffset: 4, in: bytes) == Mark(line: 1, column: 3))
    }

    @Test func batchMarksAgreeWithSingleMarksForEveryOffset() {
        let bytes = Array("key: é€\r\n  - 😀\rnext\n\nend".utf8)
        let offsets = Array(0...bytes.count)
        let batch = marks(ofOffsets: offsets, in: bytes)
        #expect(batch.count == offsets.count)
        for offset in offsets {
            #expect(batch[offset] == mark(ofOffset: offset, in: bytes), "offset \(offset)")
        }
    }

    @Test func batchMarksAcceptUnsortedAndRepeatedOffsets() {
        let batch = marks(ofOffsets: [10, 3, 7, 3, 0], in: Self.text)
        #expect(
            batch == [
                0: Mark(line: 1, column: 1),
                3: Mark(line: 2, column: 1),
                7: Mark(line: 3, column: 1),
                10: Mark(line: 4, column: 1),
            ])
    }

    @Test func batchMarksOfNoOffsetsIsEmpty() {
        #expect(marks(ofOffsets: [], in: Self.text).isEmpty)
    }
}

@Suite struct MarkTests {
    @Test func ordersByLineThenColumn() {
        #expect(Mark(line: 1, column: 9) < Mark(line: 2, column: 1))
        #expect(Mark(line: 2, column: 1) < Mark(line: 2, column: 2))
        #expect(!(Mark(line: 2, column: 2) < Mark(line: 2, column: 2)))
        #expect(!(Mark(line: 3, column: 1) < Mark(line: 2, column: 5)))
    }

    @Test func describesAsLineColon() {
        #expect(Mark(line: 12, column: 3).description == "12:3")
    }
}
