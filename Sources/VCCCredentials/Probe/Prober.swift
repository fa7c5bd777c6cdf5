import AgeEncryption

/// `probe`: asks VCC's token endpoint about every credential whose current secret a key
/// opens. For each declared scope a token is requested and dropped unread: `invalid_client`
/// says the credential no longer authenticates, `invalid_scope` that it lacks the scope.
/// With `excess`, each other scope its owner's licence could grant is asked for too.
/// Reads the state and the sealed files; writes nothing.
public struct Prober: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public func probe(_ options: ProbeOptions, connection: VCCConnection) async throws -> ProbeReport {
        let statePath = try PathDefaults.requiredState(options.statePath, variables: environment.variables)
        let loaded = try StateStore(environment: environment).load(statePath)
        let state = loaded.state
        let credentials = try Self.select(options.targets, in: state, statePath: statePath)
        // Credentials an open step changes: VCC may be part way there, so no verdict.
        var awaiting: Set<String> = []
        for step in state.pending {
            if case .credential(let target, _, _) = step.subject, let clientId = target.clientId {
                awaiting.insert(clientId)
            }
        }
        let identities = try Unsealer(fileSystem: environment.fileSystem).identities(from: options.identityFile)
        var secrets = try SealedSecretLocator(fileSystem: environment.fileSystem, identities: identities).locate(
            credentials, account: state.account.id, sealedDir: options.sealedDir, bundles: options.bundles)
        defer { secrets.removeAll() }
        let declared = state.declaredScopes.map(Scope.init(declared:))
        var findings: [ProbeFinding] = []
        var checks: [(credential: Credential, secret: [UInt8], grantable: ScopeSet)] = []
        for credential in credentials {
            if credential.secretSha256 == nil {
                findings.append(ProbeFinding(credential: credential, status: .unchecked(.secretNotHeld)))
            } else if awaiting.contains(credential.clientId) {
                findings.append(ProbeFinding(credential: credential, status: .unchecked(.awaitingStep)))
            } else if let secret = secrets.removeValue(forKey: credential.clientId) {
                let license = credential.owner.flatMap { owner in state.users.first { $0.id == owner }?.license }
                // An account-level credential, or one whose owner left the state: an admin's.
                // VCC's own scopes, and those the state declares, that the licence may grant.
                let grantable = LicenseCapabilities.grantableScopes(license ?? .admin).union(
                    ScopeSet(declared.filter { LicenseCapabilities.mayGrant($0, license ?? .admin) }))
                checks.append((credential, secret, options.excess ? grantable : []))
            } else {
                findings.append(ProbeFinding(credential: credential, status: .unchecked(.noFileOpens)))
            }
        }
        let limit = max(1, options.concurrency)
        try await withThrowingTaskGroup(of: ProbeFinding.self) { group in
            var next = 0
            while next < checks.count && next < limit {
                let check = checks[next]
                group.addTask { try await Self.check(check.credential, check.secret, check.grantable, connection) }
                next += 1
            }
            while let finding = try await group.next() {
                findings.append(finding)
                if next < checks.count {
                    let check = checks[next]
                    group.addTask { try await Self.check(check.credential, check.secret, check.grantable, connection) }
                    next += 1
                }
            }
        }
        checks.removeAll()
        findings.sort { ($0.credential.key, $0.credential.clientId) < ($1.credential.key, $1.credential.clientId) }
        return ProbeReport(
            account: state.account.id, lineage: state.lineage, serial: state.serial, findings: findings,
            excessChecked: options.excess, requests: await connection.requestsSent,
            secondsWaited: await connection.secondsWaited, probedAt: Timestamp(environment.clock.now()))
    }

    /// One credential: its declared scopes in order (the first answer says whether it
    /// authenticates at all), then, for `others`, each scope it was not given.
    private static func check(
        _ credential: Credential, _ secret: [UInt8], _ others: ScopeSet, _ connection: VCCConnection
    ) async throws(RemoteError) -> ProbeFinding {
        var finding = ProbeFinding(credential: credential, status: .alive)
        for scope in credential.scopes {
            switch try await connection.verdict(clientId: credential.clientId, secret: secret, scope: scope.rawValue) {
            case .granted: finding.held.insert(scope)
            case .invalidScope: finding.missing.insert(scope)
            case .invalidClient:
                finding.status = .rejected
                finding.held = []
                finding.missing = []
                return finding
            }
        }
        for scope in others.subtracting(credential.scopes) {
            switch try await connection.verdict(clientId: credential.clientId, secret: secret, scope: scope.rawValue) {
            case .granted: finding.excess.insert(scope)
            case .invalidScope: break
            case .invalidClient:
                // Deleted while it was being asked about.
                finding.status = .rejected
                finding.held = []
                finding.missing = []
                finding.excess = []
                return finding
            }
        }
        return finding
    }

    /// The credentials `targets` name (all of the state's when empty), each once.
    static func select(_ targets: [String], in state: State, statePath: String) throws -> [Credential] {
        guard !targets.isEmpty else { return state.credentials }
        var chosen: [String: Credential] = [:]
        for target in targets {
            let text = target.hasPrefix("credential:") ? String(target.dropFirst("credential:".count)) : target
            let matches = state.credentials.filter { credential in
                if credential.clientId == text.lowercased() { return true }
                guard let address = CredentialAddress(text) else { return false }
                return CredentialAddress(credential) == address
            }
            guard !matches.isEmpty else { throw ProbeError.unknownTarget(target, statePath: statePath) }
            for credential in matches { chosen[credential.clientId] = credential }
        }
        return state.credentials.filter { chosen[$0.clientId] != nil }
    }
}
