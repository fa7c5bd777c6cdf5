/// Writes canonical JSON as a stream of calls, for the documents written in bulk (state,
/// plans, journals, digests over tens of thousands of entries), where a tree of
/// dictionaries would be built and sorted over and over. The caller writes keys in
/// sorted order (by UTF-8 bytes; debug builds check it); the bytes then equal
/// ``JSONWriter``'s for the same content, which writes through this type.
///
/// Several top-level values may follow one another (JSON Lines: end each with
/// ``endLine()``).
public struct JSONStreamWriter: Sendable {
    public enum Style: Sendable {
        /// Two-space indent, `"key": value`, one member or element a line, a newline at
        /// the end: for files people diff.
        case pretty
        /// No whitespace and no newline at the end: for JSON Lines and digests.
        case compact
    }

    public private(set) var bytes: [UInt8] = []
    public let style: Style
    /// One for each open container, innermost last.
    private var levels: [Level] = []
    private let checksKeyOrder: Bool

    private struct Level {
        /// Nothing has been written into the container yet.
        var isEmpty = true
        #if DEBUG
            var lastKey: String?
        #endif
    }

    /// `checksKeyOrder: false` is for a format whose key order was frozen before it was
    /// canonical (changing its bytes would change what was hashed from them).
    public init(style: Style, capacity: Int = 4096, checksKeyOrder: Bool = true) {
        self.style = style
        self.checksKeyOrder = checksKeyOrder
        bytes.reserveCapacity(capacity)
    }

    /// The text: in the pretty style with its final newline.
    public mutating func finish() -> [UInt8] {
        precondition(levels.isEmpty, "a container is still open")
        if style == .pretty { bytes.append(UInt8(ascii: "\n")) }
        return bytes
    }

    /// Ends a top-level value with a line break, as JSON Lines does.
    public mutating func endLine() {
        precondition(levels.isEmpty, "a container is still open")
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The key of the next member; its value follows.
    public mutating func key(_ name: String) {
        #if DEBUG
            if checksKeyOrder, let last = levels[levels.count - 1].lastKey {
                assert(last.utf8.lexicographicallyPrecedes(name.utf8), "key \"\(name)\" written after \"\(last)\"")
            }
            levels[levels.count - 1].lastKey = name
        #endif
        separate()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if style == .pretty { bytes.append(UInt8(ascii: " ")) }
    }

    /// Marks the start of the next array element; its value follows.
    public mutating func element() { separate() }

    public mutating func string(_ text: String) { Self.appendString(text, to: &bytes) }
    public mutating func int(_ number: Int) { bytes += String(number).utf8 }
    public mutating func bool(_ flag: Bool) { bytes += (flag ? "true" : "false").utf8 }
    public mutating func null() { bytes += "null".utf8 }

    /// A string whose bytes `write` appends, for values that format themselves (such as
    /// timestamps) without an intermediate `String`. They must need no escaping.
    public mutating func string(unescaped write: (inout [UInt8]) -> Void) {
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        write(&bytes)
        assert(!bytes[start...].contains(where: Self.needsEscape), "string(unescaped:) got bytes that need escaping")
        bytes.append(UInt8(ascii: "\""))
    }

    /// A value already written by a writer of the same style, such as entries sorted by
    /// their bytes before they are listed.
    public mutating func encoded(_ value: some Collection<UInt8>) { bytes += value }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    /// An array of strings (one a line in the pretty style), or `[]`.
    public mutating func strings(_ items: [String]) {
        beginArray()
        for item in items {
            element()
            string(item)
        }
        endArray()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        levels.append(Level())
    }

    private mutating func close(_ bracket: UInt8) {
        if !levels.removeLast().isEmpty { newline() }
        bytes.append(bracket)
    }

    private mutating func separate() {
        if levels[levels.count - 1].isEmpty {
            levels[levels.count - 1].isEmpty = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
        newline()
    }

    private mutating func newline() {
        guard style == .pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes += repeatElement(UInt8(ascii: " "), count: levels.count * 2)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    private static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where needsEscape(byte) { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            case 0x08: output.append(contentsOf: "\\b".utf8)
            case 0x0C: output.append(contentsOf: "\\f".utf8)
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: "\\u00".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
