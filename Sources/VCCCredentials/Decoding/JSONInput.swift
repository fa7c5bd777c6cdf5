import StrictJSON

/// Reads a parsed JSON document against a schema written in code, collecting every
/// problem as a located diagnostic instead of stopping at the first.
///
/// Offsets are turned into lines and columns once, at the end, in a single pass.
struct JSONInput {
    let document: JSONDocument
    let file: String
    private var problems: [(offset: Int, message: String)] = []

    init(document: JSONDocument, file: String) {
        self.document = document
        self.file = file
    }

    var hasProblems: Bool { !problems.isEmpty }

    mutating func error(_ message: String, at offset: Int) {
        problems.append((offset, message))
    }

    /// The problems found, located, sorted.
    func diagnostics() -> [Diagnostic] {
        let marks = document.bytes.withUnsafeBufferPointer { bytes in
            TextScan.marks(ofOffsets: problems.map(\.offset), in: bytes)
        }
        return problems.map { problem in
            Diagnostic.error(problem.message, at: SourceLocation(file: file, mark: marks[problem.offset]))
        }.sorted()
    }

    /// An object's members, after checking it has no unknown keys and all required ones.
    mutating func object(_ value: JSONValue, _ what: String, keys: [String], required: [String]) -> JSONFields? {
        guard case .object(let members) = value.content else {
            error("\(what) must be an object, not \(value.kindDescription)", at: value.offset)
            return nil
        }
        var known = 0
        for member in members {
            if keys.contains(member.key) {
                known += 1
            } else {
                error(
                    "unknown key \(Quoted.of(member.key)) in \(what)\(Suggestion.hint(for: member.key, in: keys))",
                    at: member.keyOffset)
            }
        }
        // Keys are unique (the parser rejects duplicates): all known keys present means
        // all required ones are.
        if known < keys.count {
            for key in required where !members.contains(where: { $0.key == key }) {
                error("\(what) is missing \(Quoted.of(key))", at: value.offset)
            }
        }
        return JSONFields(members: members)
    }

    /// A string without control characters: the files read this way (saved plans, the
    /// apply journal) are written by vcc-creds, which never writes any, and what they
    /// hold is printed back to terminals.
    mutating func string(_ value: JSONValue?, _ what: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value.content else {
            error("\(what) must be a string, not \(value.kindDescription)", at: value.offset)
            return nil
        }
        if text.unicodeScalars.contains(where: Identifiers.isControl) {
            error("\(what) contains a control character or line separator", at: value.offset)
            return nil
        }
        return text
    }

    mutating func bool(_ value: JSONValue?, _ what: String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value.content else {
            error("\(what) must be true or false, not \(value.kindDescription)", at: value.offset)
            return nil
        }
        return flag
    }

    /// An integer from `minimum` to `maximum` (by default the largest that every JSON
    /// reader holds exactly, so a serial + 1 never overflows).
    mutating func int(_ value: JSONValue?, _ what: String, minimum: Int = 0, maximum: Int = State.maxSerial) -> Int? {
        guard let value else { return nil }
        guard let number = value.int else {
            if case .number(let text) = value.content {
                error("\(what) must be an integer, not \(text)", at: value.offset)
            } else {
                error("\(what) must be an integer, not \(value.kindDescription)", at: value.offset)
            }
            return nil
        }
        guard number >= minimum else {
            error("\(what) must be at least \(minimum), not \(number)", at: value.offset)
            return nil
        }
        guard number <= maximum else {
            error("\(what) must be at most \(maximum), not \(number)", at: value.offset)
            return nil
        }
        return number
    }

    mutating func array(_ value: JSONValue?, _ what: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value.content else {
            error("\(what) must be an array, not \(value.kindDescription)", at: value.offset)
            return nil
        }
        return items
    }

    /// A string that must be one of an enum's raw values.
    mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, _ what: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let value, let text = string(value, what) else { return nil }
        guard let result = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            error(
                "unknown \(what) \(Quoted.of(text))" + Suggestion.hintOrChoices(for: text, in: names),
                at: value.offset)
            return nil
        }
        return result
    }
}

/// The members of a checked object, looked up by key.
struct JSONFields {
    let members: [JSONMember]

    subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }
}
