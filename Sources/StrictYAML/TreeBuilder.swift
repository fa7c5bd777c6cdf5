import CYAML
import SourceText

/// Turns libyaml events into nodes, one pass, with an explicit stack (no recursion, so
/// depth is bounded by the limit rather than by the thread's stack).
struct TreeBuilder {
    /// An open sequence or mapping. Frames are mutated in place on the stack (never
    /// popped and pushed back), so appending stays amortised O(1) for long lists.
    ///
    /// Mapping keys are checked for duplicates by a linear scan while the mapping is
    /// small and through an index once it grows, so a hostile huge mapping stays linear.
    private struct Frame {
        let isMapping: Bool
        let mark: Mark
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: (String, Mark)?
        var keyIndex: [String: Mark]?

        static let indexThreshold = 16

        func firstMark(ofKey key: String) -> Mark? {
            if let keyIndex { return keyIndex[key] }
            for pair in pairs where pair.key == key { return pair.keyMark }
            return nil
        }

        mutating func append(_ pair: YAMLPair) {
            pairs.append(pair)
            if keyIndex != nil {
                keyIndex![pair.key] = pair.keyMark
            } else if pairs.count > Self.indexThreshold {
                keyIndex = Dictionary(pairs.map { ($0.key, $0.keyMark) }, uniquingKeysWith: { first, _ in first })
            }
        }

        var node: YAMLNode {
            YAMLNode(isMapping ? .mapping(pairs) : .sequence(items), at: mark)
        }
    }

    private let limits: YAMLLimits
    private var stack: [Frame] = []
    private var documentMark = Mark(line: 1, column: 1)
    private var root: YAMLNode?
    private(set) var documents: [YAMLDocument] = []

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func consume(_ event: yaml_event_t) throws(SyntaxError) {
        let mark = Mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentMark = mark
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root {
                documents.append(YAMLDocument(root: root, mark: documentMark))
            }
            root = nil
        case YAML_ALIAS_EVENT:
            throw SyntaxError("aliases (*name) are not allowed; write the value out", at: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            try reject(anchor: data.anchor, tag: data.tag, at: mark)
            let value = String(
                decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
            let scalar = YAMLScalar(value, style: Self.style(data.style))
            try add(YAMLNode(.scalar(scalar), at: mark), scalar: scalar)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try reject(anchor: data.anchor, tag: data.tag, at: mark)
            try push(Frame(isMapping: false, mark: mark), at: mark)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try reject(anchor: data.anchor, tag: data.tag, at: mark)
            try push(Frame(isMapping: true, mark: mark), at: mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            try add(frame.node, scalar: nil)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame, at mark: Mark) throws(SyntaxError) {
        guard stack.count < limits.maxDepth else {
            throw SyntaxError("nesting is deeper than \(limits.maxDepth) levels", at: mark)
        }
        stack.append(frame)
    }

    private mutating func add(_ node: YAMLNode, scalar: YAMLScalar?) throws(SyntaxError) {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        if let (key, keyMark) = stack[top].pendingKey {
            stack[top].pendingKey = nil
            stack[top].append(YAMLPair(key: key, keyMark: keyMark, value: node))
            return
        }
        guard let scalar else {
            throw SyntaxError("mapping keys must be scalars, not \(node.kindDescription)", at: node.mark)
        }
        if scalar.style == .plain && scalar.value == "<<" {
            throw SyntaxError("merge keys (<<) are not allowed; write the keys out", at: node.mark)
        }
        if let first = stack[top].firstMark(ofKey: scalar.value) {
            let key =
                scalar.value.utf8.count > 60 ? String(scalar.value.unicodeScalars.prefix(60)) + "…" : scalar.value
            throw SyntaxError("duplicate key '\(key)' (first at \(first))", at: node.mark)
        }
        stack[top].pendingKey = (scalar.value, node.mark)
    }

    private func reject(
        anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, at mark: Mark
    ) throws(SyntaxError) {
        if let anchor {
            let name = String(cString: anchor)
            throw SyntaxError("anchors (&\(name)) are not allowed", at: mark)
        }
        if let tag {
            let name = String(cString: tag)
            throw SyntaxError("tags (\(name)) are not allowed", at: mark)
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
