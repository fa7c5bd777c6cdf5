import Foundation

/// Where "now" comes from, so timestamps in tests are fixed.
public protocol WallClock: Sendable {
    func now() -> Date
}
