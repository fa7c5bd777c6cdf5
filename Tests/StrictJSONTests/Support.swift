import StrictJSON
import Testing

/// The UTF-8 bytes of a string, for inputs written as Swift literals.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

func parse(_ text: String) throws -> JSONDocument {
    try JSONParser.parse(utf8(text))
}

/// Expects `input` to be rejected with a message containing `message` at exactly `mark`.
func expectRejected(
    _ input: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth, maxBytes: Int = JSONParser.defaultMaxBytes,
    message: String, at mark: Mark, sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: SyntaxError.self, sourceLocation: sourceLocation) {
        _ = try JSONParser.parse(input, maxDepth: maxDepth, maxBytes: maxBytes)
    }
    guard let error else { return }
    #expect(error.message.contains(message), "message was: \(error.message)", sourceLocation: sourceLocation)
    #expect(error.mark == mark, "message was: \(error.message)", sourceLocation: sourceLocation)
}

func expectRejected(
    _ input: String, maxDepth: Int = JSONParser.defaultMaxDepth, maxBytes: Int = JSONParser.defaultMaxBytes,
    message: String, at mark: Mark, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(
        utf8(input), maxDepth: maxDepth, maxBytes: maxBytes, message: message, at: mark,
        sourceLocation: sourceLocation)
}

/// Converts a parsed value to the writer's model; nil if a number is not an integer.
func toJSON(_ value: JSONValue) -> JSON? {
    switch value.content {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .number(let text): return Int(text).map(JSON.int)
    case .string(let text): return .string(text)
    case .array(let items):
        var converted: [JSON] = []
        for item in items {
            guard let json = toJSON(item) else { return nil }
            converted.append(json)
        }
        return .array(converted)
    case .object(let members):
        var converted: [String: JSON] = [:]
        for member in members {
            guard let json = toJSON(member.value) else { return nil }
            converted[member.key] = json
        }
        return .object(converted)
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = content { return text }
        return nil
    }

    var numberText: String? {
        if case .number(let text) = content { return text }
        return nil
    }

    var arrayItems: [JSONValue]? {
        if case .array(let items) = content { return items }
        return nil
    }

    var objectMembers: [JSONMember]? {
        if case .object(let members) = content { return members }
        return nil
    }

    subscript(key: String) -> JSONValue? {
        objectMembers?.first { $0.key == key }?.value
    }
}
