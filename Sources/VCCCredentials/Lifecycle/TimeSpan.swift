/// A length of time as manifests and flags write it: whole days (`90d`) or hours
/// (`36h`), nothing else, so `90` or `3m` (minutes? months?) is an error, not a guess.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let zero = TimeSpan(count: 0, unit: .days)
    /// The longest span accepted: a hundred years, so no sum of spans and times overflows.
    static let maxDays: Int64 = 36_500

    public enum Unit: String, Sendable, Hashable {
        case days = "d"
        case hours = "h"

        var seconds: Int64 { self == .days ? 86_400 : 3_600 }
    }

    public let count: Int64
    public let unit: Unit

    public init(count: Int64, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Exactly `N` followed by `d` or `h`: decimal digits without a sign or a leading zero.
    public init?(_ text: String) {
        guard Self.problem(text, "") == nil, let unit = Unit(rawValue: String(text.suffix(1))),
            let count = Int64(text.dropLast())
        else { return nil }
        self.init(count: count, unit: unit)
    }

    /// Why `text` is not a span, for a diagnostic about `what`; nil when it is one.
    public static func problem(_ text: String, _ what: String) -> String? {
        let example = "write it like 90d (days) or 36h (hours)"
        guard let last = text.last, last == "d" || last == "h" else {
            return "\(what) \(Quoted.of(text)) is not a duration: \(example)"
        }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits == "0" || digits.first != "0", let count = Int64(digits)
        else { return "\(what) \(Quoted.of(text)) is not a duration: \(example)" }
        let days = last == "d" ? count : count / 24
        guard days <= maxDays else { return "\(what) \(Quoted.of(text)) is longer than \(maxDays)d" }
        return nil
    }

    public var seconds: Int64 { count * unit.seconds }

    /// As written: `90d`, `36h`.
    public var description: String { "\(count)\(unit.rawValue)" }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}

extension Timestamp {
    /// This time moved on by a span, never past 9999-12-31T23:59:59Z (what the canonical
    /// form can write). The planner refuses a rotation whose overlap would end later, so
    /// no overlap is shortened by this.
    public func adding(_ span: TimeSpan) -> Timestamp {
        Timestamp(seconds: min(seconds + span.seconds, Timestamp.representable.upperBound))
    }

    /// How long after `earlier` this is, in whole days (rounded down; negative before it).
    public func days(since earlier: Timestamp) -> Int64 {
        let difference = seconds - earlier.seconds
        return difference >= 0 ? difference / 86_400 : -((-difference + 86_399) / 86_400)
    }
}
