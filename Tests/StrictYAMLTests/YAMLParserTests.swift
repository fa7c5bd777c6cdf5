import StrictYAML
import Testing

@Suite struct YAMLParserStructureTests {
    @Test func parsesMappingOfScalarsSequencesAndMappings() throws {
        let root = try parseSingle("name: app\nports:\n  - 80\n  - 443\nowner:\n  team: core\n")
        let pairs = try #require(root.mappingPairs)
        #expect(pairs.map(\.key) == ["name", "ports", "owner"])
        #expect(root["name"]?.scalarValue == YAMLScalar("app"))
        let ports = try #require(root["ports"]?.sequenceItems)
        #expect(ports.map(\.scalarValue) == [YAMLScalar("80"), YAMLScalar("443")])
        #expect(root["owner"]?["team"]?.scalarValue == YAMLScalar("core"))
    }

    @Test func keepsMappingKeysInSourceOrder() throws {
        let root = try parseSingle("zeta: 1\nalpha: 2\nmid: 3\n")
        #expect(root.mappingPairs?.map(\.key) == ["zeta", "alpha", "mid"])
    }

    @Test func parsesFlowCollections() throws {
        let root = try parseSingle("{a: [x, 'y', \"z\"], b: {c: d}}")
        let items = try #require(root["a"]?.sequenceItems)
        #expect(
            items.map(\.scalarValue) == [
                YAMLScalar("x"), YAMLScalar("y", style: .singleQuoted), YAMLScalar("z", style: .doubleQuoted),
            ])
        #expect(root["b"]?["c"]?.scalarValue == YAMLScalar("d"))
    }

    @Test func recordsScalarStyles() throws {
        let root = try parseSingle("p: plain\ns: 'single'\nd: \"double\"\nl: |\n  line\nf: >\n  folded\n  text\n")
        #expect(root["p"]?.scalarValue == YAMLScalar("plain", style: .plain))
        #expect(root["s"]?.scalarValue == YAMLScalar("single", style: .singleQuoted))
        #expect(root["d"]?.scalarValue == YAMLScalar("double", style: .doubleQuoted))
        #expect(root["l"]?.scalarValue == YAMLScalar("line\n", style: .literal))
        #expect(root["f"]?.scalarValue == YAMLScalar("folded text\n", style: .folded))
    }

    @Test func decodesDoubleQuotedEscapes() throws {
        let root = try parseSingle(#"a: "tab\tquote\"snow\u2603""#)
        #expect(root["a"]?.scalarValue?.value == "tab\tquote\"snow\u{2603}")
    }

    @Test func missingValueIsAPlainEmptyScalar() throws {
        let root = try parseSingle("a:\nb: 1\n")
        #expect(root["a"]?.scalarValue == YAMLScalar("", style: .plain))
        #expect(root["a"]?.scalarValue?.isNull == true)
    }

    @Test func quotedMergeKeySpellingIsAnOrdinaryKey() throws {
        let root = try parseSingle("\"<<\": 1\n")
        #expect(root.mappingPairs?.map(\.key) == ["<<"])
    }

    @Test func sameKeyInSiblingMappingsIsNotADuplicate() throws {
        let root = try parseSingle("a:\n  x: 1\nb:\n  x: 2\n")
        #expect(root["a"]?["x"]?.scalarValue?.value == "1")
        #expect(root["b"]?["x"]?.scalarValue?.value == "2")
    }

    @Test func largeMappingWithDistinctKeysKeepsEveryPair() throws {
        let text = (0..<1000).map { "key\($0): \($0)\n" }.joined()
        let root = try parseSingle(text)
        let pairs = try #require(root.mappingPairs)
        #expect(pairs.count == 1000)
        #expect(pairs.map(\.key) == (0..<1000).map { "key\($0)" })
        #expect(pairs[999].keyMark == Mark(line: 1000, column: 1))
    }

    @Test func kindDescriptionsNameEachKind() throws {
        let root = try parseSingle("s: x\nn: ~\nl: []\nm: {}\n")
        #expect(root["s"]?.kindDescription == "a scalar")
        #expect(root["n"]?.kindDescription == "nothing (null)")
        #expect(root["l"]?.kindDescription == "a list")
        #expect(root["m"]?.kindDescription == "a mapping")
    }
}

