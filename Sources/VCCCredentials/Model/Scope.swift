/// An API credential scope, by its VCC identifier: one of VCC's own, or one the
/// manifests declare in `settings.scopes` (a scope VCC added after this release), which
/// carries its declaration. Two scopes are the same scope when their identifiers are.
/// Scopes order by identifier, the order they are written in the state and in plans.
public struct Scope: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// The position in ``ScopeCatalogue/builtIn`` (its bit in a ``ScopeSet``); nil for a
    /// declared scope.
    let builtInIndex: Int?
    private let declared: ScopeDeclaration?

    private init(rawValue: String, builtInIndex: Int?, declared: ScopeDeclaration?) {
        self.rawValue = rawValue
        self.builtInIndex = builtInIndex
        self.declared = declared
    }

    init(builtInAt index: Int) {
        self.init(rawValue: ScopeCatalogue.builtIn[index].id, builtInIndex: index, declared: nil)
    }

    /// One of VCC's own scopes, or nil.
    public init?(builtIn identifier: String) {
        guard let index = ScopeCatalogue.builtInIndex[identifier] else { return nil }
        self.init(builtInAt: index)
    }

    /// A scope the manifests declare (`settings.scopes`).
    public init(declared declaration: ScopeDeclaration) {
        if let index = ScopeCatalogue.builtInIndex[declaration.id] {
            self.init(builtInAt: index)
            return
        }
        self.init(rawValue: declaration.id, builtInIndex: nil, declared: declaration)
    }

    /// A name read before the declarations that say what it is (a manifest may declare a
    /// scope in another file; the state lists its declarations after its credentials):
    /// resolved with ``ScopeSet/resolved(with:)`` before anything uses it.
    init(unresolved identifier: String) {
        if let index = ScopeCatalogue.builtInIndex[identifier] {
            self.init(builtInAt: index)
            return
        }
        self.init(rawValue: identifier, builtInIndex: nil, declared: nil)
    }

    /// What the scope is; nil only for an unresolved name.
    public var declaration: ScopeDeclaration? {
        if let builtInIndex { return ScopeCatalogue.builtIn[builtInIndex] }
        return declared
    }

    public var isBuiltIn: Bool { builtInIndex != nil }

    /// The label VCC shows in its Scopes list.
    public var label: String { declaration?.label ?? rawValue }

    public var description: String { rawValue }

    public static func == (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// VCC's own scopes, in identifier order.
    public static let builtIn: [Scope] = ScopeCatalogue.builtIn.indices.map(Scope.init(builtInAt:))

    public static let adminRead = Scope(builtIn: "admin:read")!
    public static let adminWrite = Scope(builtIn: "admin:write")!
    public static let agentsAvailabilityRead = Scope(builtIn: "agents-availability:read")!
    public static let globalpci = Scope(builtIn: "globalpci")!
    public static let interactionContentDelete = Scope(builtIn: "interaction-content:delete")!
    public static let interactionContentRead = Scope(builtIn: "interaction-content:read")!
    public static let interactionsWrite = Scope(builtIn: "interactions:write")!
    public static let stats = Scope(builtIn: "stats")!
    public static let usersRead = Scope(builtIn: "users:read")!
    public static let usersWrite = Scope(builtIn: "users:write")!
}
