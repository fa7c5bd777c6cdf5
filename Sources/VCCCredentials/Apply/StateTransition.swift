/// The new state: the old one with the applied changes made, in plan order. Pure; the
/// secrets never enter it, only their digests.
enum StateTransition {
    static func apply(
        _ changes: [Change], to state: State, minted: [String: MintedCredential], actor: String, now: Timestamp
    ) -> State {
        var users = Dictionary(uniqueKeysWithValues: state.users.map { ($0.id, $0) })
        var credentials = Dictionary(uniqueKeysWithValues: state.credentials.map { ($0.clientId, $0) })
        for change in changes {
            switch change.subject {
            case .user(let id, _, let after):
                users[id] = after
            case .credential(let target, _, let after):
                switch change.action {
                case .create:
                    guard let new = minted[change.id] else { continue }
                    credentials[new.clientId] = Credential(
                        clientId: new.clientId, name: new.spec.name, level: new.spec.level, owner: new.spec.owner,
                        scopes: new.spec.scopes, secretSha256: new.secret.sha256, createdAt: now, createdBy: actor,
                        updatedAt: now)
                case .update:
                    guard let clientId = target.clientId, let after, var current = credentials[clientId] else { continue }
                    current.name = after.name
                    current.scopes = after.scopes
                    current.updatedAt = now
                    credentials[clientId] = current
                case .delete:
                    if let clientId = target.clientId { credentials[clientId] = nil }
                }
            }
        }
        var next = state
        next.serial = state.serial + 1
        next.users = Array(users.values)
        next.credentials = Array(credentials.values)
        return next.sorted()
    }
}
