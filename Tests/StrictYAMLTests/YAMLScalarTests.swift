import StrictYAML
import Testing

@Suite struct YAMLScalarTypingTests {
    @Test(arguments: [
        (YAMLScalar("true"), true as Bool?),
        (YAMLScalar("false"), false),
        (YAMLScalar("yes"), nil),
        (YAMLScalar("no"), nil),
        (YAMLScalar("on"), nil),
        (YAMLScalar("off"), nil),
        (YAMLScalar("True"), nil),
        (YAMLScalar("FALSE"), nil),
        (YAMLScalar("y"), nil),
        (YAMLScalar(""), nil),
        (YAMLScalar("true", style: .doubleQuoted), nil),
        (YAMLScalar("false", style: .singleQuoted), nil),
        (YAMLScalar("true", style: .literal), nil),
    ])
    func bool(of scalar: YAMLScalar, is expected: Bool?) {
        #expect(scalar.bool == expected)
    }

    @Test(arguments: [
        (YAMLScalar("0"), 0 as Int?),
        (YAMLScalar("42"), 42),
        (YAMLScalar("-7"), -7),
        (YAMLScalar("9223372036854775807"), Int.max),
        (YAMLScalar("-9223372036854775808"), Int.min),
        (YAMLScalar("010"), nil),
        (YAMLScalar("00"), nil),
        (YAMLScalar("-01"), nil),
        (YAMLScalar("+5"), nil),
        (YAMLScalar("1_000"), nil),
        (YAMLScalar("0x10"), nil),
        (YAMLScalar("0o10"), nil),
        (YAMLScalar("1.0"), nil),
        (YAMLScalar("1e3"), nil),
        (YAMLScalar("-"), nil),
        (YAMLScalar(""), nil),
        (YAMLScalar(" 5"), nil),
        (YAMLScalar("5 "), nil),
        (YAMLScalar("\u{0663}"), nil),
        (YAMLScalar("\u{FF15}"), nil),
        (YAMLScalar("99999999999999999999"), nil),
        (YAMLScalar("9223372036854775808"), nil),
        (YAMLScalar("-9223372036854775809"), nil),
        (YAMLScalar("5", style: .singleQuoted), nil),
        (YAMLScalar("5", style: .doubleQuoted), nil),
    ])
    func int(of scalar: YAMLScalar, is expected: Int?) {
        #expect(scalar.int == expected)
    }

    @Test(arguments: [
        (YAMLScalar(""), true),
        (YAMLScalar("~"), true),
        (YAMLScalar("null"), true),
        (YAMLScalar("Null"), true),
        (YAMLScalar("NULL"), true),
        (YAMLScalar("nULL"), false),
        (YAMLScalar("none"), false),
        (YAMLScalar("nil"), false),
        (YAMLScalar("null", style: .doubleQuoted), false),
        (YAMLScalar("~", style: .singleQuoted), false),
        (YAMLScalar("", style: .doubleQuoted), false),
    ])
    func isNull(of scalar: YAMLScalar, is expected: Bool) {
        #expect(scalar.isNull == expected)
    }
}

@Suite struct YAMLScalarStyleFromSourceTests {
    @Test func typingFollowsTheStyleTheParserRecorded() throws {
        let root = try parseSingle("a: true\nb: \"true\"\nc: 5\nd: '5'\ne:\nf: \"null\"\ng: yes\n")
        #expect(root["a"]?.scalarValue?.bool == true)
        #expect(root["b"]?.scalarValue?.bool == nil)
        #expect(root["c"]?.scalarValue?.int == 5)
        #expect(root["d"]?.scalarValue?.int == nil)
        #expect(root["e"]?.scalarValue?.isNull == true)
        #expect(root["f"]?.scalarValue?.isNull == false)
        #expect(root["g"]?.scalarValue?.bool == nil)
        #expect(root["g"]?.scalarValue?.value == "yes")
    }
}
