/// Writes ``JSON`` canonically: keys sorted by their UTF-8 bytes, two-space indent,
/// `"key": value`, a newline at the end. Small, reviewable git diffs depend on it.
/// The bytes come from ``JSONStreamWriter``, so both writers agree.
public enum JSONWriter {
    /// Canonical, indented form for files people diff.
    public static func pretty(_ value: JSON) -> [UInt8] {
        write(value, style: .pretty)
    }

    /// Canonical single-line form (no newline at the end), for JSON Lines and digests.
    public static func compact(_ value: JSON) -> [UInt8] {
        write(value, style: .compact)
    }

    private static func write(_ value: JSON, style: JSONStreamWriter.Style) -> [UInt8] {
        var output = JSONStreamWriter(style: style)
        write(value, to: &output)
        return output.finish()
    }

    private static func write(_ value: JSON, to output: inout JSONStreamWriter) {
        switch value {
        case .null: output.null()
        case .bool(let flag): output.bool(flag)
        case .int(let number): output.int(number)
        case .string(let text): output.string(text)
        case .array(let items):
            output.beginArray()
            for item in items {
                output.element()
                write(item, to: &output)
            }
            output.endArray()
        case .object(let members):
            output.beginObject()
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                output.key(key)
                write(members[key]!, to: &output)
            }
            output.endObject()
        }
    }
}
