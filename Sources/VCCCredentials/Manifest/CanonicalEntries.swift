import Foundation
import StrictJSON

/// Compact canonical JSON for many manifest entries, written straight into one buffer
/// (no tree of dictionaries; an entry's few fields are listed, then written once): the
/// digest covers tens of thousands of them. Hand-written for speed: each entry written
/// once, the entries sorted by their bytes (bench/RESULTS.md, "What moved the numbers").
struct CanonicalEntries {
    /// User entries keep the key order the digest was first written with (`license`
    /// before `id`): changing it would change every digest and make saved plans stale.
    private var writer: JSONStreamWriter
    private var ranges: [Range<Int>] = []

    var bytes: [UInt8] { writer.bytes }

    init(capacity: Int) {
        writer = JSONStreamWriter(style: .compact, capacity: capacity * 96, checksKeyOrder: false)
        ranges.reserveCapacity(capacity)
    }

    /// `fields` must be in key order; `scopes` (if any) is written last, as `"scopes"`
    /// sorts after every other key used.
    mutating func append(_ fields: [(String, String)], scopes: ScopeSet?) {
        let start = writer.bytes.count
        writer.beginObject()
        for (key, value) in fields { writer.field(key, value) }
        if let scopes {
            writer.key("scopes")
            writer.beginArray()
            for scope in scopes {
                writer.element()
                writer.string(scope.rawValue)
            }
            writer.endArray()
        }
        writer.endObject()
        ranges.append(start..<writer.bytes.count)
    }

    /// `[e1,e2,...]` with the entries in byte order.
    func writeSorted(to output: inout JSONStreamWriter) {
        writer.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let sorted = ranges.sorted { left, right in
                let common = min(left.count, right.count)
                let order = memcmp(base + left.lowerBound, base + right.lowerBound, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
            output.beginArray()
            for range in sorted {
                output.element()
                output.encoded(buffer[range])
            }
            output.endArray()
        }
    }
}
