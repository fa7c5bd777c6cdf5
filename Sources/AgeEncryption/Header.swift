/// The age header: version line, stanzas, and the MAC line. Parsing is strict in every
/// way the specification allows: one exact version line, no CR, canonical unpadded
/// base64, body lines of exactly 64 columns but the last, a MAC of exactly 32 bytes.
struct Header: Sendable {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let columns = 64

    var stanzas: [Stanza]
    var mac: [UInt8]
    /// The bytes the MAC covers: everything up to and including the final `---`.
    var macInput: ArraySlice<UInt8>
    /// Where the payload starts.
    var payloadOffset: Int

    /// The header text up to and including `---`, for computing the MAC when sealing.
    static func macInput(for stanzas: [Stanza]) -> [UInt8] {
        var output = versionLine
        output.append(UInt8(ascii: "\n"))
        for stanza in stanzas { output.append(contentsOf: stanza.serialized()) }
        output.append(contentsOf: "---".utf8)
        return output
    }

    static func parse(_ bytes: [UInt8]) throws(AgeError) -> Header {
        var reader = LineReader(bytes: bytes)
        guard let version = reader.next(), Array(version) == versionLine else {
            throw .header("not an age v1 file (the first line is not age-encryption.org/v1)")
        }
        var stanzas: [Stanza] = []
        while true {
            let lineStart = reader.position
            guard let line = reader.next() else { throw .header("the header ends before its MAC line") }
            if line.starts(with: "---".utf8) {
                guard line.count == 4 + 43, line[line.startIndex + 3] == UInt8(ascii: " "),
                    let mac = Base64.decode(Array(line.dropFirst(4)), padded: false), mac.count == 32
                else { throw .header("malformed MAC line") }
                guard !stanzas.isEmpty else { throw .header("no recipient stanzas") }
                return Header(
                    stanzas: stanzas, mac: mac, macInput: bytes[0..<(lineStart + 3)], payloadOffset: reader.position)
            }
            guard line.starts(with: "-> ".utf8) else { throw .header("expected a stanza or the MAC line") }
            let fields = line.dropFirst(3).split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard !fields.isEmpty, fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 0x21 && $0 <= 0x7E } })
            else { throw .header("malformed stanza arguments") }
            var body: [UInt8] = []
            while true {
                guard let bodyLine = reader.next() else { throw .header("a stanza body is not terminated") }
                guard bodyLine.count <= columns, let decoded = Base64.decode(Array(bodyLine), padded: false) else {
                    throw .header("malformed stanza body")
                }
                body.append(contentsOf: decoded)
                if bodyLine.count < columns { break }
            }
            let strings = fields.map { String(decoding: $0, as: UTF8.self) }
            stanzas.append(Stanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
        }
    }
}

/// Splits bytes at `\n` without copying; a line is everything before the newline.
private struct LineReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next line, or nil at the end or when no newline follows.
    mutating func next() -> ArraySlice<UInt8>? {
        guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = bytes[position..<newline]
        position = newline + 1
        return line
    }
}
