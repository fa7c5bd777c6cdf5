/// A probe report read back (``ProbeReport/json()`` wrote it), for `plan --probe-report`:
/// what VCC said of each credential, by client ID. Every key the writer writes is checked;
/// a report of another account or state lineage is refused.
public struct ProbeReportFile: Sendable {
    public var account: String
    public var lineage: String
    public var serial: Int
    /// Client IDs VCC no longer authenticates.
    public var rejected: Set<String>
    /// Scope names VCC refused, and those it gave beyond the declared ones, by client ID.
    public var missing: [String: [String]]
    public var excess: [String: [String]]

    /// Largest report read: far beyond a quarter of a million credentials' findings.
    public static let maxBytes = 256 * 1024 * 1024

    private static let keys = [
        "account", "credentials", "excessChecked", "formatVersion", "lineage", "probedAt", "requests",
        "secondsWaited", "serial", "summary",
    ]
    private static let credentialKeys = [
        "clientId", "excess", "held", "level", "missing", "name", "owner", "reason", "status",
    ]

    public static func read(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> ProbeReportFile {
        var input = try JSONInput(parsing: bytes, file: file)
        let root = input.document.root
        var report = ProbeReportFile(account: "", lineage: "", serial: 0, rejected: [], missing: [:], excess: [:])
        if let fields = input.object(root, "probe report", keys: keys, required: keys) {
            if let version = input.int(fields["formatVersion"], "formatVersion", minimum: 1, maximum: 1) {
                _ = version
            }
            report.account = input.string(fields["account"], "account") ?? ""
            report.lineage = input.string(fields["lineage"], "lineage") ?? ""
            report.serial = input.int(fields["serial"], "serial") ?? 0
            for item in input.array(fields["credentials"], "credentials") ?? [] {
                guard
                    let credential = input.object(
                        item, "credential", keys: credentialKeys,
                        required: ["clientId", "held", "level", "missing", "name", "status"]),
                    let clientId = input.string(credential["clientId"], "clientId"),
                    let status = input.string(credential["status"], "status")
                else { continue }
                func names(_ key: String) -> [String] {
                    (input.array(credential[key], key) ?? []).compactMap { value in
                        guard let name = input.string(value, "scope") else { return nil }
                        if let problem = ScopeDeclaration.identifierProblem(name) {
                            input.error("scope \(Quoted.of(name)) \(problem)", at: value.offset)
                            return nil
                        }
                        return name
                    }
                }
                switch status {
                case "rejected": report.rejected.insert(clientId)
                case "alive", "unchecked": break
                default:
                    input.error(
                        "status \(Quoted.of(status)) is not alive, rejected or unchecked",
                        at: credential["status"]?.offset ?? item.offset)
                }
                let missing = names("missing")
                if !missing.isEmpty { report.missing[clientId] = missing }
                if credential["excess"] != nil {
                    let excess = names("excess")
                    if !excess.isEmpty { report.excess[clientId] = excess }
                }
            }
        }
        guard !input.hasProblems else { throw DiagnosticsError(input.diagnostics()) }
        return report
    }

    /// `state` as VCC has its credentials, in memory, for a plan to be made against:
    /// a rejected credential gone, each other's scopes those VCC gave a token for. Also
    /// one warning a credential, saying what was taken in. Credentials the report does
    /// not know (made since it was) are as the state says.
    public func applied(to state: State, path: String) throws -> (state: State, notes: [Diagnostic]) {
        guard account == state.account.id, lineage == state.lineage else {
            throw ProbeError.reportOfAnotherState(
                path: path,
                why: "it is of account \(Quoted.of(account)), lineage \(lineage); the state is of account "
                    + "\(Quoted.of(state.account.id)), lineage \(state.lineage)")
        }
        let location = SourceLocation(file: path)
        var notes: [Diagnostic] = []
        if serial != state.serial {
            notes.append(
                .warning(
                    "the probe was of state serial \(serial); the state is at serial \(state.serial): what changed "
                        + "since is as the state says",
                    at: location))
        }
        let declared = Dictionary(state.declaredScopes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func scope(_ name: String) -> Scope? {
            Scope(builtIn: name) ?? declared[name].map(Scope.init(declared:))
        }
        var adjusted = state
        adjusted.credentials = state.credentials.compactMap { credential in
            let address = "\(CredentialAddress(credential)) (\(credential.clientId))"
            if rejected.contains(credential.clientId) {
                notes.append(
                    .warning(
                        "credential \(Printable.escaped(address)): VCC no longer authenticates it; planned as gone",
                        at: location))
                return nil
            }
            let lacking = ScopeSet((missing[credential.clientId] ?? []).compactMap(scope))
            let beyond = ScopeSet((excess[credential.clientId] ?? []).compactMap(scope))
            guard !lacking.isEmpty || !beyond.isEmpty else { return credential }
            var changed = credential
            changed.scopes = credential.scopes.subtracting(lacking).union(beyond)
            notes.append(
                .warning(
                    "credential \(Printable.escaped(address)): VCC has its scopes as \(changed.scopes); planned from "
                        + "there",
                    at: location))
            return changed
        }
        return (adjusted, notes)
    }
}
