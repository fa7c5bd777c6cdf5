extension Timestamp {
    /// An RFC 3339 date-time (`2026-12-04T10:00:00Z`, `2026-12-04T11:00:00.5+01:00`),
    /// to the second (a fraction is dropped): what `VCC_CREDS_NOW` and `expires` take.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return nil }
        var position = 19
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            let digits = position
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                position += 1
            }
            guard position > digits else { return nil }
        }
        var offset: Int64 = 0
        let zone = bytes[position...]
        if zone.elementsEqual([UInt8(ascii: "Z")]) || zone.elementsEqual([UInt8(ascii: "z")]) {
            offset = 0
        } else {
            guard zone.count == 6, let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                let hours = Int64(String(decoding: zone.dropFirst().prefix(2), as: UTF8.self)),
                zone[zone.startIndex + 3] == UInt8(ascii: ":"),
                let minutes = Int64(String(decoding: zone.suffix(2), as: UTF8.self)),
                zone.dropFirst().prefix(2).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                zone.suffix(2).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                hours < 24, minutes < 60
            else { return nil }
            offset = (sign == UInt8(ascii: "+") ? 1 : -1) * (hours * 3_600 + minutes * 60)
        }
        var head = Array(bytes[0..<19])
        head[10] = UInt8(ascii: "T")
        guard let local = Timestamp(String(decoding: head, as: UTF8.self) + "Z") else { return nil }
        // The offset may carry it past the years the canonical form can write.
        let seconds = local.seconds - offset
        guard Self.representable.contains(seconds) else { return nil }
        self.init(seconds: seconds)
    }

    /// 0000-01-01T00:00:00Z through 9999-12-31T23:59:59Z: what the canonical form writes.
    public static let representable: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// A calendar date (`2027-03-31`), as the start of that day in UTC; or an RFC 3339
    /// date-time. What `expires:` takes.
    public init?(dateOrTime text: String) {
        if text.utf8.count == 10, let midnight = Timestamp(text + "T00:00:00Z") {
            self = midnight
        } else if let time = Timestamp(rfc3339: text) {
            self = time
        } else {
            return nil
        }
    }
}
