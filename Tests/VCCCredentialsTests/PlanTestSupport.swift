import VCCCredentials

/// Builders for plans over in-code accounts, so planner and policy tests read as tables.
enum Fixture {
    static let lineage = "2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d"
    static let time = Timestamp("2026-01-01T00:00:00Z")!
    static let digest = String(repeating: "a", count: 64)

    static func user(_ id: String, _ license: License, name: String? = nil) -> User {
        User(id: id, name: name ?? id, license: license)
    }

    static func credential(
        _ clientId: String, _ name: String, owner: String?, _ scopes: ScopeSet, level: CredentialLevel = .user
    ) -> Credential {
        Credential(
            clientId: clientId, name: name, level: level, owner: level == .user ? owner : nil, scopes: scopes,
            secretSha256: digest, createdAt: time, createdBy: owner ?? "alice", updatedAt: time)
    }

    static func state(
        users: [User], credentials: [Credential] = [], enabled: Bool = true, account: String = "acme"
    ) -> State {
        State(
            lineage: lineage, serial: 3, account: Account(id: account, apiCredentialsEnabled: enabled), users: users,
            credentials: credentials)
    }

    static let here = SourceLocation(file: "manifests/test.yaml", line: 1, column: 1)

    static func desiredUser(_ user: User) -> DesiredUser {
        DesiredUser(id: user.id, user: user, location: here)
    }

    static func absentUser(_ id: String) -> DesiredUser {
        DesiredUser(id: id, user: nil, location: here)
    }

    static func desiredCredential(
        _ name: String, owner: String?, _ scopes: ScopeSet, level: CredentialLevel = .user, clientId: String? = nil,
        ensure: Ensure = .present
    ) -> DesiredCredential {
        DesiredCredential(
            clientId: clientId, spec: CredentialSpec(name: name, level: level, owner: owner, scopes: scopes),
            ensure: ensure, location: here)
    }

    static func desired(
        users: [DesiredUser], credentials: [DesiredCredential] = [], settings: Settings = Settings(),
        account: String = "acme"
    ) -> Desired {
        Desired(account: account, accountLocation: here, settings: settings, users: users, credentials: credentials)
    }

    /// The state's users, unchanged, as manifest entries.
    static func sameUsers(_ state: State) -> [DesiredUser] {
        state.users.map(desiredUser)
    }

    static func plan(_ desired: Desired, _ state: State, as actor: String) throws -> Plan {
        try plan(desired, state, as: [actor])
    }

    static func plan(_ desired: Desired, _ state: State, as actors: [String]) throws -> Plan {
        try Planner.plan(desired: desired, state: state, actors: actors, statePath: "state.json", context: .test)
    }
}

extension Plan {
    func change(_ id: ChangeID) -> Change? {
        changes.first { $0.id == id }
    }
}

extension Change {
    var rule: RuleID? {
        if case .refused(let rule, _, _, _) = decision { return rule }
        return nil
    }

    var appliableBy: [String]? {
        if case .refused(_, _, let users, _) = decision { return users }
        return nil
    }
}

extension PlanContext {
    /// The time unit tests plan at (``Defaults/clock``'s): fixed, so nothing depends on today.
    static let test = PlanContext(now: Timestamp(seconds: 1_800_000_000))
}

/// Change ids in tests as plans spell them (`"user:ada@acme.example"`): parsed, so a test
/// that writes one checks the spelling too.
extension ChangeID: ExpressibleByStringInterpolation {
    public init(stringLiteral text: String) {
        guard let id = ChangeID(text) else { fatalError("not a change id: \(text)") }
        self = id
    }
}
