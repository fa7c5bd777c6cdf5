/// What a change does: a closed set. Why it is refused is carried separately and is for
/// display only; nothing decides on a reason's text.
public enum Action: String, CaseIterable, Sendable, Hashable {
    case create
    case update
    case delete

    /// `+`, `~` or `-`, as plans show it (and `diff` colours it).
    public var symbol: String {
        switch self {
        case .create: return "+"
        case .update: return "~"
        case .delete: return "-"
        }
    }
}
