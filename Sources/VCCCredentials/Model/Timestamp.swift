import Foundation

/// A UTC instant written `YYYY-MM-DDTHH:MM:SSZ`, the one form the state accepts, so a
/// state read and written again is byte for byte the same.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// Accepts exactly the canonical form; anything else is nil.
    public init?(_ text: String) {
        var text = text
        let valid = text.withUTF8 { bytes -> Bool in
            guard bytes.count == 20 else { return false }
            func digit(_ position: Int) -> Int? {
                let byte = bytes[position]
                return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
            }
            func number(_ start: Int, _ length: Int) -> Int? {
                var value = 0
                for position in start..<(start + length) {
                    guard let digit = digit(position) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2)
            else { return false }
            return (1...12).contains(month) && (1...Self.days(inMonth: month, of: year)).contains(day) && hour < 24
                && minute < 60 && second < 60
        }
        guard valid else { return nil }
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
