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

    /// The problem of a node that is not of the kind `expected` names.
    private mutating func wrongKind(_ node: YAMLNode, _ what: String, expected: String, found: String? = nil) {
        error(SchemaRules.wrongKind(what, expected: expected, found: found ?? node.kindDescription), at: node.mark)
    }

    /// A mapping's pairs, after reporting unknown keys (with did-you-mean) and missing
    /// required keys.
    mutating func mapping(_ node: YAMLNode, _ object: ManifestSchema.Object, what: String) -> YAMLFields? {
        guard case .mapping(let pairs) = node.content else {
            wrongKind(node, what, expected: "a mapping")
            return nil
        }
        for problem in SchemaRules.keyProblems(
            pairs, key: \.key, in: what, keys: object.keys, required: object.requiredKeys)
        {
            error(problem.message, at: problem.member.map { pairs[$0].keyMark } ?? node.mark)
        }
        return YAMLFields(pairs: pairs)
    }

    /// A string scalar; plain null (`~`, `null`, nothing) is not a string.
    mutating func string(_ node: YAMLNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, !scalar.isNull else {
            wrongKind(node, what, expected: "a string")
            return nil
        }
        return scalar.value
    }

    /// `true` or `false`, written plain. `yes`, `on` and friends are errors.
    mutating func bool(_ node: YAMLNode?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, let flag = scalar.bool else {
            wrongKind(node, what, expected: "true or false", found: shown(node, asPlain: { $0.bool != nil }))
            return nil
        }
        return flag
    }

    /// A decimal integer, at least `minimum`.
    mutating func int(_ node: YAMLNode?, _ what: String, minimum: Int) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node.content, let number = scalar.int else {
            wrongKind(node, what, expected: "a decimal integer", found: shown(node, asPlain: { $0.int != nil }))
            return nil
        }
        do {
            try SchemaRules.bounded(number, what, minimum: minimum)
            return number
        } catch {
            self.error(error.message, at: node.mark)
            return nil
        }
    }

    mutating func list(_ node: YAMLNode?, _ what: String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard case .sequence(let items) = node.content else {
            wrongKind(node, what, expected: "a list")
            return nil
        }
        return items
    }

    /// A string that must be one of an enum's raw values, with did-you-mean.
    mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ node: YAMLNode?, _ what: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let node, let text = string(node, what) else { return nil }
        do {
            return try SchemaRules.enumeration(text, what, as: type)
        } catch {
            self.error(error.message, at: node.mark)
            return nil
        }
    }

    /// How a rejected value is quoted back: its text, noting quotes when they are the
    /// only thing wrong (`"true"` is a string, not a boolean).
    private func shown(_ node: YAMLNode, asPlain isValid: (YAMLScalar) -> Bool) -> String {
        guard case .scalar(let scalar) = node.content, !scalar.isNull else { return node.kindDescription }
        if scalar.style != .plain && isValid(YAMLScalar(scalar.value)) {
            return "the quoted string \(Quoted.of(scalar.value)) (remove the quotes)"
        }
        return Quoted.of(scalar.value)
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

extension YAMLInput {
    /// A mapping's pairs after the key checks, for a schema not in ``ManifestSchema``.
    mutating func pairs(_ node: YAMLNode, what: String, keys: [String], required: [String]) -> YAMLFields? {
        guard case .mapping(let pairs) = node.content else {
            error(SchemaRules.wrongKind(what, expected: "a mapping", found: node.kindDescription), at: node.mark)
            return nil
        }
        for problem in SchemaRules.keyProblems(pairs, key: \.key, in: what, keys: keys, required: required) {
            error(problem.message, at: problem.member.map { pairs[$0].keyMark } ?? node.mark)
        }
        return YAMLFields(pairs: pairs)
    }
}
