/// A set of scopes: VCC's own as a bit mask (comparing and subtracting scope sets is the
/// planner's inner loop, so for them it costs an instruction), declared ones in a sorted
/// array that is empty, and allocates nothing, unless the manifests declare scopes.
/// Iteration is always in identifier order.
public struct ScopeSet: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    private var bits: UInt16
    /// Declared scopes, sorted by identifier, each once.
    private var declared: [Scope]

    public init() {
        bits = 0
        declared = []
    }

    public init<S: Sequence>(_ scopes: S) where S.Element == Scope {
        self.init()
        for scope in scopes { insert(scope) }
    }

    public init(arrayLiteral elements: Scope...) { self.init(elements) }

    private init(bits: UInt16, declared: [Scope]) {
        self.bits = bits
        self.declared = declared
    }

    /// Every one of VCC's own scopes.
    public static let allBuiltIn = ScopeSet(Scope.builtIn)

    public var isEmpty: Bool { bits == 0 && declared.isEmpty }
    public var count: Int { bits.nonzeroBitCount + declared.count }

    private static func bit(_ index: Int) -> UInt16 { 1 << UInt16(index) }

    public func contains(_ scope: Scope) -> Bool {
        if let index = scope.builtInIndex { return bits & Self.bit(index) != 0 }
        return declared.contains(scope)
    }

    public func isSubset(of other: ScopeSet) -> Bool {
        bits & ~other.bits == 0 && declared.allSatisfy(other.declared.contains)
    }

    public func subtracting(_ other: ScopeSet) -> ScopeSet {
        ScopeSet(
            bits: bits & ~other.bits,
            declared: other.declared.isEmpty ? declared : declared.filter { !other.declared.contains($0) })
    }

    public func union(_ other: ScopeSet) -> ScopeSet {
        var result = ScopeSet(bits: bits | other.bits, declared: declared)
        for scope in other.declared { result.insert(scope) }
        return result
    }

    /// The scopes for which `isIncluded` holds.
    public func filter(_ isIncluded: (Scope) -> Bool) -> ScopeSet {
        var result = ScopeSet()
        for scope in self where isIncluded(scope) { result.insert(scope) }
        return result
    }

    @discardableResult
    public mutating func insert(_ scope: Scope) -> Bool {
        if let index = scope.builtInIndex {
            let absent = bits & Self.bit(index) == 0
            bits |= Self.bit(index)
            return absent
        }
        let position = declared.firstIndex { !($0 < scope) } ?? declared.endIndex
        if position < declared.endIndex && declared[position] == scope {
            // A declaration replaces a name read before it.
            if declared[position].declaration == nil { declared[position] = scope }
            return false
        }
        declared.insert(scope, at: position)
        return true
    }

    /// The scopes that are not VCC's own, without building the whole sequence.
    public var declaredOnly: [Scope] { declared }

    /// Declared scopes not yet resolved, for ``resolved(with:)``.
    public var unresolved: [Scope] { declared.filter { $0.declaration == nil } }

    /// Each declared scope with its declaration from `declarations` (by identifier);
    /// those without one stay unresolved.
    public func resolved(with declarations: [String: ScopeDeclaration]) -> ScopeSet {
        guard !declared.isEmpty else { return self }
        return ScopeSet(
            bits: bits,
            declared: declared.map { scope in
                declarations[scope.rawValue].map(Scope.init(declared:)) ?? scope
            })
    }

    public func makeIterator() -> IndexingIterator<[Scope]> {
        var scopes = Scope.builtIn.filter { bits & Self.bit($0.builtInIndex!) != 0 }
        if !declared.isEmpty { scopes = (scopes + declared).sorted() }
        return scopes.makeIterator()
    }

    /// Identifiers in order, as written in files.
    public var identifiers: [String] { map(\.rawValue) }

    public var description: String { "[" + identifiers.joined(separator: ", ") + "]" }
}
