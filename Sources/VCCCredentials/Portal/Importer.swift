/// `import`: adopts credentials that exist in VCC (made in the portal, perhaps years
/// ago) into the state, without their secrets, which nobody kept: each is recorded
/// "secret not held". Only an admin sees every credential, so only an admin imports.
/// Under the lock, journal and crash-safety of every state change; every credential
/// added is audited.
public struct Importer: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Result: Sendable {
        public var imported: [Credential]
        public var newSerial: Int
        public var notes: [Diagnostic]
    }

    public func importListing(_ listingPath: String, statePath: String, actor: String, lockTimeout: LockTimeout = .none)
        throws -> Result
    {
        let bytes: [UInt8]
        do {
            bytes = try environment.fileSystem.readFile(
                at: listingPath, maxBytes: CredentialListing.maxBytes, followingLinks: true)
        } catch {
            throw DiagnosticsError(.error(error.problem, at: SourceLocation(file: listingPath)))
        }
        let listing = try CredentialListing.parse(bytes, file: listingPath)
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: lockTimeout)
        defer { locked.lock.release() }
        var next = locked.loaded.state
        let admin = try Self.admin(actor, command: "import", in: next, statePath: statePath)
        let now = Timestamp(environment.clock.now())
        let imported = try credentials(listing, state: next, actor: admin.id, now: now)
        next.credentials += imported
        let changes = imported.map { credential in
            Change(
                id: .credential(clientId: credential.clientId), action: .create,
                subject: .credential(Draft.target(credential), before: nil, after: credential.spec),
                decision: .permitted(by: admin.id))
        }
        let written = try transaction.write(
            StateChange(next: next, changes: changes, time: now, event: .imported, checked: true), locked)
        return Result(imported: imported, newSerial: written.next.serial, notes: locked.notes)
    }

    /// The run's actor, if an admin in the state.
    static func admin(_ actor: String, command: String, in state: State, statePath: String) throws(PortalError) -> User
    {
        guard let user = state.users.first(where: { $0.id == actor }) else {
            throw .unknownActor(actor, statePath: statePath)
        }
        guard user.license == .admin else { throw .notAdmin(command: command, actor: actor, license: user.license) }
        return user
    }

    /// Every row checked as strictly as a manifest entry, all problems reported at once.
    private func credentials(_ listing: CredentialListing, state: State, actor: String, now: Timestamp)
        throws(DiagnosticsError) -> [Credential]
    {
        var problems: [Diagnostic] = []
        var result: [Credential] = []
        let users = Dictionary(state.users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let existing = Set(state.credentials.map(\.clientId))
        var seen: [String: SourceLocation] = [:]
        // A credential an open step creates is under way: importing it too would make two.
        var underWay: [CredentialKey: ChangeID] = [:]
        for step in state.pending where step.action == .create {
            if case .credential(let target, _, _) = step.subject {
                underWay[CredentialKey(level: target.level, owner: target.owner, name: target.name)] = step.id
            }
        }
        for (index, row) in listing.rows.enumerated() {
            func field(_ column: CredentialListing.Column) -> CredentialListing.Field? {
                guard let field = row.fields[column], !field.text.isEmpty else { return nil }
                return field
            }
            func fail(_ message: String, _ at: SourceLocation) { problems.append(.error(message, at: at)) }
            guard let name = field(.name) else {
                fail("the credential has no name", row.location)
                continue
            }
            if let problem = Identifiers.credentialNameProblem(name.text) { fail(problem, name.location) }
            var clientId: String?
            if let given = field(.clientId) {
                let lowered = given.text.lowercased()
                if !Identifiers.isLowercaseUUID(lowered) {
                    fail("clientId \(Quoted.of(given.text)) is not a UUID", given.location)
                } else if existing.contains(lowered) {
                    fail("clientId \(lowered) is already in the state", given.location)
                } else if let first = seen[lowered] {
                    fail("clientId \(lowered) is listed twice (also at \(first))", given.location)
                } else {
                    seen[lowered] = given.location
                    clientId = lowered
                }
            } else {
                fail("the credential has no clientId", row.location)
            }
            var level: CredentialLevel?
            if let given = field(.level) {
                level = CredentialLevel(rawValue: given.text)
                if level == nil { fail("level \(Quoted.of(given.text)) is not user or account", given.location) }
            } else {
                fail("the credential has no level (user or account)", row.location)
            }
            let owner = field(.owner)
            if level == .user {
                if let owner {
                    if users[owner.text] == nil {
                        fail(
                            "owner \(Quoted.of(owner.text)) is not a user in the "
                                + "state\(Suggestion.hint(for: owner.text, in: state.users.map(\.id)))",
                            owner.location)
                    }
                } else {
                    fail("a user-level credential needs an owner", row.location)
                }
            } else if level == .account, let owner {
                fail("an account-level credential has no owner", owner.location)
            }
            var scopes = ScopeSet()
            let listed = listing.scopes(ofRow: index)
            if listed.isEmpty { fail("the credential has no scopes", row.fields[.scopes]?.location ?? row.location) }
            for scope in listed {
                guard let known = Scope(builtIn: scope.text) else {
                    let hint = Suggestion.hint(for: scope.text, in: Scope.builtIn.map(\.rawValue))
                    fail("unknown scope \(Quoted.of(scope.text))\(hint)", scope.location)
                    continue
                }
                if !scopes.insert(known) { fail("scope \(Quoted.of(scope.text)) is listed twice", scope.location) }
            }
            guard let clientId, let level else { continue }
            let key = CredentialKey(level: level, owner: level == .user ? owner?.text : nil, name: name.text)
            if let step = underWay[key] {
                fail(
                    "the open portal step \(Quoted.of(step.description)) creates this credential: record it (or "
                        + "abandon it) instead of importing",
                    name.location)
                continue
            }
            result.append(
                Credential(
                    clientId: clientId, name: name.text, level: level, owner: level == .user ? owner?.text : nil,
                    scopes: scopes, secretSha256: nil, createdAt: now, createdBy: actor, updatedAt: now))
        }
        if listing.rows.isEmpty {
            problems.append(.error("lists no credentials", at: SourceLocation(file: listing.file)))
        }
        guard problems.isEmpty else { throw DiagnosticsError(problems) }
        return result
    }
}
