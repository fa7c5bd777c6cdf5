/// Whether a manifest entry should exist. `absent` is an explicit deletion, with or without prune.
public enum Ensure: String, CaseIterable, Sendable, Hashable {
    case present
    case absent
}
