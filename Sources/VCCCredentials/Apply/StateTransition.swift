/// The new state: the old one with the applied changes made, in plan order. Pure; the
/// secrets never enter it, only their digests.
enum StateTransition {
    static func apply(
        _ changes: [Change], to state: State, minted: [ChangeID: MintedCredential], now: Timestamp
    ) -> State {
        var next = state
        next.serial = state.serial + 1
        var userPositions: [String: Int] = [:]
        var credentialPositions: [String: Int] = [:]
        if changes.contains(where: { $0.subject.kind == .user }) {
            for (position, user) in state.users.enumerated() { userPositions[user.id] = position }
        }
        if changes.contains(where: { $0.subject.kind == .credential && $0.action != .create }) {
            credentialPositions.reserveCapacity(state.credentials.count)
            for (position, credential) in state.credentials.enumerated() {
                credentialPositions[credential.clientId] = position
            }
        }
        var removedUsers = Set<Int>()
        var removedCredentials = Set<Int>()
        for change in changes {
            switch change.subject {
            case .user(let id, _, let after):
                if let position = userPositions[id] {
                    if let after {
                        next.users[position] = after.keeping(observedFrom: next.users[position])
                    } else {
                        removedUsers.insert(position)
                    }
                } else if let after {
                    next.users.append(after)
                }
            case .credential(let target, _, let after):
                switch change.action {
                case .create:
                    guard let new = minted[change.id] else { continue }
                    var credential = Credential(
                        clientId: new.clientId, name: new.spec.name, level: new.spec.level, owner: new.spec.owner,
                        scopes: new.spec.scopes, secretSha256: new.secret.sha256, createdAt: now,
                        createdBy: change.decision.actor ?? "", updatedAt: now)
                    if case .rotation(let predecessor, let overlap, _, _)? = change.lifecycle {
                        credential.succeed(predecessor, in: state, overlap: overlap, from: now)
                    }
                    next.credentials.append(credential)
                case .update:
                    guard let clientId = target.clientId, let after,
                        let position = credentialPositions[clientId]
                    else { continue }
                    next.credentials[position].name = after.name
                    next.credentials[position].scopes = after.scopes
                    next.credentials[position].updatedAt = now
                case .delete:
                    if let clientId = target.clientId, let position = credentialPositions[clientId] {
                        removedCredentials.insert(position)
                    }
                }
            }
        }
        if !removedUsers.isEmpty {
            next.users = next.users.enumerated().filter { !removedUsers.contains($0.offset) }.map(\.element)
        }
        if !removedCredentials.isEmpty {
            let removed = Set(removedCredentials.map { next.credentials[$0].clientId })
            next.credentials = next.credentials.enumerated().filter { !removedCredentials.contains($0.offset) }.map(
                \.element)
            next.endOverlaps(with: removed)
        }
        return next
    }
}
