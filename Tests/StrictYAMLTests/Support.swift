import StrictYAML
import Testing

/// The UTF-8 bytes of a string, for inputs written as Swift literals.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Parses `input`, which must hold exactly one document, and returns its root.
func parseSingle(
    _ input: String, limits: YAMLLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation
) throws -> YAMLNode {
    let documents = try YAMLParser.parse(utf8(input), limits: limits)
    try #require(documents.count == 1, "expected one document", sourceLocation: sourceLocation)
    return documents[0].root
}

/// Expects `input` to be rejected with a message containing `message` at exactly `mark`.
func expectRejected(
    _ input: [UInt8], limits: YAMLLimits = .standard, message: String, at mark: Mark,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: SyntaxError.self, sourceLocation: sourceLocation) {
        _ = try YAMLParser.parse(input, limits: limits)
    }
    guard let error else { return }
    #expect(error.message.contains(message), "message was: \(error.message)", sourceLocation: sourceLocation)
    #expect(error.mark == mark, "message was: \(error.message)", sourceLocation: sourceLocation)
}

func expectRejected(
    _ input: String, limits: YAMLLimits = .standard, message: String, at mark: Mark,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(utf8(input), limits: limits, message: message, at: mark, sourceLocation: sourceLocation)
}

extension YAMLNode {
    var scalarValue: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var mappingPairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value of `key` when this node is a mapping.
    subscript(key: String) -> YAMLNode? {
        mappingPairs?.first { $0.key == key }?.value
    }
}
