import StrictJSON

/// Reads a parsed JSON document against a schema written in code, collecting every
/// problem as a located diagnostic instead of stopping at the first.
///
/// Offsets are turned into lines and columns once, at the end, in a single pass.
struct JSONInput {
    let document: JSONDocument
    private var problems: LocatedProblems

    init(document: JSONDocument, file: String) {
        self.document = document
        problems = LocatedProblems(file: file)
    }

    /// `bytes` parsed as the JSON text of `file`; a syntax error is its one diagnostic.
    init(parsing bytes: [UInt8], file: String) throws(DiagnosticsError) {
        do {
            self.init(document: try JSONParser.parse(bytes), file: file)
        } catch {
            throw DiagnosticsError(.syntax(error, in: file))
        }
    }

    var hasProblems: Bool { !problems.isEmpty }

    mutating func error(_ message: String, at offset: Int) {
        problems.add(message, at: offset)
    }

    /// A lowercase hex SHA-256.
    mutating func digest(_ value: JSONValue?, _ what: String) -> String? {
        guard let value, let text = string(value, what) else { return nil }
        if let problem = SchemaRules.sha256Problem(text, what) {
            error(problem, at: value.offset)
            return nil
        }
        return text
    }

    /// The problems found, located, sorted.
    func diagnostics() -> [Diagnostic] {
        problems.diagnostics(in: document.bytes)
    }

    /// The problem of a value that is not of the kind `expected` names.
    mutating func wrongKind(_ value: JSONValue, _ what: String, expected: String) {
        error(SchemaRules.wrongKind(what, expected: expected, found: value.kindDescription), at: value.offset)
    }

    /// An object's members, after checking it has no unknown keys and all required ones.
    mutating func object(_ value: JSONValue, _ what: String, keys: [String], required: [String]) -> JSONFields? {
        guard case .object(let members) = value.content else {
            wrongKind(value, what, expected: "an object")
            return nil
        }
        for problem in SchemaRules.keyProblems(members, key: \.key, in: what, keys: keys, required: required) {
            error(problem.message, at: problem.member.map { members[$0].keyOffset } ?? value.offset)
        }
        return JSONFields(members: members)
    }

    /// A string without control characters: the files read this way (saved plans, the
    /// apply journal) are written by vcc-creds, which never writes any, and what they
    /// hold is printed back to terminals.
    mutating func string(_ value: JSONValue?, _ what: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value.content else {
            wrongKind(value, what, expected: "a string")
            return nil
        }
        if text.unicodeScalars.contains(where: Identifiers.isControl) {
            error("\(what) contains a control character or line separator", at: value.offset)
            return nil
        }
        return text
    }

    /// A change id as plans spell it (``ChangeID``).
    mutating func changeID(_ value: JSONValue?, _ what: String) -> ChangeID? {
        guard let value, let text = string(value, what) else { return nil }
        guard let id = ChangeID(text) else {
            error("\(what) \(Quoted.of(text)) is not a change id (\(ChangeID.spellings))", at: value.offset)
            return nil
        }
        return id
    }

    mutating func bool(_ value: JSONValue?, _ what: String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value.content else {
            wrongKind(value, what, expected: "true or false")
            return nil
        }
        return flag
    }

    /// An integer from `minimum` to `maximum` (by default the largest that every JSON
    /// reader holds exactly, so a serial + 1 never overflows).
    mutating func int(_ value: JSONValue?, _ what: String, minimum: Int = 0, maximum: Int = State.maxSerial) -> Int? {
        guard let value else { return nil }
        guard case .number(let text) = value.content else {
            wrongKind(value, what, expected: "an integer")
            return nil
        }
        do {
            return try SchemaRules.integer(text, what, minimum: minimum, maximum: maximum)
        } catch {
            self.error(error.message, at: value.offset)
            return nil
        }
    }

    mutating func array(_ value: JSONValue?, _ what: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value.content else {
            wrongKind(value, what, expected: "an array")
            return nil
        }
        return items
    }

    /// A string that must be one of an enum's raw values.
    mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, _ what: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let value, let text = string(value, what) else { return nil }
        do {
            return try SchemaRules.enumeration(text, what, as: type)
        } catch {
            self.error(error.message, at: value.offset)
            return nil
        }
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
