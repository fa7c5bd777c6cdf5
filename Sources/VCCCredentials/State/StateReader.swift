import StrictJSON

/// Decodes a state file straight from its JSON text into a ``State``, without a tree:
/// the state is the largest input a run reads. Every problem is collected at its byte
/// offset; a syntax error stops at once.
struct StateReader {
    var problems: LocatedProblems

    private static let stateKeys = JSONKeys(["formatVersion", "lineage", "serial", "account", "users", "credentials"])
    private static let accountKeys = JSONKeys(["id", "apiCredentialsEnabled"])
    private static let userKeys = JSONKeys(["id", "name", "license"])
    private static let credentialKeys = JSONKeys([
        "clientId", "name", "level", "owner", "scopes", "secretSha256", "createdAt", "createdBy", "updatedAt",
    ])

    /// Offsets of each user and credential, for the checks across records.
    private(set) var userOffsets: [Int] = []
    private(set) var credentialOffsets: [Int] = []

    init(file: String) {
        problems = LocatedProblems(file: file)
    }

    // MARK: - Values

    private static func describe(_ kind: JSONCursor.Kind) -> String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value if it is of `kind`; otherwise a problem, and the value skipped.
    private mutating func expect(_ kind: JSONCursor.Kind, _ what: String, _ article: String, _ cursor: inout JSONCursor)
        throws(SyntaxError) -> Bool
    {
        let found = try cursor.peekKind()
        guard found == kind else {
            problems.add("\(what) must be \(article), not \(Self.describe(found))", at: cursor.offset())
            try cursor.skipValue()
            return false
        }
        return true
    }

    private mutating func string(_ what: String, _ cursor: inout JSONCursor) throws(SyntaxError) -> String? {
        guard try expect(.string, what, "a string", &cursor) else { return nil }
        return try cursor.readString()
    }

    private mutating func int(
        _ what: String, minimum: Int, maximum: Int = State.maxSerial, _ cursor: inout JSONCursor
    ) throws(SyntaxError) -> Int? {
        let offset = cursor.offset()
        let found = try cursor.peekKind()
        guard found == .number else {
            problems.add("\(what) must be an integer, not \(Self.describe(found))", at: offset)
            try cursor.skipValue()
            return nil
        }
        let text = try cursor.readNumber()
        guard let number = Int(text) else {
            problems.add("\(what) must be an integer, not \(text)", at: offset)
            return nil
        }
        guard number >= minimum else {
            problems.add("\(what) must be at least \(minimum), not \(number)", at: offset)
            return nil
        }
        guard number <= maximum else {
            problems.add("\(what) must be at most \(maximum), not \(number)", at: offset)
            return nil
        }
        return number
    }

