import Foundation

/// A UTC instant written `YYYY-MM-DDTHH:MM:SSZ`, the one form the state accepts, so a
/// state read and written again is byte for byte the same.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// Accepts exactly the canonical form; anything else is nil.
    public init?(_ text: String) {
        guard text.utf8.count == 20 else { return nil }
        // Digits where digits belong, separators where they belong; numbers as we go.
        var fields = SIMD8<Int32>()
        var field = 0
        var position = 0
        for byte in text.utf8 {
            switch position {
            case 4, 7: if byte != UInt8(ascii: "-") { return nil } else { field += 1 }
            case 10: if byte != UInt8(ascii: "T") { return nil } else { field += 1 }
            case 13, 16: if byte != UInt8(ascii: ":") { return nil } else { field += 1 }
            case 19: if byte != UInt8(ascii: "Z") { return nil }
            default:
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                fields[field] = fields[field] * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            position += 1
        }
        let (year, month, day) = (Int(fields[0]), Int(fields[1]), Int(fields[2]))
        guard (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day), fields[3] < 24,
            fields[4] < 60, fields[5] < 60
        else { return nil }
        self.text = text
    }

    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        text = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))Z"
    }

    /// Days in a month of the proleptic Gregorian calendar, so 2026-02-30 is not a time.
    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { text }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.text < rhs.text }
}
