/// The state, indexed for matching: users by id, credentials by client ID, by
/// (level, owner, name) and by owner.
struct StateIndex: Sendable {
    let usersById: [String: User]
    let credentialsByClientId: PositionIndex<String>
    let credentialsByKey: PositionIndex<CredentialKey>
    let credentialsByOwner: PositionIndex<String>
    let admins: [String]

    init(_ state: State) {
        var users: [String: User] = [:]
        users.reserveCapacity(state.users.count)
        for user in state.users { users[user.id] = user }
        usersById = users
        let count = state.credentials.count
        var byClientId = PositionIndex<String>(count: count)
        var byKey = PositionIndex<CredentialKey>(count: count)
        var byOwner = PositionIndex<String>(count: count)
        for position in state.credentials.indices {
            byClientId.insert(position, for: state.credentials[position].clientId)
            guard state.credentials[position].level == .user, let owner = state.credentials[position].owner else {
                continue
            }
            byKey.insert(position, for: state.credentials[position].key)
            byOwner.insert(position, for: owner)
        }
        credentialsByClientId = byClientId
        credentialsByKey = byKey
        credentialsByOwner = byOwner
        admins = state.users.filter { $0.license == .admin }.map(\.id).sorted()
    }
}
