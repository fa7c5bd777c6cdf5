/// A VCC user licence. What each licence may do with API credentials is decided in
/// `Policy/`, not here.
public enum License: String, CaseIterable, Sendable, Hashable, Comparable {
    case admin
    case supervisor
    case agent
    case wallboard

    /// Position on the scale of API capability: admin above supervisor above the rest.
    /// A licence change down this scale is applied after credential changes, one up before.
    public var rank: Int {
        switch self {
        case .admin: return 2
        case .supervisor: return 1
        case .agent, .wallboard: return 0
        }
    }

    /// "an admin", "a supervisor", "an agent", "a wallboard": for reasons.
    public var withArticle: String {
        switch self {
        case .admin, .agent: return "an \(rawValue)"
        case .supervisor, .wallboard: return "a \(rawValue)"
        }
    }

    public static func < (lhs: License, rhs: License) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
