/// Bounds that keep a hostile file from exhausting memory or the stack.
public struct YAMLLimits: Sendable {
    /// Deepest nesting of sequences and mappings accepted.
    public var maxDepth: Int
    /// Largest input accepted, in bytes.
    public var maxBytes: Int

    public init(maxDepth: Int = 64, maxBytes: Int = 16 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    public static let standard = YAMLLimits()
}
