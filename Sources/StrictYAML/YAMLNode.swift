/// One node of a parsed YAML document: a scalar, a sequence or a mapping, with its mark.
///
/// Scalars stay untyped text; the schema that reads a node decides what a scalar means,
/// so `yes` is never silently a boolean.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var mark: Mark

    public init(_ content: Content, at mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// A short noun for error messages ("a mapping", "a string", ...).
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar): return scalar.isNull ? "nothing (null)" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A key and its value in a mapping. Keys are always scalars: the parser rejects others.
public struct YAMLPair: Sendable {
    public var key: String
    public var keyMark: Mark
    public var value: YAMLNode

    public init(key: String, keyMark: Mark, value: YAMLNode) {
        self.key = key
        self.keyMark = keyMark
        self.value = value
    }
}
