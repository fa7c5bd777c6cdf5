import SourceText

/// The lexer and tree builder behind ``JSONParser`` and ``JSONCursor``: one set of
/// strictness rules for both.
struct JSONLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Size, byte order mark, UTF-8 and NUL: checked once before any parsing.
    func checkEncoding(maxBytes: Int) throws(SyntaxError) {
        guard bytes.count <= maxBytes else {
            throw error("file is \(bytes.count) bytes, larger than the limit of \(maxBytes) bytes", at: 0)
        }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error("byte order mark is not allowed", at: 0)
        }
        if let problem = TextScan.firstEncodingProblem(in: bytes) {
            throw error(problem.message, at: problem.offset)
        }
    }

    func error(_ message: String, at offset: Int) -> SyntaxError {
        SyntaxError(message, at: TextScan.mark(ofOffset: offset, in: bytes))
    }

    mutating func document() throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else {
            throw error("unexpected \(describe(index)) after the JSON value", at: index)
        }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func value() throws(SyntaxError) -> JSONValue {
        let start = index
        guard index < bytes.count else { throw error("expected a value, found end of file", at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return JSONValue(.string(try string()), offset: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONValue(.bool(true), offset: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONValue(.bool(false), offset: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONValue(.null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a value, found \(describe(index))", at: index)
        }
    }

    mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let start = index
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("invalid literal", at: start) }
        let text = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != text[offset] {
            throw error("invalid literal", at: start)
        }
        index += count
    }

    mutating func enter(at offset: Int) throws(SyntaxError) {
        depth += 1
        guard depth <= maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: offset) }
    }

    mutating func object() throws(SyntaxError) -> JSONValue {
        let start = index
        try enter(at: start)
        index += 1
        var members: [JSONMember] = []
        var keyIndex: [String: Int]?
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONValue(.object(members), offset: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key, found \(describe(index))", at: index)
            }
            let keyOffset = index
            let key = try string()
            if let keyIndex {
                if keyIndex[key] != nil { throw error("duplicate key \"\(key)\"", at: keyOffset) }
            } else if members.contains(where: { $0.key == key }) {
                throw error("duplicate key \"\(key)\"", at: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after key, found \(describe(index))", at: index)
            }
            index += 1
            skipWhitespace()
            let value = try self.value()
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            if keyIndex != nil {
                keyIndex![key] = members.count - 1
            } else if members.count > 16 {
                var built: [String: Int] = [:]
                for (position, member) in members.enumerated() { built[member.key] = position }
                keyIndex = built
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object, found end of file", at: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return JSONValue(.object(members), offset: start)
            }
            throw error("expected ',' or '}', found \(describe(index))", at: index)
        }
    }

    mutating func array() throws(SyntaxError) -> JSONValue {
        let start = index
        try enter(at: start)
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return JSONValue(.array(items), offset: start)
        }
        while true {
            skipWhitespace()
            items.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array, found end of file", at: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return JSONValue(.array(items), offset: start)
            }
            throw error("expected ',' or ']', found \(describe(index))", at: index)
        }
    }

    mutating func number() throws(SyntaxError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) {
                throw error("numbers may not have leading zeros", at: start)
            }
        } else {
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONValue(.number(text), offset: start)
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func string() throws(SyntaxError) -> String {
        let start = index
        index += 1
        let contentStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string must be escaped", at: index) }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string", at: start) }
        var scalars = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 { throw error("control character in string must be escaped", at: index) }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            guard index < bytes.count else { break }
            switch bytes[index] {
            case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape(at: escapeStart)
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                continue
            default:
                throw error("invalid escape sequence", at: escapeStart)
            }
            index += 1
        }
        throw error("unterminated string", at: start)
    }

    /// Reads `\uXXXX` (index on the `u`), joining surrogate pairs; a lone surrogate is an error.
    mutating func unicodeEscape(at escapeStart: Int) throws(SyntaxError) -> Unicode.Scalar {
        index += 1
        let high = try hexQuad(at: escapeStart)
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate in \\u escape", at: escapeStart) }
            index += 2
            let low = try hexQuad(at: escapeStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("unpaired surrogate in \\u escape", at: escapeStart)
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Unicode.Scalar(value)!
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw error("unpaired surrogate in \\u escape", at: escapeStart)
        }
        return scalar
    }

    mutating func hexQuad(at escapeStart: Int) throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
