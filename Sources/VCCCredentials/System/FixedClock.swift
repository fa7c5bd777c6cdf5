import Foundation

/// A clock stopped at one time: what `VCC_CREDS_NOW` makes the live clock, so plans
/// that depend on time (rotation, expiry) are reproducible, and what tests use.
public struct FixedClock: WallClock {
    public var time: Timestamp

    public init(_ time: Timestamp) {
        self.time = time
    }

    public init(_ date: Date) {
        time = Timestamp(date)
    }

    public func now() -> Date { Date(timeIntervalSince1970: TimeInterval(time.seconds)) }
}

/// `VCC_CREDS_NOW`: an RFC 3339 time that replaces the system clock for a run.
public enum ClockOverride {
    public static let variable = "VCC_CREDS_NOW"

    /// The clock the variables ask for: fixed at `VCC_CREDS_NOW` when set, else the
    /// system's (an empty value counts as unset, like every variable of vcc-creds).
    /// Throws when it is set to something that is not a time.
    public static func clock(variables: [String: String]) throws(ClockOverrideError) -> any WallClock {
        guard let text = variables[variable], !text.isEmpty else { return SystemClock() }
        guard let time = Timestamp(rfc3339: text) else { throw ClockOverrideError(value: text) }
        return FixedClock(time)
    }
}

/// `VCC_CREDS_NOW` set to something that is not an RFC 3339 time.
public struct ClockOverrideError: VCCError, CustomStringConvertible {
    public var value: String

    public var diagnostics: [Diagnostic] { [.error(description)] }

    public var description: String {
        "\(ClockOverride.variable)=\(Quoted.of(value)) is not an RFC 3339 date and time like 2026-12-04T09:30:00Z or "
            + "2026-12-04T10:30:00+01:00 (years 0000 to 9999); unset it to use the system clock"
    }
}
