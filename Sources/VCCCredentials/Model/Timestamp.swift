import Foundation

/// A UTC instant to the second, written `YYYY-MM-DDTHH:MM:SSZ`: the one form the state
/// accepts, so a state read and written again is byte for byte the same. Held as
/// seconds since 1970 (a state has three per credential; no text is kept).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64

    /// Accepts exactly the canonical form, for years 0000 to 9999; anything else is nil.
    /// Read from the UTF-8 bytes without allocating, like ``Identifiers/isLowercaseUUID(_:)``:
    /// a state holds three per credential (bench/RESULTS.md, "What moved the numbers").
    public init?(_ text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes -> Int64? in
            guard bytes.count == 20 else { return nil }
            func number(_ start: Int, _ length: Int) -> Int? {
                var value = 0
                for position in start..<(start + length) {
                    let byte = bytes[position]
                    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2),
                (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day), hour < 24,
                minute < 60, second < 60
            else { return nil }
            return Int64(Self.daysSinceEpoch(year: year, month: month, day: day)) * 86_400
                + Int64(hour * 3_600 + minute * 60 + second)
        }
        guard let parsed else { return nil }
        seconds = parsed
    }

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public init(_ date: Date) {
        seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The canonical text, `YYYY-MM-DDTHH:MM:SSZ`.
    public var text: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical text's 20 bytes, for writers of large files.
    func append(to bytes: inout [UInt8]) {
        let days = Int(seconds.floorDivided(by: 86_400))
        let within = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        func put(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        put(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        put(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        put(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        put(within / 3_600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(within / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(within % 60, width: 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Days in a month of the proleptic Gregorian calendar, so 2026-02-30 is not a time.
    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        case 1, 3, 5, 7, 8, 10, 12: return 31
        default: return 0  // not a month
        }
    }

    /// Days from 1970-01-01 to a civil date (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var description: String { text }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