    private mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ what: String, as type: T.Type, _ cursor: inout JSONCursor
    ) throws(SyntaxError) -> T? where T.RawValue == String {
        let offset = cursor.offset()
        guard let text = try string(what, &cursor) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            problems.add("unknown \(what) \(Quoted.of(text))" + Suggestion.hintOrChoices(for: text, in: names), at: offset)
            return nil
        }
        return value
    }

    /// Reads an object's members through `member` (given the key), then reports missing
    /// required keys. Unknown keys are reported and skipped.
    private mutating func object(
        _ what: String, keys: JSONKeys, optional: [String] = [], _ cursor: inout JSONCursor,
        _ member: (inout StateReader, String, inout JSONCursor) throws(SyntaxError) -> Void
    ) throws(SyntaxError) -> Bool {
        let offset = cursor.offset()
        guard try expect(.object, what, "an object", &cursor) else { return false }
        var present = 0
        var seen: UInt64 = 0
        try cursor.readObject(keys: keys) { cursor, index, key, keyOffset throws(SyntaxError) in
            guard let index else {
                problems.add("unknown key \(Quoted.of(key)) in \(what)\(Suggestion.hint(for: key, in: keys.names))", at: keyOffset)
                try cursor.skipValue()
                return
            }
            present += 1
            seen |= 1 << UInt64(index)
            try member(&self, key, &cursor)
        }
        if present < keys.names.count {
            for (index, key) in keys.names.enumerated() where seen & (1 << UInt64(index)) == 0 && !optional.contains(key) {
                problems.add("\(what) is missing \(Quoted.of(key))", at: offset)
            }
        }
        return true
    }

    // MARK: - Records

    mutating func readState(_ cursor: inout JSONCursor) throws(SyntaxError) -> State? {
        let rootOffset = cursor.offset()
        let rootKind = try cursor.peekKind()
        guard rootKind == .object else {
            problems.add("state must be a JSON object, not \(Self.describe(rootKind))", at: rootOffset)
            try cursor.skipValue()
            return nil
        }
        var version: Int?
        var versionText: (text: String, offset: Int)?
        var lineage: String?
        var serial: Int?
        var account: Account?
        var users: [User]?
        var credentials: [Credential]?
        _ = try object("state", keys: Self.stateKeys, &cursor) {
            reader, key, cursor throws(SyntaxError) in
            switch key {
            case "formatVersion":
                let offset = cursor.offset()
                if try cursor.peekKind() == .number {
                    let text = try cursor.readNumber()
                    versionText = (text, offset)
                    if let number = Int(text) {
                        if number >= 1 {
                            version = number
                        } else {
                            reader.problems.add("formatVersion must be at least 1, not \(number)", at: offset)
                        }
                    } else {
                        reader.problems.add("formatVersion must be an integer, not \(text)", at: offset)
                    }
                } else {
                    version = try reader.int("formatVersion", minimum: 1, &cursor)
                }
            case "lineage":
                let offset = cursor.offset()
                lineage = try reader.string("lineage", &cursor)
                if let value = lineage, !Identifiers.isLowercaseUUID(value) {
                    reader.problems.add("lineage \(Quoted.of(value)) is not a lowercase UUID", at: offset)
                }
            case "serial":
                serial = try reader.int("serial", minimum: 0, &cursor)
            case "account":
                account = try reader.readAccount(&cursor)
            case "users":
                guard try reader.expect(.array, "users", "an array", &cursor) else { return }
                var list: [User] = []
                try cursor.readArray { cursor, offset throws(SyntaxError) in
                    if let user = try reader.readUser(&cursor) {
                        list.append(user)
                        reader.userOffsets.append(offset)
                    }
                }
                users = list
            default:
                guard try reader.expect(.array, "credentials", "an array", &cursor) else { return }
                var list: [Credential] = []
                try cursor.readArray { cursor, offset throws(SyntaxError) in
                    if let credential = try reader.readCredential(&cursor) {
                        list.append(credential)
                        reader.credentialOffsets.append(offset)
                    }
                }
                credentials = list
            }
        }
        // A newer format is reported alone: its other differences are expected, not errors.
        if let (text, offset) = versionText, let number = Int(text), number > State.currentFormatVersion {
            problems.replaceAll(
                with:
                    "state format version \(number) is newer than this vcc-creds supports (\(State.currentFormatVersion)); upgrade vcc-creds",
                at: offset)
            return nil
        }
        guard let version, let lineage, let serial, let account, let users, let credentials else { return nil }
        return State(
            formatVersion: version, lineage: lineage, serial: serial, account: account, users: users,
            credentials: credentials)
    }

    private mutating func readAccount(_ cursor: inout JSONCursor) throws(SyntaxError) -> Account? {
        var id: String?
        var enabled: Bool?
        guard
            try object("account", keys: Self.accountKeys, &cursor, {
                reader, key, cursor throws(SyntaxError) in
                if key == "id" {
                    let offset = cursor.offset()
                    id = try reader.string("account id", &cursor)
                    if let value = id, let problem = Identifiers.accountIdProblem(value) {
                        reader.problems.add(problem, at: offset)
                    }
                } else if try reader.expect(.bool, "apiCredentialsEnabled", "true or false", &cursor) {
                    enabled = try cursor.readBool()
                }
            })
        else { return nil }
        guard let id, let enabled else { return nil }
        return Account(id: id, apiCredentialsEnabled: enabled)
    }

    private mutating func readUser(_ cursor: inout JSONCursor) throws(SyntaxError) -> User? {
        var id: String?
        var name: String?
        var license: License?
        guard
            try object("user", keys: Self.userKeys, &cursor, {
                reader, key, cursor throws(SyntaxError) in
                let offset = cursor.offset()
                switch key {
                case "id":
                    id = try reader.string("user id", &cursor)
                    if let value = id, let problem = Identifiers.userIdProblem(value) {
                        reader.problems.add(problem, at: offset)
                    }
                case "name":
                    name = try reader.string("user name", &cursor)
                    if let value = name, let problem = Identifiers.nameProblem(value, what: "user name") {
                        reader.problems.add(problem, at: offset)
                    }
                default:
                    license = try reader.enumeration("license", as: License.self, &cursor)
                }
            })
        else { return nil }
        guard let id, let name, let license else { return nil }
        return User(id: id, name: name, license: license)
    }

    private mutating func readCredential(_ cursor: inout JSONCursor) throws(SyntaxError) -> Credential? {
        let offset = cursor.offset()
        var clientId: String?
        var name: String?
        var level: CredentialLevel?
        var owner: String?
        var ownerOffset = 0
        var scopes: ScopeSet?
        var digest: String?
        var createdAt: Timestamp?
        var createdBy: String?
        var updatedAt: Timestamp?
        guard
            try object(
                "credential", keys: Self.credentialKeys, optional: ["owner"], &cursor,
                { reader, key, cursor throws(SyntaxError) in
                    let valueOffset = cursor.offset()
                    switch key {
                    case "clientId":
                        clientId = try reader.string("clientId", &cursor)
                        if let value = clientId, !Identifiers.isLowercaseUUID(value) {
                            reader.problems.add("clientId \(Quoted.of(value)) is not a lowercase UUID", at: valueOffset)
                        }
                    case "name":
                        name = try reader.string("credential name", &cursor)
                        if let value = name, let problem = Identifiers.credentialNameProblem(value) {
                            reader.problems.add(problem, at: valueOffset)
                        }
                    case "level":
                        level = try reader.enumeration("level", as: CredentialLevel.self, &cursor)
                    case "owner":
                        ownerOffset = valueOffset
                        owner = try reader.string("owner", &cursor)
                    case "scopes":
                        scopes = try reader.readScopes(&cursor)
                    case "secretSha256":
                        digest = try reader.string("secretSha256", &cursor)
                        if let value = digest, !Identifiers.isSHA256Hex(value) {
                            reader.problems.add("secretSha256 must be 64 lowercase hex digits", at: valueOffset)
                        }
                    case "createdAt":
                        createdAt = try reader.timestamp("createdAt", &cursor)
                    case "createdBy":
                        createdBy = try reader.string("createdBy", &cursor)
                    default:
                        updatedAt = try reader.timestamp("updatedAt", &cursor)
                    }
                })
        else { return nil }
        if let level {
            if level == .user && owner == nil {
                problems.add("user-level credential has no 'owner'", at: offset)
            } else if level == .account && owner != nil {
                problems.add("account-level credential must not have an 'owner'", at: ownerOffset)
            }
        }
        guard let clientId, let name, let level, let scopes, let digest, let createdAt, let createdBy, let updatedAt
        else { return nil }
        return Credential(
            clientId: clientId, name: name, level: level, owner: level == .user ? owner : nil, scopes: scopes,
            secretSha256: digest, createdAt: createdAt, createdBy: createdBy, updatedAt: updatedAt)
    }

    private mutating func readScopes(_ cursor: inout JSONCursor) throws(SyntaxError) -> ScopeSet? {
        let offset = cursor.offset()
        guard try expect(.array, "scopes", "an array", &cursor) else { return nil }
        var scopes = ScopeSet()
        var valid = true
        var count = 0
        try cursor.readArray { cursor, itemOffset throws(SyntaxError) in
            count += 1
            guard let scope = try enumeration("scope", as: Scope.self, &cursor) else {
                valid = false
                return
            }
            if !scopes.insert(scope) {
                problems.add("scope \(Quoted.of(scope.rawValue)) is listed twice", at: itemOffset)
                valid = false
            }
        }
        guard count > 0 else {
            problems.add("credential has no scopes", at: offset)
            return nil
        }
        return valid ? scopes : nil
    }

    private mutating func timestamp(_ what: String, _ cursor: inout JSONCursor) throws(SyntaxError) -> Timestamp? {
        let offset = cursor.offset()
        guard let text = try string(what, &cursor) else { return nil }
        guard let stamp = Timestamp(text) else {
            problems.add("\(what) \(Quoted.of(text)) is not a UTC time like 2026-01-31T09:30:00Z", at: offset)
            return nil
        }
        return stamp
    }

    // MARK: - Across records

    /// Unique user ids and client IDs, owners that are users.
    mutating func validate(_ state: State) {
        var seenUsers: [String: Int] = [:]
        seenUsers.reserveCapacity(state.users.count)
        for (index, user) in state.users.enumerated() {
            if let first = seenUsers[user.id] {
                problems.add("duplicate user \(Quoted.of(user.id)) (also user #\(first + 1))", at: userOffsets[index])
            } else {
                seenUsers[user.id] = index
            }
        }
        var seenClients: [String: Int] = [:]
        seenClients.reserveCapacity(state.credentials.count)
        for index in state.credentials.indices {
            let clientId = state.credentials[index].clientId
            let offset = credentialOffsets[index]
            if let first = seenClients[clientId] {
                problems.add("duplicate clientId \(Quoted.of(clientId)) (also credential #\(first + 1))", at: offset)
            } else {
                seenClients[clientId] = index
            }
            if let owner = state.credentials[index].owner, seenUsers[owner] == nil {
                problems.add(
                    "credential \(Quoted.of(state.credentials[index].name)) is owned by \(Quoted.of(owner)), who is not a user in the state",
                    at: offset)
            }
        }
    }
}
