/// An API credential scope, by its VCC identifier. Cases are in identifier order, the
/// order scopes are written in the state and in plans.
public enum Scope: String, CaseIterable, Sendable, Hashable, Comparable {
    case adminRead = "admin:read"
    case adminWrite = "admin:write"
    case agentsAvailabilityRead = "agents-availability:read"
    case globalpci = "globalpci"
    case interactionContentDelete = "interaction-content:delete"
    case interactionContentRead = "interaction-content:read"
    case interactionsWrite = "interactions:write"
    case stats = "stats"
    case usersRead = "users:read"
    case usersWrite = "users:write"

    /// The label VCC shows in its Scopes list.
    public var label: String {
        switch self {
        case .adminRead: return "Read account administration (webhook subscriptions)"
        case .adminWrite: return "Manage account administration (webhook subscriptions)"
        case .agentsAvailabilityRead: return "View agent availability"
        case .usersRead: return "Read VCC user details, settings, and presences"
        case .usersWrite: return "Update VCC user details, settings, and presences"
        case .interactionContentRead: return "Read or download interaction content"
        case .interactionContentDelete: return "Delete interaction content"
        case .stats: return "View Insights stats"
        case .interactionsWrite: return "Create and update active interactions"
        case .globalpci: return "Create secure payment sessions"
        }
    }

    var bit: UInt16 {
        switch self {
        case .agentsAvailabilityRead: return 1 << 0
        case .globalpci: return 1 << 1
        case .interactionContentDelete: return 1 << 2
        case .interactionContentRead: return 1 << 3
        case .interactionsWrite: return 1 << 4
        case .stats: return 1 << 5
        case .usersRead: return 1 << 6
        case .usersWrite: return 1 << 7
        case .adminRead: return 1 << 8
        case .adminWrite: return 1 << 9
        }
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
