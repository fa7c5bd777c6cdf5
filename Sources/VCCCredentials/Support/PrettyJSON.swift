import StrictJSON

/// Writes canonical JSON (two-space indent, `"key": value`) as a stream of calls, for
/// the documents vcc-creds writes in bulk (state, plans, sealed payloads), where a tree
/// of dictionaries would be built and sorted over and over. The caller writes keys in
/// sorted order; the bytes equal `JSONWriter.pretty` of the same content.
struct PrettyJSON {
    private(set) var bytes: [UInt8] = []
    /// For each open container: whether nothing has been written into it yet.
    private var empty: [Bool] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// The text, with the final newline.
    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The key of the next member; its value follows.
    mutating func key(_ name: String) {
        separate()
        JSONWriter.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    /// Marks the start of the next array element; its value follows.
    mutating func element() { separate() }

    mutating func string(_ text: String) { JSONWriter.appendString(text, to: &bytes) }
    mutating func int(_ number: Int) { bytes += String(number).utf8 }
    mutating func bool(_ flag: Bool) { bytes += (flag ? "true" : "false").utf8 }
    mutating func null() { bytes += "null".utf8 }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// A timestamp as its canonical text, written without an intermediate string.
    mutating func field(_ name: String, _ value: Timestamp) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        value.append(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    /// `[ "a", "b" ]` with one string per line, or `[]`.
    mutating func strings(_ items: [String]) {
        beginArray()
        for item in items {
            element()
            string(item)
        }
        endArray()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        empty.append(true)
    }

    private mutating func close(_ bracket: UInt8) {
        if !empty.removeLast() { newline() }
        bytes.append(bracket)
    }

    private mutating func separate() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
        newline()
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes += repeatElement(UInt8(ascii: " "), count: empty.count * 2)
    }
}
