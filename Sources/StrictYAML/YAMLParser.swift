import CYAML
import SourceText

/// Parses YAML into node trees with libyaml's event parser, refusing every YAML
/// feature a manifest does not need: anchors, aliases, tags, merge keys, duplicate keys.
///
/// Aliases are never expanded, so an alias bomb costs nothing; nesting and size are
/// bounded by ``YAMLLimits``.
public enum YAMLParser {
    /// Parses every document of a stream. An empty stream has no documents; an empty
    /// document is a plain null scalar.
    public static func parse(
        _ bytes: [UInt8], limits: YAMLLimits = .standard
    ) throws(SyntaxError) -> [YAMLDocument] {
        let result: Result<[YAMLDocument], SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(SyntaxError) {
                return .success(try parse(buffer: buffer, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func parse(
        buffer: UnsafeBufferPointer<UInt8>, limits: YAMLLimits
    ) throws(SyntaxError) -> [YAMLDocument] {
        guard buffer.count <= limits.maxBytes else {
            throw SyntaxError(
                "file is \(buffer.count) bytes, larger than the limit of \(limits.maxBytes) bytes",
                at: Mark(line: 1, column: 1))
        }
        if let problem = TextScan.firstEncodingProblem(in: buffer) {
            throw SyntaxError(problem.message, at: TextScan.mark(ofOffset: problem.offset, in: buffer))
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw SyntaxError("libyaml could not be initialized", at: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        // The encoding is left to libyaml's detection on purpose: detection is what skips a
        // leading UTF-8 byte order mark (with the encoding forced, the BOM is read as a
        // character and shifts line 1 by a column). It can only pick UTF-8 here, since the
        // bytes were just checked to be UTF-8 and a UTF-16 BOM is invalid UTF-8.
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        var builder = TreeBuilder(limits: limits)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw libyamlError(parser, buffer: buffer)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try builder.consume(event)
        }
        return builder.documents
    }

    private static func libyamlError(_ parser: yaml_parser_t, buffer: UnsafeBufferPointer<UInt8>) -> SyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        let context = parser.context.map { String(cString: $0) }
        let message = context.map { "\(problem) \($0)" } ?? problem
        let mark: Mark
        if parser.error == YAML_READER_ERROR {
            mark = TextScan.mark(ofOffset: Int(parser.problem_offset), in: buffer)
        } else {
            mark = Mark(parser.problem_mark)
        }
        return SyntaxError(message, at: mark)
    }
}

/// One document of a YAML stream.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    public var mark: Mark

    /// True for a document with nothing in it (only `---`, or only comments).
    public var isEmpty: Bool {
        if case .scalar(let scalar) = root.content, scalar.isNull, scalar.value.isEmpty { return true }
        return false
    }
}

extension Mark {
    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
