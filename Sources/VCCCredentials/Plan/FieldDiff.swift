/// One field's change.
public struct FieldDiff: Sendable, Hashable {
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case text(String)
        case list([String])

        public var description: String {
            switch self {
            case .text(let text): return "\"\(text)\""
            case .list(let items): return "[" + items.joined(separator: ", ") + "]"
            }
        }
    }

    public var field: String
    public var from: Value?
    public var to: Value?

    public init(field: String, from: Value?, to: Value?) {
        self.field = field
        self.from = from
        self.to = to
    }

    /// The diff of a field, or nil when it does not change.
    static func between(_ field: String, _ from: Value?, _ to: Value?) -> FieldDiff? {
        from == to ? nil : FieldDiff(field: field, from: from, to: to)
    }
}
