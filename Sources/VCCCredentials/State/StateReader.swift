import StrictJSON

/// Decodes a state file straight from its JSON text into a ``State``, without a tree:
/// the state is the largest input a run reads. Every problem is collected at its byte
/// offset; a syntax error stops at once.
///
/// Hand-written speed code, kept because it pays in time and peak memory over decoding a
/// `JSONValue` tree (`bench/RESULTS.md`, "What moved the numbers").
/// What it shares with the tree readers, rules and wording, is in ``SchemaRules``.
struct StateReader {
    var problems: LocatedProblems

    private enum StateKey: String, CaseIterable {
        case formatVersion, lineage, serial, account, users, credentials, pending, scopes
    }
    private enum AccountKey: String, CaseIterable { case id, apiCredentialsEnabled, executor, userExecutor }
    private enum UserKey: String, CaseIterable { case id, name, license, email, vccUserId }
    private enum CredentialKey: String, CaseIterable {
        case clientId, name, level, owner, scopes, secretSha256, sealedTo, predecessors, overlapEndsAt, createdAt,
            createdBy,
            updatedAt
    }

    /// An object's keys: as an enum, so each switch over them is exhaustive, and as
    /// ``JSONKeys``, for the cursor to match their bytes.
    struct Keys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
        let cases: [Key]
        let json: JSONKeys

