/// Whether the acting user may make a change, and if not, why and who could.
public enum Decision: Sendable, Hashable {
    case permitted
    /// `appliableBy` is empty when nobody could apply the change as the manifests stand.
    case refused(rule: RuleID, reason: String, appliableBy: [String])

    public var isPermitted: Bool {
        if case .permitted = self { return true }
        return false
    }
}
