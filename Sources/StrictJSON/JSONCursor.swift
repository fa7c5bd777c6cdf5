/// Reads a JSON text front to back without building a tree, for large machine-written
/// files (the state) that are decoded straight into typed values. The same lexer and
/// strictness as ``JSONParser``: syntax errors, duplicate keys, depth, UTF-8.
///
/// The decoder asks for what it expects (`peekKind`, then `readString`, ...) and skips
/// what it does not (`skipValue`), so type errors become its own diagnostics.
public struct JSONCursor {
    var lexer: JSONLexer

    /// The kind of the next value.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        case object, array, string, number, bool, null

        /// A short noun for error messages: "an object", "null".
        public var description: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    /// Runs `body` over the text, then requires nothing but whitespace after the value.
    public static func read<T>(
        _ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth, maxBytes: Int = JSONParser.defaultMaxBytes,
        _ body: (inout JSONCursor) throws(SyntaxError) -> T
    ) throws(SyntaxError) -> T {
        let result: Result<T, SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(lexer: JSONLexer(bytes: buffer, maxDepth: maxDepth))
            do throws(SyntaxError) {
                try cursor.lexer.checkEncoding(maxBytes: maxBytes)
                let value = try body(&cursor)
                cursor.lexer.skipWhitespace()
                guard cursor.lexer.index == buffer.count else {
                    throw cursor.lexer.error(
                        "unexpected \(cursor.lexer.describe(cursor.lexer.index)) after the JSON value",
                        at: cursor.lexer.index)
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The byte offset of the next value (after whitespace).
    public mutating func offset() -> Int {
        lexer.skipWhitespace()
        return lexer.index
    }

    public mutating func peekKind() throws(SyntaxError) -> Kind {
        lexer.skipWhitespace()
        guard lexer.index < lexer.bytes.count else {
            throw lexer.error("expected a value, found end of file", at: lexer.index)
        }
        switch lexer.bytes[lexer.index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw lexer.error("expected a value, found \(lexer.describe(lexer.index))", at: lexer.index)
        }
    }

    public mutating func readString() throws(SyntaxError) -> String {
        lexer.skipWhitespace()
        return try lexer.string()
    }

    /// A number's text as written; the decoder decides its type.
    public mutating func readNumber() throws(SyntaxError) -> String {
        lexer.skipWhitespace()
        guard case .number(let text) = try lexer.number().content else { return "" }
        return text
    }

    public mutating func readBool() throws(SyntaxError) -> Bool {
        guard case .bool(let flag) = try lexer.value().content else { return false }
        return flag
    }

    /// Reads and discards the next value, whatever it is.
    public mutating func skipValue() throws(SyntaxError) {
        lexer.skipWhitespace()
        _ = try lexer.value()
    }

    /// Reads an object whose keys are mostly known in advance, matching keys by their
    /// bytes (no string is made for a known key). `member` gets the key's index in `keys`,
    /// or `nil` and the key's text for an unknown one.
    public mutating func readObject(
        keys: JSONKeys, _ member: (inout JSONCursor, Int?, String, Int) throws(SyntaxError) -> Void
    ) throws(SyntaxError) {
        lexer.skipWhitespace()
        let start = lexer.index
        guard start < lexer.bytes.count, lexer.bytes[start] == UInt8(ascii: "{") else {
            throw lexer.error("expected an object, found \(lexer.describe(start))", at: start)
        }
        try lexer.enter(at: start)
        lexer.index += 1
        var seenKnown: UInt64 = 0
        var seenUnknown = Set<String>()
        lexer.skipWhitespace()
        if lexer.index < lexer.bytes.count && lexer.bytes[lexer.index] == UInt8(ascii: "}") {
            lexer.index += 1
            lexer.depth -= 1
            return
        }
        while true {
            lexer.skipWhitespace()
            guard lexer.index < lexer.bytes.count, lexer.bytes[lexer.index] == UInt8(ascii: "\"") else {
                throw lexer.error("expected a string key, found \(lexer.describe(lexer.index))", at: lexer.index)
            }
            let keyOffset = lexer.index
            let known = keys.match(lexer.bytes, at: keyOffset)
            let key: String
            if let known {
                key = keys.names[known]
                lexer.index = keyOffset + keys.bytes[known].count + 2
                guard seenKnown & (1 << UInt64(known)) == 0 else {
                    throw lexer.error("duplicate key \"\(key)\"", at: keyOffset)
                }
                seenKnown |= 1 << UInt64(known)
            } else {
                key = try lexer.string()
                if let index = keys.names.firstIndex(of: key) {
                    // A known key written with escapes.
                    guard seenKnown & (1 << UInt64(index)) == 0 else {
                        throw lexer.error("duplicate key \"\(key)\"", at: keyOffset)
                    }
                    seenKnown |= 1 << UInt64(index)
                } else {
                    guard seenUnknown.insert(key).inserted else {
                        throw lexer.error("duplicate key \"\(key)\"", at: keyOffset)
                    }
                }
            }
            lexer.skipWhitespace()
            guard lexer.index < lexer.bytes.count, lexer.bytes[lexer.index] == UInt8(ascii: ":") else {
                throw lexer.error("expected ':' after key, found \(lexer.describe(lexer.index))", at: lexer.index)
            }
            lexer.index += 1
            try member(&self, known ?? keys.names.firstIndex(of: key), key, keyOffset)
            guard try continues(closer: UInt8(ascii: "}"), "object") else { return }
        }
    }

    /// Reads an array, calling `element` for each item with its offset; `element` must
    /// read or skip it.
    public mutating func readArray(_ element: (inout JSONCursor, Int) throws(SyntaxError) -> Void) throws(SyntaxError) {
        lexer.skipWhitespace()
        let start = lexer.index
        guard start < lexer.bytes.count, lexer.bytes[start] == UInt8(ascii: "[") else {
            throw lexer.error("expected an array, found \(lexer.describe(start))", at: start)
        }
        try lexer.enter(at: start)
        lexer.index += 1
        lexer.skipWhitespace()
        if lexer.index < lexer.bytes.count && lexer.bytes[lexer.index] == UInt8(ascii: "]") {
            lexer.index += 1
            lexer.depth -= 1
            return
        }
        while true {
            lexer.skipWhitespace()
            try element(&self, lexer.index)
            guard try continues(closer: UInt8(ascii: "]"), "array") else { return }
        }
    }

    /// After a member or an element: true past a `,` (another follows), false past
    /// `closer` (the container is done).
    private mutating func continues(closer: UInt8, _ container: String) throws(SyntaxError) -> Bool {
        lexer.skipWhitespace()
        guard lexer.index < lexer.bytes.count else {
            throw lexer.error("unterminated \(container), found end of file", at: lexer.index)
        }
        let byte = lexer.bytes[lexer.index]
        if byte == UInt8(ascii: ",") {
            lexer.index += 1
            return true
        }
        if byte == closer {
            lexer.index += 1
            lexer.depth -= 1
            return false
        }
        throw lexer.error(
            "expected ',' or '\(Character(Unicode.Scalar(closer)))', found \(lexer.describe(lexer.index))",
            at: lexer.index)
    }
}

/// The keys an object is expected to have, prepared for matching raw bytes.
public struct JSONKeys: Sendable {
    public let names: [String]
    let bytes: [[UInt8]]

    public init(_ names: [String]) {
        precondition(names.count <= 64, "at most 64 known keys")
        self.names = names
        bytes = names.map { Array($0.utf8) }
    }

    /// The index of the key whose plain (escape-free) literal starts at `offset`.
    func match(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        for (index, key) in bytes.enumerated() {
            let end = offset + 1 + key.count
            guard end < text.count, text[end] == UInt8(ascii: "\"") else { continue }
            var equal = true
            for position in 0..<key.count where text[offset + 1 + position] != key[position] {
                equal = false
                break
            }
            if equal { return index }
        }
        return nil
    }
}
