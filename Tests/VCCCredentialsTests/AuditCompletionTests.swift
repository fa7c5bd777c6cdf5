import Testing

@testable import VCCCredentials

/// Which of a journal's audit lines a log already holds, from the log's last bytes:
/// each line ends up there exactly once, a torn piece of one of them is cut, and a torn
/// line that is not theirs is never built upon.
@Suite struct AuditCompletionTests {
    static let lines = Array("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".utf8)
    static let earlier = Array("{\"x\":0}\n".utf8)

    static func completion(_ log: String, wholeFile: Bool = true) -> AuditLog.Completion {
        AuditLog.completion(of: lines, tail: Array(log.utf8), isWholeFile: wholeFile)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func anEmptyOrNewLogGetsEveryLine() {
        #expect(Self.completion("") == .append(Self.lines))
        #expect(Self.completion("{\"x\":0}\n") == .append(Self.lines))
    }

    @Test func aCompleteLogGetsNothing() {
        #expect(Self.completion("{\"x\":0}\n{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n") == .complete)
    }

    @Test func onlyTheMissingLinesAreAppendedInOrder() {
        #expect(Self.completion("{\"x\":0}\n{\"a\":1}\n") == .append(Self.bytes("{\"a\":2}\n{\"a\":3}\n")))
        // Wherever they stand near the end: a blank line after them, one missing between.
        #expect(Self.completion("{\"x\":0}\n{\"a\":1}\n{\"a\":3}\n\n") == .append(Self.bytes("{\"a\":2}\n")))
    }

    @Test func aTornPieceOfOneOfTheLinesIsCutThenTheRestAppended() {
        #expect(
            Self.completion("{\"x\":0}\n{\"a\":1}\n{\"a\"")
                == .repairTornLine(cut: 4, append: Self.bytes("{\"a\":2}\n{\"a\":3}\n")))
        #expect(Self.completion("{") == .repairTornLine(cut: 1, append: Self.lines))
        // A whole line but its line break: cut and written again, whole.
        #expect(
            Self.completion("{\"a\":1}\n{\"a\":2}")
                == .repairTornLine(cut: 7, append: Self.bytes("{\"a\":2}\n{\"a\":3}\n")))
    }

    @Test func aTornLineThatIsNotOneOfTheirsIsForeign() {
        #expect(Self.completion("{\"x\":0}\n{\"someone\":\"else") == .foreignTornLine)
        #expect(Self.completion("{\"x\":0}") == .foreignTornLine)
        // A window that holds no line break at all cannot tell: foreign, never guessed.
        #expect(Self.completion("{\"a\"", wholeFile: false) == .foreignTornLine)
    }

    /// The window may begin inside a line: that first piece is never taken for a line.
    @Test func aWindowThatCutsIntoAnEarlierLineIgnoresThatPiece() {
        #expect(Self.completion(":1}\n", wholeFile: false) == .append(Self.lines))
        #expect(
            Self.completion("{\"a\":1}\n{\"a\":2}\n", wholeFile: false) == .append(Self.bytes("{\"a\":1}\n{\"a\":3}\n"))
        )
    }
}

/// The characters a credential name or user id may not hold because a reader cannot
/// see them, and that every person-facing output escapes.
@Suite struct InvisibleCharacterTests {
    @Test(arguments: [
        0x200B, 0x200C, 0x200D, 0x202E, 0x2066, 0xFEFF, 0x00AD,  // format (Cf)
        0x034F, 0xFE0F, 0x115F, 0x3164, 0xFFA0, 0x180B,  // other default-ignorables
        0x00A0, 0x2003, 0x3000, 0x2800,  // blank: spaces, the blank Braille pattern
        0xE000, 0xF8FF, 0x0378,  // private use, unassigned
    ])
    func isInvisible(_ value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(Identifiers.isInvisible(scalar))
        #expect(Printable.escaped("a\(String(scalar))b") == "a\\u{\(String(value, radix: 16, uppercase: true))}b")
    }

    @Test(arguments: [0x0041, 0x00E9, 0x0627, 0x4E2D, 0x1F600, 0x0301, 0x2764, 0x0020])
    func isVisible(_ value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(!Identifiers.isInvisible(scalar))
        #expect(Printable.escaped("a\(String(scalar))b") == "a\(String(scalar))b")
    }

    @Test func codePointsAreNamedWithFourDigitsAtLeast() throws {
        #expect(Printable.codePoint(try #require(Unicode.Scalar(0xA0))) == "U+00A0")
        #expect(Printable.codePoint(try #require(Unicode.Scalar(0x1F600))) == "U+1F600")
    }
}