        init() {
            cases = Array(Key.allCases)
            json = JSONKeys(cases.map(\.rawValue))
        }
    }

    private static let stateKeys = Keys<StateKey>()
    private static let accountKeys = Keys<AccountKey>()
    private static let userKeys = Keys<UserKey>()
    private static let credentialKeys = Keys<CredentialKey>()

    /// Where the state uses what format 1 does not have, and the format that has it, for
    /// the check once the version is known (it is written after `account` and
    /// `credentials`).
    var newerFeatures: [(feature: StateFeature, offset: Int)] = []

    /// Offsets of each user and credential, for the checks across records.
    private(set) var userOffsets: [Int] = []
    private(set) var credentialOffsets: [Int] = []
    var pendingOffsets: [Int] = []
    /// Scope names that are not VCC's own, where read: `scopes` must declare each.
    var unresolvedScopes: [(name: String, offset: Int)] = []

    init(file: String) {
        problems = LocatedProblems(file: file)
    }

    // MARK: - Values

    /// The value if it is of `kind`; otherwise a problem, and the value skipped.
    mutating func expect(
        _ kind: JSONCursor.Kind, _ what: String, _ expected: String, _ cursor: inout JSONCursor
    ) throws(SyntaxError) -> Bool {
        let found = try cursor.peekKind()
        guard found == kind else {
            problems.add(SchemaRules.wrongKind(what, expected: expected, found: found.description), at: cursor.offset())
            try cursor.skipValue()
            return false
        }
        return true
    }

    /// The problem a rule found, if it found one, at `offset`; the value otherwise.
    mutating func checked<T>(at offset: Int, _ rule: () throws(SchemaRules.Problem) -> T) -> T? {
        do {
            return try rule()
        } catch {
            problems.add(error.message, at: offset)
            return nil
        }
    }

    mutating func string(_ what: String, _ cursor: inout JSONCursor) throws(SyntaxError) -> String? {
        guard try expect(.string, what, "a string", &cursor) else { return nil }
        return try cursor.readString()
    }

    /// A string, with the problem `check` finds in it (if any) reported at its offset.
    /// The string is kept either way: the problem alone keeps the state from being used.
    mutating func string(_ what: String, _ cursor: inout JSONCursor, check: (String) -> String?)
        throws(SyntaxError) -> String?
    {
        let offset = cursor.offset()
        let text = try string(what, &cursor)
        if let text, let problem = check(text) { problems.add(problem, at: offset) }
        return text
    }

    /// A number's text and offset; nil (and a problem) for any other value.
    mutating func number(_ what: String, _ cursor: inout JSONCursor) throws(SyntaxError)
        -> (text: String, offset: Int)?
    {
        let offset = cursor.offset()
        guard try expect(.number, what, "an integer", &cursor) else { return nil }
        return (try cursor.readNumber(), offset)
    }

    mutating func int(
        _ what: String, minimum: Int, maximum: Int = State.maxSerial, _ cursor: inout JSONCursor
    ) throws(SyntaxError) -> Int? {
        guard let number = try number(what, &cursor) else { return nil }
        return checked(at: number.offset) { () throws(SchemaRules.Problem) in
            try SchemaRules.integer(number.text, what, minimum: minimum, maximum: maximum)
        }
    }

    mutating func enumeration<T: RawRepresentable & CaseIterable>(
        _ what: String, as type: T.Type, _ cursor: inout JSONCursor
    ) throws(SyntaxError) -> T? where T.RawValue == String {
        let offset = cursor.offset()
        guard let text = try string(what, &cursor) else { return nil }
        return checked(at: offset) { () throws(SchemaRules.Problem) in
            try SchemaRules.enumeration(text, what, as: type)
        }
    }

    mutating func timestamp(_ what: String, _ cursor: inout JSONCursor) throws(SyntaxError) -> Timestamp? {
        let offset = cursor.offset()
        guard let text = try string(what, &cursor) else { return nil }
        return checked(at: offset) { () throws(SchemaRules.Problem) in try SchemaRules.timestamp(text, what) }
    }

    /// Reads an object's members through `member` (given the key), then reports missing
    /// required keys. Unknown keys are reported and skipped.
    mutating func object<Key: Equatable>(
        _ what: String, keys: Keys<Key>, optional: [Key] = [], _ cursor: inout JSONCursor,
        _ member: (inout StateReader, Key, inout JSONCursor) throws(SyntaxError) -> Void
    ) throws(SyntaxError) -> Bool {
        let offset = cursor.offset()
        guard try expect(.object, what, "an object", &cursor) else { return false }
        var present = 0
        var seen: UInt64 = 0
        try cursor.readObject(keys: keys.json) { cursor, index, key, keyOffset throws(SyntaxError) in
            guard let index else {
                problems.add(SchemaRules.unknownKey(key, in: what, keys: keys.json.names), at: keyOffset)
                try cursor.skipValue()
                return
            }
            present += 1
            seen |= 1 << UInt64(index)
            try member(&self, keys.cases[index], &cursor)
        }
        if present < keys.cases.count {
            for (index, key) in keys.cases.enumerated() where seen & (1 << UInt64(index)) == 0 {
                if !optional.contains(key) { problems.add(SchemaRules.missingKey(key.rawValue, in: what), at: offset) }
            }
        }
        return true
    }

    /// An array's items through `item`, and the offset of each it returns.
    mutating func array<T>(
        _ what: String, _ cursor: inout JSONCursor,
        _ item: (inout StateReader, inout JSONCursor) throws(SyntaxError) -> T?
    ) throws(SyntaxError) -> (items: [T], offsets: [Int])? {
        guard try expect(.array, what, "an array", &cursor) else { return nil }
        var items: [T] = []
        var offsets: [Int] = []
        try cursor.readArray { cursor, offset throws(SyntaxError) in
            if let value = try item(&self, &cursor) {
                items.append(value)
                offsets.append(offset)
            }
        }
        return (items, offsets)
    }

    // MARK: - Records

    /// The members of the state object, each nil until read and valid.
    private struct StateFields {
        var version: Int?
        /// The version as written, for the check for a newer format.
        var versionNumber: (text: String, offset: Int)?
        var lineage: String?
        var serial: Int?
        var account: Account?
        var users: [User]?
        var credentials: [Credential]?
        var pending: [PendingStep] = []
        var scopes: [ScopeDeclaration] = []
    }

    mutating func readState(_ cursor: inout JSONCursor) throws(SyntaxError) -> State? {
        let rootOffset = cursor.offset()
        let rootKind = try cursor.peekKind()
        guard rootKind == .object else {
            problems.add(
                SchemaRules.wrongKind("state", expected: "a JSON object", found: rootKind.description), at: rootOffset)
            try cursor.skipValue()
            return nil
        }
        var fields = StateFields()
        _ = try object("state", keys: Self.stateKeys, optional: [.pending, .scopes], &cursor) {
            reader, key, cursor throws(SyntaxError) in
            try reader.readStateMember(key, into: &fields, &cursor)
        }
        if reportNewerFormat(fields.versionNumber) { return nil }
        let declarations = declaredScopes(fields.scopes)
        if let version = fields.version {
            for (feature, offset) in newerFeatures where version < feature.formatVersion {
                problems.add(
                    "\(feature.name) needs state formatVersion \(feature.formatVersion) (this state is version "
                        + "\(version))",
                    at: offset)
            }
        }
        guard let version = fields.version, let lineage = fields.lineage, let serial = fields.serial,
            let account = fields.account, let users = fields.users, let credentials = fields.credentials
        else { return nil }
        var state = State(
            formatVersion: version, lineage: lineage, serial: serial, account: account, users: users,
            credentials: credentials, pending: fields.pending)
        resolveScopes(&state, declarations)
        return state
    }

    private mutating func readStateMember(_ key: StateKey, into fields: inout StateFields, _ cursor: inout JSONCursor)
        throws(SyntaxError)
    {
        switch key {
        case .formatVersion:
            guard let number = try number("formatVersion", &cursor) else { return }
            fields.versionNumber = number
            fields.version = checked(at: number.offset) { () throws(SchemaRules.Problem) in
                try SchemaRules.integer(number.text, "formatVersion", minimum: 1, maximum: .max)
            }
        case .lineage:
            fields.lineage = try string("lineage", &cursor) { value in
                Identifiers.isLowercaseUUID(value) ? nil : "lineage \(Quoted.of(value)) is not a lowercase UUID"
            }
        case .serial:
            fields.serial = try int("serial", minimum: 0, &cursor)
        case .account:
            fields.account = try readAccount(&cursor)
        case .users:
            let read = try array("users", &cursor) { reader, cursor throws(SyntaxError) in try reader.readUser(&cursor)
            }
            guard let read else { return }
            fields.users = read.items
            userOffsets = read.offsets
        case .credentials:
            let read = try array("credentials", &cursor) { reader, cursor throws(SyntaxError) in
                try reader.readCredential(&cursor)
            }
            guard let read else { return }
            fields.credentials = read.items
            credentialOffsets = read.offsets
        case .pending:
            newerFeatures.append((.pending, cursor.offset()))
            let read = try array("pending", &cursor) { reader, cursor throws(SyntaxError) in
                try reader.readPendingStep(&cursor)
            }
            guard let read else { return }
            fields.pending = read.items
            pendingOffsets = read.offsets
        case .scopes:
            fields.scopes = try readScopeDeclarations(&cursor) ?? []
        }
    }

    /// A newer format is reported alone: its other differences are expected, not errors.
    private mutating func reportNewerFormat(_ version: (text: String, offset: Int)?) -> Bool {
        guard let (text, offset) = version, let number = Int(text), number > State.currentFormatVersion else {
            return false
        }
        problems.replaceAll(
            with:
                "state format version \(number) is newer than this vcc-creds supports "
                + "(\(State.currentFormatVersion)); upgrade vcc-creds",
            at: offset)
        return true
    }

    private mutating func readAccount(_ cursor: inout JSONCursor) throws(SyntaxError) -> Account? {
        var id: String?
        var enabled: Bool?
        var executor = Executor.local
        var executorValid = true
        var userExecutor: UserExecutor?
        var userExecutorValid = true
        guard
            try object(
                "account", keys: Self.accountKeys, optional: [.executor, .userExecutor], &cursor,
                {
                    reader, key, cursor throws(SyntaxError) in
                    switch key {
                    case .id:
                        id = try reader.string("account id", &cursor) { Identifiers.accountIdProblem($0) }
                    case .apiCredentialsEnabled:
                        if try reader.expect(.bool, "apiCredentialsEnabled", "true or false", &cursor) {
                            enabled = try cursor.readBool()
                        }
                    case .executor:
                        reader.newerFeatures.append((.executor, cursor.offset()))
                        let read = try reader.enumeration("executor", as: Executor.self, &cursor)
                        executorValid = read != nil
                        executor = read ?? .local
                    case .userExecutor:
                        reader.newerFeatures.append((.userExecutor, cursor.offset()))
                        userExecutor = try reader.enumeration("userExecutor", as: UserExecutor.self, &cursor)
                        userExecutorValid = userExecutor != nil
                    }
                })
        else { return nil }
        guard let id, let enabled, executorValid, userExecutorValid else { return nil }
        return Account(id: id, apiCredentialsEnabled: enabled, executor: executor, userExecutor: userExecutor)
    }

    private mutating func readUser(_ cursor: inout JSONCursor) throws(SyntaxError) -> User? {
        var id: String?
        var name: String?
        var license: License?
        var email: String?
        var vccUserId: String?
        var valid = true
        guard
            try object(
                "user", keys: Self.userKeys, optional: [.email, .vccUserId], &cursor,
                { reader, key, cursor throws(SyntaxError) in
                    switch key {
                    case .id:
                        id = try reader.string("user id", &cursor, check: Identifiers.userIdProblem)
                    case .name:
                        name = try reader.string("user name", &cursor) {
                            Identifiers.nameProblem($0, what: "user name")
                        }
                    case .license:
                        license = try reader.enumeration("license", as: License.self, &cursor)
                    case .email:
                        reader.newerFeatures.append((.userEmail, cursor.offset()))
                        email = try reader.string("user email", &cursor, check: Identifiers.emailProblem)
                        valid = valid && email != nil
                    case .vccUserId:
                        reader.newerFeatures.append((.vccUserId, cursor.offset()))
                        vccUserId = try reader.string("vccUserId", &cursor, check: Identifiers.vccUserIdProblem)
                        valid = valid && vccUserId != nil
                    }
                })
        else { return nil }
        guard let id, let name, let license, valid else { return nil }
        return User(id: id, name: name, license: license, email: email, vccUserId: vccUserId)
    }

    /// The members of a credential object, each nil until read and valid.
    private struct CredentialFields {
        var clientId: String?
        var name: String?
        var level: CredentialLevel?
        var owner: String?
        var ownerOffset = 0
        var scopes: ScopeSet?
        var digest: String?
        var digestValid = true
        var sealedTo: [String]?
        var sealedToValid = true
        var predecessors: [String] = []
        var predecessorsValid = true
        var overlapEndsAt: Timestamp?
        var overlapOffset = 0
        var createdAt: Timestamp?
        var createdBy: String?
        var updatedAt: Timestamp?
    }

    private mutating func readCredential(_ cursor: inout JSONCursor) throws(SyntaxError) -> Credential? {
        let offset = cursor.offset()
        var fields = CredentialFields()
        let read = try object(
            "credential", keys: Self.credentialKeys,
            optional: [.owner, .secretSha256, .sealedTo, .predecessors, .overlapEndsAt], &cursor
        ) {
            reader, key, cursor throws(SyntaxError) in try reader.readCredentialMember(key, into: &fields, &cursor)
        }
        guard read else { return nil }
        if let level = fields.level {
            if level == .user && fields.owner == nil {
                problems.add("user-level credential has no 'owner'", at: offset)
            } else if level == .account && fields.owner != nil {
                problems.add("account-level credential must not have an 'owner'", at: fields.ownerOffset)
            }
        }
        if fields.overlapEndsAt != nil && fields.predecessors.isEmpty && fields.predecessorsValid {
            problems.add(
                "'overlapEndsAt' without 'predecessors': an overlap is with a predecessor", at: fields.overlapOffset)
        }
        if fields.digest == nil && fields.digestValid {
            newerFeatures.append((.credentialWithoutDigest, offset))
        }
        guard let clientId = fields.clientId, let name = fields.name, let level = fields.level,
            let scopes = fields.scopes, fields.digestValid, fields.sealedToValid, fields.predecessorsValid,
            let createdAt = fields.createdAt,
            let createdBy = fields.createdBy, let updatedAt = fields.updatedAt
        else { return nil }
        return Credential(
            clientId: clientId, name: name, level: level, owner: level == .user ? fields.owner : nil, scopes: scopes,
            secretSha256: fields.digest, sealedTo: fields.sealedTo, predecessors: fields.predecessors,
            overlapEndsAt: fields.overlapEndsAt, createdAt: createdAt, createdBy: createdBy, updatedAt: updatedAt)
    }

    private mutating func readCredentialMember(
        _ key: CredentialKey, into fields: inout CredentialFields, _ cursor: inout JSONCursor
    ) throws(SyntaxError) {
        switch key {
        case .clientId:
            fields.clientId = try string("clientId", &cursor) { value in
                Identifiers.isLowercaseUUID(value) ? nil : "clientId \(Quoted.of(value)) is not a lowercase UUID"
            }
        case .name:
            fields.name = try string("credential name", &cursor, check: Identifiers.credentialNameProblem)
        case .level:
            fields.level = try enumeration("level", as: CredentialLevel.self, &cursor)
        case .owner:
            fields.ownerOffset = cursor.offset()
            fields.owner = try string("owner", &cursor)
        case .scopes:
            fields.scopes = try readScopes(&cursor)
        case .secretSha256:
            let offset = cursor.offset()
            fields.digest = try string("secretSha256", &cursor)
            if let digest = fields.digest, let problem = SchemaRules.sha256Problem(digest, "secretSha256") {
                problems.add(problem, at: offset)
            }
            fields.digestValid = fields.digest.map { SchemaRules.sha256Problem($0, "secretSha256") == nil } ?? false
        case .sealedTo:
            newerFeatures.append((.sealedTo, cursor.offset()))
            fields.sealedTo = try readFingerprints(&cursor)
            fields.sealedToValid = fields.sealedTo != nil
        case .predecessors:
            newerFeatures.append((.predecessors, cursor.offset()))
            let offset = cursor.offset()
            guard try expect(.array, "predecessors", "an array", &cursor) else {
                fields.predecessorsValid = false
                return
            }
            try cursor.readArray { cursor, _ throws(SyntaxError) in
                let id = try string("predecessors entry", &cursor) { value in
                    Identifiers.isLowercaseUUID(value) ? nil : "predecessor \(Quoted.of(value)) is not a lowercase UUID"
                }
                if let id { fields.predecessors.append(id) } else { fields.predecessorsValid = false }
            }
            if fields.predecessors.isEmpty && fields.predecessorsValid {
                problems.add("predecessors is empty (omit the key when there is none)", at: offset)
                fields.predecessorsValid = false
            }
        case .overlapEndsAt:
            newerFeatures.append((.overlapEndsAt, cursor.offset()))
            fields.overlapOffset = cursor.offset()
            fields.overlapEndsAt = try timestamp("overlapEndsAt", &cursor)
        case .createdAt:
            fields.createdAt = try timestamp("createdAt", &cursor)
        case .createdBy:
            fields.createdBy = try string("createdBy", &cursor)
        case .updatedAt:
            fields.updatedAt = try timestamp("updatedAt", &cursor)
        }
    }

    /// `sealedTo`: one or more recipient fingerprints, sorted, each once.
    private mutating func readFingerprints(_ cursor: inout JSONCursor) throws(SyntaxError) -> [String]? {
        let offset = cursor.offset()
        guard try expect(.array, "sealedTo", "an array", &cursor) else { return nil }
        var fingerprints: [String] = []
        var valid = true
        try cursor.readArray { cursor, itemOffset throws(SyntaxError) in
            guard
                let fingerprint = try string(
                    "sealedTo entry", &cursor, check: { RecipientFingerprint.problem($0, "sealedTo entry") })
            else {
                valid = false
                return
            }
            if let last = fingerprints.last, last >= fingerprint {
                problems.add("sealedTo must be sorted, each fingerprint once", at: itemOffset)
                valid = false
            }
            fingerprints.append(fingerprint)
        }
        guard !fingerprints.isEmpty || !valid else {
            problems.add(
                "sealedTo is empty: a sealed file is for at least one recipient (omit the key when there is none)",
                at: offset)
            return nil
        }
        return valid ? fingerprints : nil
    }

    mutating func readScopes(_ cursor: inout JSONCursor) throws(SyntaxError) -> ScopeSet? {
        let offset = cursor.offset()
        guard try expect(.array, "scopes", "an array", &cursor) else { return nil }
        var scopes = ScopeSet()
        var valid = true
        var count = 0
        try cursor.readArray { cursor, itemOffset throws(SyntaxError) in
            count += 1
            guard let scope = try readScope(&cursor) else {
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
                    "credential \(Quoted.of(state.credentials[index].name)) is owned by \(Quoted.of(owner)), who is "
                        + "not a user in the state",
                    at: offset)
            }
        }
        validateRotations(state, clients: seenClients)
    }

    /// Rotation links that can be followed one way only: no credential its own
    /// predecessor, each replaced directly once (a successor inherits its predecessor's
    /// `predecessors`, so earlier ones appear in several lists), and a predecessor still
    /// in its overlap is not itself a successor in one (so a pair is always two
    /// credentials, never a chain or a loop).
    private mutating func validateRotations(_ state: State, clients: [String: Int]) {
        var replacer: [String: Int] = [:]
        for (index, credential) in state.credentials.enumerated() where !credential.predecessors.isEmpty {
            let offset = credentialOffsets[index]
            if credential.predecessors.contains(credential.clientId) {
                problems.add("credential \(credential.clientId) lists itself among its predecessors", at: offset)
            }
            if Set(credential.predecessors).count != credential.predecessors.count {
                problems.add("credential \(credential.clientId) lists a predecessor twice", at: offset)
            }
            if let direct = credential.predecessors.last {
                if let other = replacer[direct] {
                    problems.add(
                        "predecessor \(direct) was replaced by \(state.credentials[other].clientId) already: a "
                            + "credential is replaced once",
                        at: offset)
                } else {
                    replacer[direct] = index
                }
            }
            guard let live = credential.livePredecessor, let position = clients[live] else { continue }
            let predecessor = state.credentials[position]
            if predecessor.overlapEndsAt != nil {
                problems.add(
                    "credential \(credential.clientId) overlaps with \(live), which is itself still overlapping with "
                        + "its own predecessor",
                    at: offset)
            }
            // The same owner, or an account-level one migrated to a user-level successor.
            if predecessor.owner != credential.owner && !(predecessor.level == .account && credential.level == .user) {
                problems.add(
                    "credential \(credential.clientId) overlaps with \(live), which has another owner: a successor "
                        + "keeps its predecessor's owner",
                    at: offset)
            }
        }
    }
}
