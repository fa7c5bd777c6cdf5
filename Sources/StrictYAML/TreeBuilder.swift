import CYAML
import SourceText

/// Turns libyaml events into nodes, one pass, with an explicit stack (no recursion, so
/// depth is bounded by the limit rather than by the thread's stack).
struct TreeBuilder {
    private enum Frame {
        case sequence(items: [YAMLNode], mark: Mark)
        case mapping(MappingFrame)
    }

    /// An open mapping. Keys are checked for duplicates by a linear scan while the mapping
    /// is small and through an index once it grows, so a hostile file with a huge mapping
    /// stays linear.
    private struct MappingFrame {
        var pairs: [YAMLPair] = []
        var pendingKey: (String, Mark)?
        var keyIndex: [String: Mark]?
        let mark: Mark

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
    }

    private let limits: YAMLLimits
    private var stack: [Frame] = []
    private var documentMark = Mark(line: 1, column: 1)
    private var root: YAMLNode?
    private(set) var documents: [YAMLDocument] = []

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func consume(_ event: yaml_event_t) throws(YAMLError) {
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
            throw YAMLError("aliases (*name) are not allowed; write the value out", at: mark)
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
            try push(.sequence(items: [], mark: mark), at: mark)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try reject(anchor: data.anchor, tag: data.tag, at: mark)
            try push(.mapping(MappingFrame(mark: mark)), at: mark)
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items, let start) = stack.popLast() else { return }
            try add(YAMLNode(.sequence(items), at: start), scalar: nil)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let frame) = stack.popLast() else { return }
            try add(YAMLNode(.mapping(frame.pairs), at: frame.mark), scalar: nil)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame, at mark: Mark) throws(YAMLError) {
        guard stack.count < limits.maxDepth else {
            throw YAMLError("nesting is deeper than \(limits.maxDepth) levels", at: mark)
        }
        stack.append(frame)
    }

    private mutating func add(_ node: YAMLNode, scalar: YAMLScalar?) throws(YAMLError) {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var items, let mark):
            items.append(node)
            stack.append(.sequence(items: items, mark: mark))
        case .mapping(var frame):
            if let (key, keyMark) = frame.pendingKey {
                frame.pendingKey = nil
                frame.append(YAMLPair(key: key, keyMark: keyMark, value: node))
                stack.append(.mapping(frame))
                return
            }
            guard let scalar else {
                throw YAMLError("mapping keys must be scalars, not \(node.kindDescription)", at: node.mark)
            }
            if scalar.style == .plain && scalar.value == "<<" {
                throw YAMLError("merge keys (<<) are not allowed; write the keys out", at: node.mark)
            }
            if let first = frame.firstMark(ofKey: scalar.value) {
                throw YAMLError("duplicate key '\(scalar.value)' (first at \(first))", at: node.mark)
            }
            frame.pendingKey = (scalar.value, node.mark)
            stack.append(.mapping(frame))
        }
    }

    private func reject(
        anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, at mark: Mark
    ) throws(YAMLError) {
        if let anchor {
            let name = String(cString: anchor)
            throw YAMLError("anchors (&\(name)) are not allowed", at: mark)
        }
        if let tag {
            let name = String(cString: tag)
            throw YAMLError("tags (\(name)) are not allowed", at: mark)
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
