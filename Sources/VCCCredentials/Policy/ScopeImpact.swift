/// What a credential change unlocks and locks: the APIs gained and lost between its
/// scopes before and after, and the sensitive scopes it grants. For display: no
/// decision is made on it (guardrails decide on scopes, in `Policy/Rules`).
public struct ScopeImpact: Sendable, Hashable {
    public var gained: [String]
    public var lost: [String]
    /// Granted scopes that are sensitive (``Settings/sensitive``), by identifier.
    public var sensitive: [String]

    public init(gained: [String], lost: [String], sensitive: [String]) {
        self.gained = gained
        self.lost = lost
        self.sensitive = sensitive
    }

    /// For a create or an update that changes scopes; nil for anything else.
    init?(action: Action, before: ScopeSet?, after: ScopeSet?, sensitive: ScopeSet) {
        guard action != .delete, let after, after != before else { return nil }
        let old = Set(ScopeCatalogue.apis(of: before ?? []))
        let new = Set(ScopeCatalogue.apis(of: after))
        self.init(
            gained: new.subtracting(old).sorted(), lost: old.subtracting(new).sorted(),
            sensitive: after.subtracting(before ?? []).filter(sensitive.contains).map(\.rawValue))
    }
}
