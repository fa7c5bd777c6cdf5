import StrictYAML

/// Reads YAML nodes against a schema written in code, collecting every problem as a
/// located diagnostic. Scalars get their type here, from the schema, never from YAML's
/// own guessing.
struct YAMLInput {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    func location(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, mark: mark) }

    mutating func error(_ message: String, at mark: Mark) {
        diagnostics.append(.error(message, at: location(mark)))
    }

    /// A mapping's pairs, after reporting unknown keys (with did-you-mean) and missing
    /// required keys.
    mutating func mapping(_ node: YAMLNode, _ object: ManifestSchema.Object, what: String) -> YAMLFields? {
        guard case .mapping(let pairs) = node.content else {
            error("\(what) must be a mapping, not \(node.kindDescription)", at: node.mark)
            return nil
        }
        let keys = object.keys
        for pair in pairs where !keys.contains(pair.key) {
            error("unknown key \(Quoted.of(pair.key)) in \(what)\(Suggestion.hint(for: pair.key, in: keys))", at: pair.keyMark)
        }
        for key in object.requiredKeys where !pairs.contains(where: { $0.key == key }) {
            error("\(what) is missing \(Quoted.of(key))", at: node.mark)
        }
        return YAMLFields(pairs: pairs)
    }

    /// A string scalar; plain null (`~`, `null`, nothing) is not a string.
    mutating func string(_ node: YAMLNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, !scalar.isNull else {
            error("\(what) must be a string, not \(node.kindDescription)", at: node.mark)
            return nil
        }
        return scalar.value
    }

    /// `true` or `false`, written plain. `yes`, `on` and friends are errors.
    mutating func bool(_ node: YAMLNode?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, let flag = scalar.bool else {
            error("\(what) must be true or false, not\(shown(node, asPlain: { $0.bool != nil }))", at: node.mark)
            return nil
        }
        return flag
    }

    /// A decimal integer, at least `minimum`.
    mutating func int(_ node: YAMLNode?, _ what: String, minimum: Int) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, let number = scalar.int else {
            error("\(what) must be a decimal integer, not\(shown(node, asPlain: { $0.int != nil }))", at: node.mark)
            return nil
        }
        guard number >= minimum else {
            error("\(what) must be at least \(minimum), not \(number)", at: node.mark)
            return nil
        }
        return number
    }

    mutating func list(_ node: YAMLNode?, _ what: String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard case .sequence(let items) = node.content else {
            error("\(what) must be a list, not \(node.kindDescription)", at: node.mark)
            return nil
        }
        return items
    }

    /// A string that must be one of an enum's raw values, with did-you-mean.
    mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ node: YAMLNode?, _ what: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let node, let text = string(node, what) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            error(
                "unknown \(what) \(Quoted.of(text))" + Suggestion.hintOrChoices(for: text, in: names),
                at: node.mark)
            return nil
        }
        return value
    }

    /// How a rejected value is quoted back: its text, noting quotes when they are the
    /// only thing wrong (`"true"` is a string, not a boolean).
    private func shown(_ node: YAMLNode, asPlain isValid: (YAMLScalar) -> Bool) -> String {
        guard case .scalar(let scalar) = node.content, !scalar.isNull else { return " \(node.kindDescription)" }
        if scalar.style != .plain && isValid(YAMLScalar(scalar.value)) {
            return " the quoted string \(Quoted.of(scalar.value)) (remove the quotes)"
        }
        return " \(Quoted.of(scalar.value))"
    }
}

/// The pairs of a checked mapping, looked up by key.
struct YAMLFields {
    let pairs: [YAMLPair]

    subscript(key: String) -> YAMLNode? {
        for pair in pairs where pair.key == key { return pair.value }
        return nil
    }

    func keyMark(_ key: String) -> Mark? {
        for pair in pairs where pair.key == key { return pair.keyMark }
        return nil
    }
}
