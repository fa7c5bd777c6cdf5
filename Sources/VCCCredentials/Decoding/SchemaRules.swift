/// The checks and wording every schema reader shares (``JSONInput``, ``YAMLInput`` and
/// the streaming ``StateReader``), so a rule is written once and a message reads the
/// same whichever file it is about.
enum SchemaRules {
    /// A value that breaks a rule: the message, for the reader to place.
    struct Problem: Error {
        let message: String
    }

    /// A key problem: at the member with that index, or (nil) at the object itself.
    struct KeyProblem {
        let message: String
        let member: Int?
    }

    static func wrongKind(_ what: String, expected: String, found: String) -> String {
        "\(what) must be \(expected), not \(found)"
    }

    static func unknownKey(_ key: String, in what: String, keys: [String]) -> String {
        "unknown key \(Quoted.of(key)) in \(what)\(Suggestion.hint(for: key, in: keys))"
    }

    static func missingKey(_ key: String, in what: String) -> String {
        "\(what) is missing \(Quoted.of(key))"
    }

    /// A digest field: nil when `text` is a lowercase hex SHA-256, else the problem.
    static func sha256Problem(_ text: String, _ what: String) -> String? {
        Identifiers.isSHA256Hex(text) ? nil : "\(what) must be 64 lowercase hex digits"
    }

    /// Each member whose key is not one of `keys`, then each `required` key no member has.
    static func keyProblems<Member>(
        _ members: [Member], key: (Member) -> String, in what: String, keys: [String], required: [String]
    ) -> [KeyProblem] {
        var problems: [KeyProblem] = []
        var known = 0
        for (index, member) in members.enumerated() {
            if keys.contains(key(member)) {
                known += 1
            } else {
                problems.append(KeyProblem(message: unknownKey(key(member), in: what, keys: keys), member: index))
            }
        }
        // Keys are unique (both parsers reject duplicates): all known keys present means
        // all required ones are.
        if known < keys.count {
            for name in required where !members.contains(where: { key($0) == name }) {
                problems.append(KeyProblem(message: missingKey(name, in: what), member: nil))
            }
        }
        return problems
    }

    /// The integer a JSON number's text holds, from `minimum` to `maximum`.
    static func integer(_ text: String, _ what: String, minimum: Int, maximum: Int) throws(Problem) -> Int {
        guard let number = Int(text) else {
            throw Problem(message: wrongKind(what, expected: "an integer", found: text))
        }
        try bounded(number, what, minimum: minimum, maximum: maximum)
        return number
    }

    static func bounded(_ number: Int, _ what: String, minimum: Int, maximum: Int = .max) throws(Problem) {
        guard number >= minimum else { throw Problem(message: "\(what) must be at least \(minimum), not \(number)") }
        guard number <= maximum else { throw Problem(message: "\(what) must be at most \(maximum), not \(number)") }
    }

    /// The case of `T` that `text` names; the problem lists the choices or the nearest.
    static func enumeration<T: RawRepresentable & CaseIterable>(_ text: String, _ what: String, as type: T.Type)
        throws(Problem) -> T where T.RawValue == String
    {
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            let hint = Suggestion.hintOrChoices(for: text, in: names)
            throw Problem(message: "unknown \(what) \(Quoted.of(text))\(hint)")
        }
        return value
    }

    /// The UTC time `text` names, as states and plans write it.
    static func timestamp(_ text: String, _ what: String) throws(Problem) -> Timestamp {
        guard let stamp = Timestamp(text) else {
            throw Problem(message: "\(what) \(Quoted.of(text)) is not a UTC time like 2026-01-31T09:30:00Z")
        }
        return stamp
    }
}
