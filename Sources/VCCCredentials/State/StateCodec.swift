import StrictJSON

/// Reads and writes the state file's JSON. Reading validates everything a later stage
/// relies on; a state that fails is reported whole and never repaired.
public enum StateCodec {
    /// Parses and validates a state file's bytes; `file` names it in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> State {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw DiagnosticsError(.error(error.message, at: SourceLocation(file: file, mark: error.mark)))
        }
        var input = JSONInput(document: document, file: file)
        let state = decodeState(document.root, &input)
        if let state, !input.hasProblems { validate(state, &input) }
        guard let state, !input.hasProblems else { throw DiagnosticsError(input.diagnostics()) }
        return state
    }

    /// The canonical bytes: sorted keys and arrays, two-space indent, newline at end.
    public static func encode(_ state: State) -> [UInt8] {
        JSONWriter.pretty(json(state))
    }

    static func json(_ state: State) -> JSON {
        let sorted = state.sorted()
        return .object([
            "formatVersion": .int(sorted.formatVersion),
            "lineage": .string(sorted.lineage),
            "serial": .int(sorted.serial),
            "account": .object([
                "id": .string(sorted.account.id),
                "apiCredentialsEnabled": .bool(sorted.account.apiCredentialsEnabled),
            ]),
            "users": .array(
                sorted.users.map { user in
                    .object(["id": .string(user.id), "name": .string(user.name), "license": .string(user.license.rawValue)])
                }),
            "credentials": .array(sorted.credentials.map(json)),
        ])
    }

    private static func json(_ credential: Credential) -> JSON {
        var fields: [String: JSON] = [
            "clientId": .string(credential.clientId),
            "name": .string(credential.name),
            "level": .string(credential.level.rawValue),
            "scopes": .array(credential.scopes.identifiers.map(JSON.string)),
            "secretSha256": .string(credential.secretSha256),
            "createdAt": .string(credential.createdAt.text),
            "createdBy": .string(credential.createdBy),
            "updatedAt": .string(credential.updatedAt.text),
        ]
        if let owner = credential.owner { fields["owner"] = .string(owner) }
        return .object(fields)
    }

    // MARK: - Decoding

    private static func decodeState(_ root: JSONValue, _ input: inout JSONInput) -> State? {
        let keys = ["formatVersion", "lineage", "serial", "account", "users", "credentials"]
        guard case .object(let members) = root.content else {
            input.error("state must be a JSON object, not \(root.kindDescription)", at: root.offset)
            return nil
        }
        // A newer format is reported alone: its other differences are expected, not errors.
        let fields = JSONFields(members: members)
        if let version = fields["formatVersion"], let number = version.int, number > State.currentFormatVersion {
            input.error(
                "state format version \(number) is newer than this vcc-creds supports (\(State.currentFormatVersion)); upgrade vcc-creds",
                at: version.offset)
            return nil
        }
        guard let object = input.object(root, "state", keys: keys, required: keys) else { return nil }
        let version = input.int(object["formatVersion"], "formatVersion", minimum: 1)
        let lineage = input.string(object["lineage"], "lineage")
        if let lineage, !Identifiers.isLowercaseUUID(lineage), let value = object["lineage"] {
            input.error("lineage '\(lineage)' is not a lowercase UUID", at: value.offset)
        }
        let serial = input.int(object["serial"], "serial")
        let account = object["account"].flatMap { decodeAccount($0, &input) }
        let users = input.array(object["users"], "users")?.compactMap { decodeUser($0, &input) }
        let credentials = input.array(object["credentials"], "credentials")?.compactMap {
            decodeCredential($0, &input)
        }
        guard let version, let lineage, let serial, let account, let users, let credentials else { return nil }
        return State(
            formatVersion: version, lineage: lineage, serial: serial, account: account, users: users,
            credentials: credentials)
    }

    private static func decodeAccount(_ value: JSONValue, _ input: inout JSONInput) -> Account? {
        let keys = ["id", "apiCredentialsEnabled"]
        guard let object = input.object(value, "account", keys: keys, required: keys) else { return nil }
        let id = input.string(object["id"], "account id")
        if let id, let problem = Identifiers.nameProblem(id, what: "account id"), let node = object["id"] {
            input.error(problem, at: node.offset)
        }
        guard let id, let enabled = input.bool(object["apiCredentialsEnabled"], "apiCredentialsEnabled") else {
            return nil
        }
        return Account(id: id, apiCredentialsEnabled: enabled)
    }

    private static func decodeUser(_ value: JSONValue, _ input: inout JSONInput) -> User? {
        let keys = ["id", "name", "license"]
        guard let object = input.object(value, "user", keys: keys, required: keys) else { return nil }
        let id = input.string(object["id"], "user id")
        if let id, let problem = Identifiers.userIdProblem(id), let node = object["id"] {
            input.error(problem, at: node.offset)
        }
        let name = input.string(object["name"], "user name")
        if let name, let problem = Identifiers.nameProblem(name, what: "user name"), let node = object["name"] {
            input.error(problem, at: node.offset)
        }
        let license = input.enumeration(object["license"], "license", as: License.self)
        guard let id, let name, let license else { return nil }
        return User(id: id, name: name, license: license)
    }

    private static let credentialKeys = [
        "clientId", "name", "level", "owner", "scopes", "secretSha256", "createdAt", "createdBy", "updatedAt",
    ]
    private static let requiredCredentialKeys = credentialKeys.filter { $0 != "owner" }

    private static func decodeCredential(_ value: JSONValue, _ input: inout JSONInput) -> Credential? {
        guard
            let object = input.object(
                value, "credential", keys: credentialKeys, required: requiredCredentialKeys)
        else { return nil }
        let clientId = input.string(object["clientId"], "clientId")
        if let clientId, !Identifiers.isLowercaseUUID(clientId), let node = object["clientId"] {
            input.error("clientId '\(clientId)' is not a lowercase UUID", at: node.offset)
        }
        let name = input.string(object["name"], "credential name")
        if let name, let problem = Identifiers.nameProblem(name, what: "credential name"), let node = object["name"] {
            input.error(problem, at: node.offset)
        }
        let level = input.enumeration(object["level"], "level", as: CredentialLevel.self)
        let owner = input.string(object["owner"], "owner")
        if let level {
            if level == .user && owner == nil {
                input.error("user-level credential has no 'owner'", at: value.offset)
            } else if level == .account, let node = object["owner"] {
                input.error("account-level credential must not have an 'owner'", at: node.offset)
            }
        }
        let scopes = decodeScopes(object["scopes"], &input)
        let digest = input.string(object["secretSha256"], "secretSha256")
        if let digest, !Identifiers.isSHA256Hex(digest), let node = object["secretSha256"] {
            input.error("secretSha256 must be 64 lowercase hex digits", at: node.offset)
        }
        let createdAt = timestamp(object["createdAt"], "createdAt", &input)
        let createdBy = input.string(object["createdBy"], "createdBy")
        let updatedAt = timestamp(object["updatedAt"], "updatedAt", &input)
        guard let clientId, let name, let level, let scopes, let digest, let createdAt, let createdBy, let updatedAt
        else { return nil }
        return Credential(
            clientId: clientId, name: name, level: level, owner: level == .user ? owner : nil, scopes: scopes,
            secretSha256: digest, createdAt: createdAt, createdBy: createdBy, updatedAt: updatedAt)
    }

    private static func decodeScopes(_ value: JSONValue?, _ input: inout JSONInput) -> ScopeSet? {
        guard let value, let items = input.array(value, "scopes") else { return nil }
        guard !items.isEmpty else {
            input.error("credential has no scopes", at: value.offset)
            return nil
        }
        var scopes = ScopeSet()
        var valid = true
        for item in items {
            guard let scope = input.enumeration(item, "scope", as: Scope.self) else {
                valid = false
                continue
            }
            if !scopes.insert(scope) {
                input.error("scope '\(scope.rawValue)' is listed twice", at: item.offset)
                valid = false
            }
        }
        return valid ? scopes : nil
    }

    private static func timestamp(_ value: JSONValue?, _ what: String, _ input: inout JSONInput) -> Timestamp? {
        guard let value, let text = input.string(value, what) else { return nil }
        guard let stamp = Timestamp(text) else {
            input.error("\(what) '\(text)' is not a UTC time like 2026-01-31T09:30:00Z", at: value.offset)
            return nil
        }
        return stamp
    }

    // MARK: - Validation across records

    private static func validate(_ state: State, _ input: inout JSONInput) {
        guard case .object(let members) = input.document.root.content else { return }
        let fields = JSONFields(members: members)
        func items(_ key: String) -> [JSONValue] {
            if case .array(let values)? = fields[key]?.content { return values }
            return []
        }
        let userNodes = items("users")
        let credentialNodes = items("credentials")
        var seenUsers: [String: Int] = [:]
        for (index, user) in state.users.enumerated() {
            if let first = seenUsers[user.id] {
                input.error("duplicate user '\(user.id)' (also user #\(first + 1))", at: userNodes[index].offset)
            } else {
                seenUsers[user.id] = index
            }
        }
        var seenClients: [String: Int] = [:]
        for (index, credential) in state.credentials.enumerated() {
            let offset = credentialNodes[index].offset
            if let first = seenClients[credential.clientId] {
                input.error(
                    "duplicate clientId '\(credential.clientId)' (also credential #\(first + 1))", at: offset)
            } else {
                seenClients[credential.clientId] = index
            }
            if let owner = credential.owner, seenUsers[owner] == nil {
                input.error(
                    "credential '\(credential.name)' is owned by '\(owner)', who is not a user in the state",
                    at: offset)
            }
        }
    }
}
