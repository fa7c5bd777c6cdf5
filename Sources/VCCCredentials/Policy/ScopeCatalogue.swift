/// What each scope unlocks, from VCC's API documentation: the one place a reviewer's
/// question "what does this scope give?" is answered. Plans list the APIs a change
/// gains and loses from it; `vcc-creds scopes` prints it.
public enum ScopeCatalogue {
    /// One scope: its identifier, the portal's label, the API access it gives, and
    /// whether granting it is sensitive unless the manifests say otherwise.
    public struct Entry: Sendable, Hashable {
        public var scope: Scope
        public var label: String { scope.label }
        /// "Payment API (secure payment sessions)": an API and the access to it.
        public var apis: [String]
        public var sensitiveByDefault: Bool
    }

    /// The scopes whose grant a plan marks as sensitive when `settings.sensitiveScopes`
    /// does not say: payment, deleting recordings, changing users, acting on live
    /// interactions, sending the account's events elsewhere (webhooks).
    public static let defaultSensitive: ScopeSet = [
        .adminWrite, .globalpci, .interactionContentDelete, .usersWrite, .interactionsWrite,
    ]

    public static func entry(_ scope: Scope) -> Entry {
        Entry(scope: scope, apis: apis(scope), sensitiveByDefault: defaultSensitive.contains(scope))
    }

    /// Every scope, in identifier order.
    public static var all: [Entry] { Scope.allCases.map(entry) }

    /// The API access a set of scopes gives, each once, sorted.
    public static func apis(of scopes: ScopeSet) -> [String] {
        Array(Set(scopes.flatMap(apis))).sorted()
    }

    private static func apis(_ scope: Scope) -> [String] {
        switch scope {
        case .adminRead: return ["Webhooks API (read subscriptions)"]
        case .adminWrite: return ["Webhooks API (create, change and delete subscriptions)"]
        case .agentsAvailabilityRead: return ["Agent Availability API (read)"]
        case .usersRead: return ["Agents API (read)", "User Admin API (read)"]
        case .usersWrite: return ["Agents API (write)", "User Admin API (write)"]
        case .interactionContentRead:
            return [
                "Content Export API (read and export)", "Conversation Analyzer API (read and export)",
                "Interaction Content API (read and export)",
            ]
        case .interactionContentDelete: return ["Interaction Content API (delete)"]
        case .stats: return ["Insights Stats API (read)"]
        case .interactionsWrite: return ["Interactions API (write)"]
        case .globalpci: return ["Payment API (secure payment sessions)"]
        }
    }
}