@Suite struct YAMLMarkTests {
    @Test func nestedBlockNodesCarryTheirMarks() throws {
        let root = try parseSingle("a:\n  b:\n    - c\n")
        #expect(root.mark == Mark(line: 1, column: 1))
        let outer = try #require(root.mappingPairs?.first)
        #expect(outer.keyMark == Mark(line: 1, column: 1))
        #expect(outer.value.mark == Mark(line: 2, column: 3))
        let inner = try #require(outer.value.mappingPairs?.first)
        #expect(inner.key == "b")
        #expect(inner.keyMark == Mark(line: 2, column: 3))
        #expect(inner.value.mark == Mark(line: 3, column: 5))
        let item = try #require(inner.value.sequenceItems?.first)
        #expect(item.scalarValue?.value == "c")
        #expect(item.mark == Mark(line: 3, column: 7))
    }

    @Test func scalarValueMarksPointAtTheValue() throws {
        let root = try parseSingle("key: value\nother:   'quoted'\n")
        let pairs = try #require(root.mappingPairs)
        #expect(pairs[0].value.mark == Mark(line: 1, column: 6))
        #expect(pairs[1].keyMark == Mark(line: 2, column: 1))
        #expect(pairs[1].value.mark == Mark(line: 2, column: 10))
    }

    @Test func sequenceOfMappingsMarks() throws {
        let root = try parseSingle("items:\n  - name: a\n    size: 1\n  - name: b\n")
        let items = try #require(root["items"]?.sequenceItems)
        #expect(items.map(\.mark) == [Mark(line: 2, column: 5), Mark(line: 4, column: 5)])
        let second = try #require(items[0].mappingPairs?.last)
        #expect(second.key == "size")
        #expect(second.keyMark == Mark(line: 3, column: 5))
        #expect(second.value.mark == Mark(line: 3, column: 11))
    }

    @Test func flowCollectionMarks() throws {
        let root = try parseSingle("x: {a: [b, c]}\n")
        let mapping = try #require(root["x"])
        #expect(mapping.mark == Mark(line: 1, column: 4))
        #expect(mapping.mappingPairs?.first?.keyMark == Mark(line: 1, column: 5))
        let list = try #require(mapping["a"])
        #expect(list.mark == Mark(line: 1, column: 8))
        #expect(list.sequenceItems?.map(\.mark) == [Mark(line: 1, column: 9), Mark(line: 1, column: 12)])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "é" is two bytes and "😀" four; columns must still advance by one each.
        let root = try parseSingle("é😀: x\n")
        let pair = try #require(root.mappingPairs?.first)
        #expect(pair.key == "é😀")
        #expect(pair.value.mark == Mark(line: 1, column: 5))
    }

    @Test func crlfLineEndingsCountAsOneBreak() throws {
        let root = try parseSingle("a: 1\r\nb:\r\n  c: 2\r\n")
        let pairs = try #require(root.mappingPairs)
        #expect(pairs.map(\.keyMark) == [Mark(line: 1, column: 1), Mark(line: 2, column: 1)])
        #expect(pairs[0].value.scalarValue?.value == "1")
        let inner = try #require(pairs[1].value.mappingPairs?.first)
        #expect(inner.keyMark == Mark(line: 3, column: 3))
        #expect(inner.value.mark == Mark(line: 3, column: 6))
        #expect(inner.value.scalarValue?.value == "2")
    }

    @Test func loneCarriageReturnIsALineBreak() throws {
        let root = try parseSingle("a: 1\rb: 2\r")
        #expect(root.mappingPairs?.map(\.keyMark) == [Mark(line: 1, column: 1), Mark(line: 2, column: 1)])
        #expect(root["b"]?.mark == Mark(line: 2, column: 4))
    }

