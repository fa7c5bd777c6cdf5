/// A set of scopes as a bit mask: comparing and subtracting scope sets is the planner's
/// inner loop, so it costs one instruction, and iteration is always in identifier order.
public struct ScopeSet: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    public private(set) var bits: UInt16

    public init() { bits = 0 }

    public init<S: Sequence>(_ scopes: S) where S.Element == Scope {
        bits = 0
        for scope in scopes { bits |= scope.bit }
    }

    public init(arrayLiteral elements: Scope...) { self.init(elements) }

    public static let all = ScopeSet(Scope.allCases)

    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }

    public func contains(_ scope: Scope) -> Bool { bits & scope.bit != 0 }
    public func isSubset(of other: ScopeSet) -> Bool { bits & ~other.bits == 0 }
    public func subtracting(_ other: ScopeSet) -> ScopeSet { ScopeSet(bits: bits & ~other.bits) }
    public func union(_ other: ScopeSet) -> ScopeSet { ScopeSet(bits: bits | other.bits) }

    @discardableResult
    public mutating func insert(_ scope: Scope) -> Bool {
        let absent = !contains(scope)
        bits |= scope.bit
        return absent
    }

    private init(bits: UInt16) { self.bits = bits }

    public func makeIterator() -> IndexingIterator<[Scope]> {
        Scope.allCases.filter(contains).makeIterator()
    }

    /// Identifiers in order, as written in files.
    public var identifiers: [String] { map(\.rawValue) }

    public var description: String { "[" + identifiers.joined(separator: ", ") + "]" }
}
