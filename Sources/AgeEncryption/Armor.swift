/// age's ASCII armor: strict PEM with one type, padded base64 in 64-column lines, the
/// last line shorter (or full), no headers; CRLF line ends and whitespace around the
/// armor allowed, nothing else.
public enum Armor {
    static let header = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let footer = Array("-----END AGE ENCRYPTED FILE-----".utf8)

    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var output = header
        output.append(UInt8(ascii: "\n"))
        let encoded = Base64.encode(bytes, padded: true)
        var start = 0
        while start < encoded.count {
            let end = min(start + Header.columns, encoded.count)
            output.append(contentsOf: encoded[start..<end])
            output.append(UInt8(ascii: "\n"))
            start = end
        }
        output.append(contentsOf: footer)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// True when `bytes` (after leading whitespace) start with the armor header.
    public static func isArmored(_ bytes: [UInt8]) -> Bool {
        let start = bytes.firstIndex { !isWhitespace($0) } ?? bytes.endIndex
        return bytes[start...].starts(with: header)
    }

    public static func decode(_ bytes: [UInt8]) throws(AgeError) -> [UInt8] {
        var position = bytes.firstIndex { !isWhitespace($0) } ?? bytes.endIndex
        func nextLine() -> ArraySlice<UInt8>? {
            guard position < bytes.endIndex else { return nil }
            let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var line = bytes[position..<end]
            position = min(end + 1, bytes.endIndex)
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            return line
        }
        guard let first = nextLine(), Array(first) == header else { throw .armor("missing BEGIN line") }
        var output: [UInt8] = []
        var sawShortLine = false
        while true {
            guard let line = nextLine() else { throw .armor("missing END line") }
            if Array(line) == footer { break }
            guard !sawShortLine else { throw .armor("data after the last (short) line") }
            guard line.count <= Header.columns else { throw .armor("line longer than 64 columns") }
            guard let decoded = Base64.decode(Array(line), padded: true), !line.isEmpty else {
                throw .armor("invalid base64 line")
            }
            if line.count < Header.columns || line.last == UInt8(ascii: "=") { sawShortLine = true }
            output.append(contentsOf: decoded)
        }
        guard bytes[position...].allSatisfy(isWhitespace) else { throw .armor("data after the END line") }
        return output
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