    @Test func byteOrderMarkAtStartIsAcceptedAndTakesNoColumn() throws {
        let documents = try YAMLParser.parse([0xEF, 0xBB, 0xBF] + utf8("a: 1\nb: 2\n"))
        try #require(documents.count == 1)
        let pairs = try #require(documents[0].root.mappingPairs)
        #expect(pairs.map(\.key) == ["a", "b"])
        #expect(pairs.map(\.keyMark) == [Mark(line: 1, column: 1), Mark(line: 2, column: 1)])
        #expect(pairs[0].value.mark == Mark(line: 1, column: 4))
    }

    @Test func byteOrderMarkAloneIsAnEmptyStream() throws {
        #expect(try YAMLParser.parse([0xEF, 0xBB, 0xBF]).isEmpty)
    }
}

@Suite struct YAMLStreamTests {
    @Test func multiDocumentStreamGivesEveryDocumentWithItsMark() throws {
        let documents = try YAMLParser.parse(utf8("a: 1\n---\nb: 2\n...\n---\n- x\n"))
        try #require(documents.count == 3)
        #expect(
            documents.map(\.mark) == [Mark(line: 1, column: 1), Mark(line: 2, column: 1), Mark(line: 5, column: 1)])
        #expect(documents[0].root["a"]?.scalarValue?.value == "1")
        #expect(documents[1].root["b"]?.mark == Mark(line: 3, column: 4))
        #expect(documents[2].root.sequenceItems?.first?.mark == Mark(line: 6, column: 3))
        #expect(documents.allSatisfy { !$0.isEmpty })
    }

    @Test(arguments: ["", "\n", "\n\n  \n"])
    func emptyStreamHasNoDocuments(input: String) throws {
        #expect(try YAMLParser.parse(utf8(input)).isEmpty)
    }

    @Test func commentOnlyFileHasNoDocuments() throws {
        #expect(try YAMLParser.parse(utf8("# just a comment\n  # and another\n")).isEmpty)
    }

    @Test func documentStartAloneIsAnEmptyDocument() throws {
        let documents = try YAMLParser.parse(utf8("---\n"))
        try #require(documents.count == 1)
        #expect(documents[0].isEmpty)
        #expect(documents[0].root.scalarValue == YAMLScalar(""))
    }

    @Test func documentWithOnlyACommentIsEmpty() throws {
        let documents = try YAMLParser.parse(utf8("---\n# nothing here\n"))
        try #require(documents.count == 1)
        #expect(documents[0].isEmpty)
    }

    @Test func twoEmptyDocumentsAreBothKept() throws {
        let documents = try YAMLParser.parse(utf8("---\n---\n"))
        #expect(documents.count == 2)
        #expect(documents.allSatisfy { $0.isEmpty })
    }

    @Test(arguments: ["--- ~\n", "--- null\n", "--- ''\n", "--- x\n"])
    func documentWithAnyWrittenValueIsNotEmpty(input: String) throws {
        let documents = try YAMLParser.parse(utf8(input))
        try #require(documents.count == 1)
        #expect(!documents[0].isEmpty)
    }
}

@Suite struct YAMLLimitTests {
    @Test func depth64FlowSequencesAreAccepted() throws {
        var node = try parseSingle(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
        var depth = 1
        while let items = node.sequenceItems, let first = items.first {
            node = first
            depth += 1
        }
        #expect(depth == 64)
        #expect(node.sequenceItems?.isEmpty == true)
    }

    @Test func depth64BlockMappingsAreAccepted() throws {
        let text = (0..<64).map { String(repeating: " ", count: $0 * 2) + "k\($0):\n" }.joined()
        var node = try parseSingle(text)
        for level in 0..<63 {
            node = try #require(node["k\(level)"])
        }
        #expect(node["k63"]?.scalarValue?.isNull == true)
        #expect(node.mark == Mark(line: 64, column: 127))
    }

    @Test func inputExactlyAtTheByteLimitIsAccepted() throws {
        let documents = try YAMLParser.parse(utf8("a: 1\n"), limits: YAMLLimits(maxBytes: 5))
        #expect(documents.count == 1)
    }

    @Test func standardLimitsAreDepth64And16MiB() {
        #expect(YAMLLimits.standard.maxDepth == 64)
        #expect(YAMLLimits.standard.maxBytes == 16 * 1024 * 1024)
    }
}
