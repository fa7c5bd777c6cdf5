import SourceText

/// A parsed JSON value that remembers the byte offset it started at, so a schema error
/// deep in a state file can still name its line and column.
public struct JSONValue: Sendable {
    public enum Content: Sendable {
        case null
        case bool(Bool)
        /// The number's text as written; the schema that reads it decides its type.
        case number(String)
        case string(String)
        case array([JSONValue])
        case object([JSONMember])
    }

    public var content: Content
    public var offset: Int

    public init(_ content: Content, offset: Int) {
        self.content = content
        self.offset = offset
    }

    public var kind: JSONCursor.Kind {
        switch content {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// A short noun for error messages.
    public var kindDescription: String { kind.description }

    /// The value as a non-negative or negative integer without fraction or exponent.
    public var int: Int? {
        guard case .number(let text) = content else { return nil }
        return Int(text)
    }
}

/// One member of a JSON object, in source order.
public struct JSONMember: Sendable {
    public var key: String
    public var keyOffset: Int
    public var value: JSONValue

    public init(key: String, keyOffset: Int, value: JSONValue) {
        self.key = key
        self.keyOffset = keyOffset
        self.value = value
    }
}

/// A parsed JSON text together with its bytes, to turn offsets into marks on demand.
public struct JSONDocument: Sendable {
    public var root: JSONValue
    public let bytes: [UInt8]

    public func mark(ofOffset offset: Int) -> Mark {
        bytes.withUnsafeBufferPointer { TextScan.mark(ofOffset: offset, in: $0) }
    }
}
