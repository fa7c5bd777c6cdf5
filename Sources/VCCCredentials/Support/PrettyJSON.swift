import StrictJSON

/// A writer for canonical JSON whose shape is known in advance: keys written in sorted
/// order by the caller, two-space indent. For the files vcc-creds writes in bulk (state,
/// sealed payload, audit log), where a tree of dictionaries would be sorted over and over.
struct PrettyJSON {
    var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += text.utf8 }

    mutating func indent(_ level: Int) { bytes += repeatElement(UInt8(ascii: " "), count: level * 2) }

    mutating func string(_ text: String) { JSONWriter.appendString(text, to: &bytes) }

    mutating func key(_ name: String, _ level: Int) {
        indent(level)
        string(name)
        raw(": ")
    }

    mutating func field(_ name: String, _ value: String, _ level: Int, last: Bool = false) {
        key(name, level)
        string(value)
        raw(last ? "\n" : ",\n")
    }

    /// `[]`, or one element per line at `level + 1`, closed at `level`.
    mutating func list<T>(_ items: [T], _ level: Int, _ element: (inout PrettyJSON, T) -> Void) {
        guard !items.isEmpty else { return raw("[]") }
        raw("[\n")
        for (index, item) in items.enumerated() {
            indent(level + 1)
            element(&self, item)
            raw(index == items.count - 1 ? "\n" : ",\n")
        }
        indent(level)
        raw("]")
    }
}
