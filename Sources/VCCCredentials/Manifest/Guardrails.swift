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
    /// it whole (always true without a pattern).
    func nameMatcher() -> (String) -> Bool {
        guard let namePattern, let regex = try? Regex(namePattern.pattern) else { return { _ in true } }
        return { name in (try? regex.wholeMatch(in: name)) != nil }
    }

    /// Why a pattern is not a regular expression; nil when it is one.
    static func patternProblem(_ pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "policy.namePattern \(Quoted.of(pattern)) is not a regular expression: \(error)"
        }
    }
}
