/// `export`: manifests for everything the actor can see, so an existing account can be
/// adopted. Planning the output as the same actor shows no changes.
public enum Exporter {
    public static func export(_ state: State, actor actorId: String, statePath: String) throws -> String {
        let users = Dictionary(uniqueKeysWithValues: state.users.map { ($0.id, $0) })
        guard let actor = users[actorId] else {
            throw PlanError.unknownActor(
                actorId, statePath: statePath, suggestion: Suggestion.hint(for: actorId, in: state.users.map(\.id)))
        }
        let visibility = Visibility(actor: actor)
        // A pair in rotation is one entry, its successor's: the predecessor is the
        // state's to delete when the overlap ends, which the plan of the output does.
        let live = Set(state.credentials.compactMap(\.livePredecessor))
        let credentials = state.credentials.filter { visibility.canSee($0) && !live.contains($0.clientId) }.sorted {
            left, right in
            left.key != right.key ? left.key < right.key : left.clientId < right.clientId
        }
        // Credentials that share (owner, name) can only be told apart by client ID.
        var nameCounts: [CredentialKey: Int] = [:]
        for credential in credentials { nameCounts[credential.key, default: 0] += 1 }

        let scalar = YAMLScalarWriter.scalar
        var lines = [
            "# Exported by vcc-creds from \(statePath) as \(actorId): what this user can see.",
            "# Plan it as the same user and nothing changes; then edit it to manage the account.",
            "account: \(scalar(state.account.id))",
        ]
        // The declarations of the scopes not VCC's own that the exported credentials hold.
        var used: Set<String> = []
        for credential in credentials { for scope in credential.scopes.declaredOnly { used.insert(scope.rawValue) } }
        let declarations = state.declaredScopes.filter { used.contains($0.id) }
        if !declarations.isEmpty {
            lines.append("settings:")
            lines.append("  scopes:")
            for declaration in declarations {
                lines.append("    - id: \(scalar(declaration.id))")
                lines.append("      label: \(scalar(declaration.label))")
                lines.append("      unlocks: \(YAMLScalarWriter.list(declaration.unlocks))")
                lines.append("      licenses: \(YAMLScalarWriter.list(declaration.licenses.map(\.rawValue)))")
                if declaration.sensitive { lines.append("      sensitive: true") }
            }
        }
        let visibleUsers = state.users.filter(visibility.canSee).sorted { $0.id < $1.id }
        if !visibleUsers.isEmpty {
            lines.append("users:")
            for user in visibleUsers {
                lines.append("  - id: \(scalar(user.id))")
                lines.append("    name: \(scalar(user.name))")
                lines.append("    license: \(user.license.rawValue)")
            }
        }
        if !credentials.isEmpty {
            lines.append("credentials:")
            for credential in credentials {
                lines.append("  - name: \(scalar(credential.name))")
                if let owner = credential.owner { lines.append("    owner: \(scalar(owner))") }
                if credential.level == .account { lines.append("    level: account") }
                if credential.level == .account || nameCounts[credential.key, default: 0] > 1 {
                    lines.append("    clientId: \(credential.clientId)")
                }
                lines.append("    scopes: \(YAMLScalarWriter.list(credential.scopes.identifiers))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
