/// The organisation's own rules, stricter than the licence rules (`policy:` in the
/// manifests). They only ever refuse: a change they all pass is still decided by the
/// seed's rules, and nothing they say permits what those refuse. Each remembers where
/// it is declared, so a refusal can cite it.
public struct Guardrails: Sendable, Hashable {
    /// A scope no credential may be granted, except by the users listed.
    public struct ForbiddenScope: Sendable, Hashable {
        public var scope: Scope
        public var except: [String]
        public var location: SourceLocation

        public init(scope: Scope, except: [String] = [], location: SourceLocation) {
            self.scope = scope
            self.except = except
            self.location = location
        }
    }

    public struct Limit: Sendable, Hashable {
        public var value: Int
        public var location: SourceLocation
    }

    public struct Flag: Sendable, Hashable {
        public var location: SourceLocation
    }

    public struct NamePattern: Sendable, Hashable {
        /// The regular expression, as written; a name must match it whole.
        public var pattern: String
        public var location: SourceLocation
    }

    public var forbidScopes: [ForbiddenScope] = []
    public var maxCredentialsPerUser: Limit?
    public var requireDescription: Flag?
    public var namePattern: NamePattern?

    public init() {}

    public var isEmpty: Bool {
        forbidScopes.isEmpty && maxCredentialsPerUser == nil && requireDescription == nil && namePattern == nil
    }

    /// A matcher for the pattern, compiled once for a whole plan: whether a name matches
    /// it whole (always true without a pattern). The load refused a pattern that does
    /// not compile, so none reaches here.
    func nameMatcher() -> (String) -> Bool {
        guard let namePattern, let automaton = try? NameAutomaton(namePattern.pattern) else { return { _ in true } }
        return { name in automaton.matches(name) }
    }

    /// Why a pattern cannot be a name pattern (``NameAutomaton``); nil when it can.
    static func patternProblem(_ pattern: String) -> String? {
        do {
            _ = try NameAutomaton(pattern)
            return nil
        } catch {
            return "policy.namePattern \(Quoted.of(pattern)): \(error.message) (at character \(error.offset + 1))"
        }
    }
}
