/// Whether one of the run's actors may make a change, and if so who will; if not, why
/// and who could.
public enum Decision: Sendable, Hashable {
    /// `by` is the actor that makes the change: the owner for its own credentials and
    /// itself, else the first listed actor the rules permit.
    case permitted(by: String)
    /// `appliableBy` is empty when nobody could apply the change as the manifests stand;
    /// `alsoRefused` then says why not, for those who otherwise could (``Policy/Appliability``).
    case refused(rule: RuleID, reason: String, appliableBy: [String], alsoRefused: [RefusedCandidate] = [])

    public var isPermitted: Bool {
        if case .permitted = self { return true }
        return false
    }

    /// The actor that makes a permitted change; nil for a refused one.
    public var actor: String? {
        if case .permitted(let by) = self { return by }
        return nil
    }
}

/// Someone who could otherwise have made a refused change (its owner, or an admin) and
/// the rule that refuses them too: "nobody can apply this" is then not a dead end.
public struct RefusedCandidate: Sendable, Hashable {
    public var user: String
    public var rule: RuleID
    public var reason: String

    public init(user: String, rule: RuleID, reason: String) {
        self.user = user
        self.rule = rule
        self.reason = reason
    }
}
