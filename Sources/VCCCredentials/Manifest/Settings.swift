/// Manifest-wide settings.
public struct Settings: Sendable, Hashable {
    public static let defaultMaxDeletes = 10

    /// Delete visible resources the manifests do not name, instead of reporting them.
    public var prune: Bool
    /// A plan deleting more than this refuses every deletion.
    public var maxDeletes: Int
    /// age recipients (`age1...`) who can open the sealed output.
    public var recipients: [String]

    public init(prune: Bool = false, maxDeletes: Int = Settings.defaultMaxDeletes, recipients: [String] = []) {
        self.prune = prune
        self.maxDeletes = maxDeletes
        self.recipients = recipients
    }
}
