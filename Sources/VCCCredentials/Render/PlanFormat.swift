/// The forms a plan can be shown in.
public enum PlanFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
}
