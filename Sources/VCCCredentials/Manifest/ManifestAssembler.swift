/// Merges the fragments of every document of every file into one ``Desired``, checking
/// what only the whole set can show: duplicates across files, conflicting settings,
/// owners that are not declared.
struct ManifestAssembler {
    private(set) var diagnostics: [Diagnostic] = []
    private var account: ManifestFragment.Located<String>?
    private var prune: ManifestFragment.Located<Bool>?
    private var maxDeletes: ManifestFragment.Located<Int>?
    private var recipients: ManifestFragment.Located<[String]>?
    private var rotate: ManifestFragment.Located<RotationPolicy>?
    private var expiryWarning: ManifestFragment.Located<TimeSpan>?
    private var sensitiveScopes: ManifestFragment.Located<ScopeSet>?
    private var scopes: ManifestFragment.Located<[ScopeDeclaration]>?
    private var scopeUses: [ManifestFragment.Located<String>] = []
    private var region: ManifestFragment.Located<Region>?
    private var forbidScopes: ManifestFragment.Located<[Guardrails.ForbiddenScope]>?
    private var maxCredentialsPerUser: ManifestFragment.Located<Int>?
    private var requireDescription: ManifestFragment.Located<Bool>?
    private var namePattern: ManifestFragment.Located<String>?
    private var users: [DesiredUser] = []
    /// Users by login, lowercased: forges compare logins ignoring case.
    private var loginIndex: [String: Int] = [:]
    private var userIndex: [String: Int] = [:]
    private var credentials: [DesiredCredential] = []
    /// Where each credential's owner was written, to point at it if it is unknown.
    private var ownerLocations: [SourceLocation?] = []
    private var byClientId: [String: Int] = [:]
    private var byKey: [CredentialKey: Int] = [:]

    /// Adds every document's fragment, with room reserved for all of them at once.
    mutating func add(_ fragments: [ManifestFragment]) {
        let userCount = fragments.reduce(0) { $0 + $1.users.count }
        let credentialCount = fragments.reduce(0) { $0 + $1.credentials.count }
        users.reserveCapacity(userCount)
        userIndex.reserveCapacity(userCount)
        credentials.reserveCapacity(credentialCount)
        ownerLocations.reserveCapacity(credentialCount)
        byKey.reserveCapacity(credentialCount)
        for fragment in fragments { add(fragment) }
        checkScopeUses()
    }

    /// Every scope name that is not VCC's own must be declared in `settings.scopes`, in
    /// any file.
    private mutating func checkScopeUses() {
        let declared = Set((scopes?.value ?? []).map(\.id))
        let known = Scope.builtIn.map(\.rawValue) + declared.sorted()
        for use in scopeUses where !declared.contains(use.value) {
            let close = Suggestion.hint(for: use.value, in: known)
            let hint =
                close.isEmpty
                ? " (one of: \(known.joined(separator: ", "))); a scope VCC added since this release is declared in "
                    + "settings.scopes" : close
            diagnostics.append(.error("unknown scope \(Quoted.of(use.value))\(hint)", at: use.location))
        }
    }

    private mutating func add(_ fragment: ManifestFragment) {
        Self.merge(fragment.account, into: &account, what: "account", diagnostics: &diagnostics)
        Self.merge(fragment.prune, into: &prune, what: "settings.prune", diagnostics: &diagnostics)
        Self.merge(fragment.maxDeletes, into: &maxDeletes, what: "settings.maxDeletes", diagnostics: &diagnostics)
        Self.merge(fragment.recipients, into: &recipients, what: "settings.recipients", diagnostics: &diagnostics)
        Self.merge(fragment.rotate, into: &rotate, what: "settings.rotate", diagnostics: &diagnostics)
        Self.merge(
            fragment.expiryWarning, into: &expiryWarning, what: "settings.expiryWarning", diagnostics: &diagnostics)
        Self.merge(
            fragment.sensitiveScopes, into: &sensitiveScopes, what: "settings.sensitiveScopes",
            diagnostics: &diagnostics)
        Self.merge(fragment.scopes, into: &scopes, what: "settings.scopes", diagnostics: &diagnostics)
        scopeUses += fragment.scopeUses
        Self.merge(fragment.region, into: &region, what: "settings.region", diagnostics: &diagnostics)
        Self.merge(fragment.forbidScopes, into: &forbidScopes, what: "policy.forbidScopes", diagnostics: &diagnostics)
        Self.merge(
            fragment.maxCredentialsPerUser, into: &maxCredentialsPerUser, what: "policy.maxCredentialsPerUser",
            diagnostics: &diagnostics)
        Self.merge(
            fragment.requireDescription, into: &requireDescription, what: "policy.requireDescription",
            diagnostics: &diagnostics)
        Self.merge(fragment.namePattern, into: &namePattern, what: "policy.namePattern", diagnostics: &diagnostics)
        for user in fragment.users {
            let key = user.id
            if let first = userIndex[key] {
                diagnostics.append(
                    .error(
                        "duplicate user \(Quoted.of(user.id)) (first declared at \(users[first].location))",
                        at: user.location))
                continue
            }
            if let login = user.login?.lowercased() {
                if let first = loginIndex[login] {
                    diagnostics.append(
                        .error(
                            "login \(Quoted.of(user.login!)) is also \(Quoted.of(users[first].id))'s (declared at "
                                + "\(users[first].location)); logins are unique, ignoring case",
                            at: user.location))
                } else {
                    loginIndex[login] = users.count
                }
            }
            userIndex[key] = users.count
            users.append(user)
        }
        for entry in fragment.credentials {
            let credential = entry.credential
            if let clientId = credential.clientId {
                let key = clientId
                if let first = byClientId[key] {
                    diagnostics.append(
                        .error(
                            "duplicate credential with clientId \(Quoted.of(clientId)) (first declared at "
                                + "\(credentials[first].location))",
                            at: credential.location))
                    continue
                }
                byClientId[key] = credentials.count
            }
            // Entries pinned by client ID are told apart by it, even when they share a name
            // (an account can hold two credentials of one owner with one name).
            if credential.spec.level == .user && credential.clientId == nil {
                let key = credential.spec.key
                if let first = byKey[key] {
                    diagnostics.append(
                        .error(
                            "duplicate credential \(Quoted.of(key.name)) of owner \(Quoted.of(key.owner ?? "")) "
                                + "(first declared at \(credentials[first].location))",
                            at: credential.location))
                    continue
                }
                byKey[key] = credentials.count
            }
            credentials.append(entry.credential)
            ownerLocations.append(entry.ownerLocation)
        }
    }

