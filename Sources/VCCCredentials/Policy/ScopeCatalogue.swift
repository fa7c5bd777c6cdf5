/// What each scope is, from VCC's API documentation and the product documentation: the
/// one place a reviewer's question "what does this scope give, and who may grant it?" is
/// answered. Plans list the APIs a change gains and loses from it; `vcc-creds scopes`
/// prints it; the licence rules read who may grant each scope from it.
public enum ScopeCatalogue {
    /// VCC's own scopes, in identifier order. "Admin users have all scopes available;
    /// supervisors have only Read or download interaction content and Read VCC user
    /// details, settings, and presences." Sensitive by default: payment, deleting
    /// recordings, changing users, acting on live interactions, and sending the
    /// account's events elsewhere (webhooks).
    public static let builtIn: [ScopeDeclaration] = [
        ScopeDeclaration(
            id: "admin:read", label: "Read account administration (webhook subscriptions)",
            unlocks: ["Webhooks API (read subscriptions)"], licenses: [.admin], sensitive: false),
        ScopeDeclaration(
            id: "admin:write", label: "Manage account administration (webhook subscriptions)",
            unlocks: ["Webhooks API (create, change and delete subscriptions)"], licenses: [.admin], sensitive: true),
        ScopeDeclaration(
            id: "agents-availability:read", label: "View agent availability",
            unlocks: ["Agent Availability API (read)"], licenses: [.admin], sensitive: false),
        ScopeDeclaration(
            id: "globalpci", label: "Create secure payment sessions",
            unlocks: ["Payment API (secure payment sessions)"], licenses: [.admin], sensitive: true),
        ScopeDeclaration(
            id: "interaction-content:delete", label: "Delete interaction content",
            unlocks: ["Interaction Content API (delete)"], licenses: [.admin], sensitive: true),
        ScopeDeclaration(
            id: "interaction-content:read", label: "Read or download interaction content",
            unlocks: [
                "Content Export API (read and export)", "Conversation Analyzer API (read and export)",
                "Interaction Content API (read and export)",
            ], licenses: [.admin, .supervisor], sensitive: false),
        ScopeDeclaration(
            id: "interactions:write", label: "Create and update active interactions",
            unlocks: ["Interactions API (write)"], licenses: [.admin], sensitive: true),
        ScopeDeclaration(
            id: "stats", label: "View Insights stats", unlocks: ["Insights Stats API (read)"], licenses: [.admin],
            sensitive: false),
        ScopeDeclaration(
            id: "users:read", label: "Read VCC user details, settings, and presences",
            unlocks: ["Agents API (read)", "User Admin API (read)"], licenses: [.admin, .supervisor], sensitive: false),
        ScopeDeclaration(
            id: "users:write", label: "Update VCC user details, settings, and presences",
            unlocks: ["Agents API (write)", "User Admin API (write)"], licenses: [.admin], sensitive: true),
    ]

    /// Each built-in scope's position, by identifier.
    static let builtInIndex: [String: Int] = Dictionary(
        uniqueKeysWithValues: builtIn.enumerated().map { ($1.id, $0) })

    /// The built-in scopes whose grant a plan marks as sensitive when
    /// `settings.sensitiveScopes` does not say.
    public static let defaultSensitive = ScopeSet(Scope.builtIn.filter { $0.declaration!.sensitive })

    /// The API access a set of scopes gives, each once, sorted.
    public static func apis(of scopes: ScopeSet) -> [String] {
        Array(Set(scopes.flatMap { $0.declaration?.unlocks ?? [] })).sorted()
    }
}
