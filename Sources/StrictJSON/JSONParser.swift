import SourceText

/// A strict RFC 8259 parser: no comments, no trailing commas, no duplicate keys, no
/// byte order mark, valid UTF-8 only, nesting bounded. Files it reads are written by
/// machines, so anything unusual is a sign of damage, not of style.
public enum JSONParser {
    public static let defaultMaxDepth = 64
    public static let defaultMaxBytes = 512 * 1024 * 1024

    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, maxBytes: Int = defaultMaxBytes
    ) throws(SyntaxError) -> JSONDocument {
        let result: Result<JSONValue, SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONLexer(bytes: buffer, maxDepth: maxDepth)
            do throws(SyntaxError) {
                try reader.checkEncoding(maxBytes: maxBytes)
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return JSONDocument(root: try result.get(), bytes: bytes)
    }
}