    /// Keeps the first value given for a setting; a different value elsewhere is a conflict.
    private static func merge<Value: Equatable>(
        _ value: ManifestFragment.Located<Value>?, into slot: inout ManifestFragment.Located<Value>?, what: String,
        diagnostics: inout [Diagnostic]
    ) {
        guard let value else { return }
        guard let existing = slot else {
            slot = value
            return
        }
        if existing.value != value.value {
            diagnostics.append(
                .error(
                    "\(what) \(describe(value.value)) conflicts with \(describe(existing.value)) given at "
                        + "\(existing.location)",
                    at: value.location))
        }
    }

    private static func describe<Value>(_ value: Value) -> String {
        if let list = value as? [String] { return "[" + list.joined(separator: ", ") + "]" }
        if let list = value as? [ScopeDeclaration] { return "[" + list.map(\.id).joined(separator: ", ") + "]" }
        if let text = value as? String { return "\(Quoted.of(text))" }
        return "\(value)"
    }

    /// The merged manifests, or every problem found.
    mutating func finish(directory: String, files: [String]) throws(DiagnosticsError) -> Desired {
        let declared = Dictionary((scopes?.value ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if !declared.isEmpty {
            for position in credentials.indices {
                credentials[position].spec.scopes = credentials[position].spec.scopes.resolved(with: declared)
            }
            if var sensitive = sensitiveScopes {
                sensitive.value = sensitive.value.resolved(with: declared)
                sensitiveScopes = sensitive
            }
            if var forbidden = forbidScopes {
                for index in forbidden.value.indices {
                    let scope = forbidden.value[index].scope
                    forbidden.value[index].scope = declared[scope.rawValue].map(Scope.init(declared:)) ?? scope
                }
                forbidScopes = forbidden
            }
        }
        for position in credentials.indices {
            guard let owner = credentials[position].spec.owner else { continue }
            guard let index = userIndex[owner] else {
                let hint = Suggestion.hint(for: owner, in: users.map(\.id))
                diagnostics.append(
                    .error(
                        "owner \(Quoted.of(owner)) is not declared as a user in the manifests\(hint)",
                        at: ownerLocations[position] ?? credentials[position].location))
                continue
            }
            if users[index].user == nil && credentials[position].ensure == .present {
                diagnostics.append(
                    .error(
                        "owner \(Quoted.of(owner)) is declared 'ensure: absent' at \(users[index].location), but "
                            + "this credential is present",
                        at: ownerLocations[position] ?? credentials[position].location))
            }
        }
        if account == nil && diagnostics.isEmpty {
            diagnostics.append(
                .error(
                    files.isEmpty
                        ? "no manifests (*.yaml, *.yml) found" : "no manifest declares 'account'",
                    at: SourceLocation(file: directory)))
        }
        guard diagnostics.isEmpty, let account else { throw DiagnosticsError(diagnostics) }
        var settings = Settings(
            prune: prune?.value ?? false, maxDeletes: maxDeletes?.value ?? Settings.defaultMaxDeletes,
            recipients: recipients?.value ?? [], rotate: rotate?.value, expiryWarning: expiryWarning?.value,
            sensitiveScopes: sensitiveScopes?.value, region: region?.value)
        settings.scopes = scopes?.value ?? []
        var desired = Desired(
            account: account.value, accountLocation: account.location, settings: settings, users: users,
            credentials: credentials, files: files)
        desired.guardrails.forbidScopes = forbidScopes?.value ?? []
        desired.guardrails.maxCredentialsPerUser = maxCredentialsPerUser.map {
            Guardrails.Limit(value: $0.value, location: $0.location)
        }
        if let requireDescription, requireDescription.value {
            desired.guardrails.requireDescription = Guardrails.Flag(location: requireDescription.location)
        }
        desired.guardrails.namePattern = namePattern.map {
            Guardrails.NamePattern(pattern: $0.value, location: $0.location)
        }
        return desired
    }
}
