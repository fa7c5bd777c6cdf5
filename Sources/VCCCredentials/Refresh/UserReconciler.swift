/// Matches VCC's users to the state's and works out the drift: pure, so the same
/// answer from VCC always gives the same report and the same next state.
public enum UserReconciler {
    /// What a refresh finds.
    public struct Outcome: Sendable {
        /// The state's users as VCC has them (kept users included), in the state's order
        /// with adopted users after.
        public var users: [User]
        public var drift: [UserDrift]
        /// VCC ids learnt for users the state already had, without other drift.
        public var linked: Int
        /// VCC users not adopted, and why.
        public var skipped: [Diagnostic]
        /// VCC users read, Vonage's own left out.
        public var observed: Int
    }

    /// A state user is matched to VCC's by the VCC id refresh remembered, else by
    /// username, case-insensitively (an active user before an archived one of the same
    /// name). `NvmAdmin` users are Vonage's: never matched, shown or adopted.
    public static func reconcile(state: State, remote: [RemoteUser]) -> Outcome {
        let managed = remote.filter { $0.role != .vonage }
        var byId: [String: Int] = [:]
        var byUsername: [String: Int] = [:]
        for (index, user) in managed.enumerated() {
            byId[user.userId] = byId[user.userId] ?? index
            let key = user.username.lowercased()
            if let other = byUsername[key], managed[other].active || !user.active { continue }
            byUsername[key] = index
        }
        var owned: [String: Int] = [:]
        for credential in state.credentials { if let owner = credential.owner { owned[owner, default: 0] += 1 } }

        var claimed = Set<Int>()
        var users: [User] = []
        var drift: [UserDrift] = []
        var linked = 0
        /// A user VCC lacks or archived: reported, and kept while they own credentials.
        func gone(_ user: User, _ kind: UserDrift.Kind, remote: RemoteUser?) {
            let kept = owned[user.id, default: 0]
            drift.append(UserDrift(user: user.id, kind: kind, remote: remote, ownedCredentials: kept))
            if kept > 0 { users.append(user) }
        }
        for user in state.users {
            let match = user.vccUserId.flatMap { byId[$0] } ?? byUsername[user.id.lowercased()]
            guard let index = match, !claimed.contains(index) else {
                gone(user, .missing, remote: nil)
                continue
            }
            claimed.insert(index)
            let observed = managed[index]
            guard observed.active, case .license(let license) = observed.role else {
                gone(user, .archived, remote: observed)
                continue
            }
            var next = user
            var changed = false
            if license != user.license {
                drift.append(
                    UserDrift(user: user.id, kind: .licenseChanged(from: user.license, to: license), remote: observed))
                next.license = license
                changed = true
            }
            if let name = usableName(observed), name != user.name {
                drift.append(
                    UserDrift(user: user.id, kind: .renamed(from: user.name, to: name), remote: observed))
                next.name = name
                changed = true
            }
            if let email = usableEmail(observed), email != user.email {
                drift.append(
                    UserDrift(user: user.id, kind: .emailChanged(from: user.email, to: email), remote: observed))
                next.email = email
                changed = true
            }
            if next.vccUserId != observed.userId {
                next.vccUserId = observed.userId
                if !changed { linked += 1 }
            }
            users.append(next)
        }
        var skipped: [Diagnostic] = []
        var taken = Set(users.map { $0.id.lowercased() })
        var adopted: [User] = []
        for (index, observed) in managed.enumerated() where !claimed.contains(index) && observed.active {
            guard case .license(let license) = observed.role else { continue }
            if let problem = Identifiers.userIdProblem(observed.username) {
                skipped.append(.warning("VCC user \(observed.userId) not adopted: \(problem)"))
                continue
            }
            guard taken.insert(observed.username.lowercased()).inserted else { continue }
            adopted.append(
                User(
                    id: observed.username, name: usableName(observed) ?? observed.username, license: license,
                    email: usableEmail(observed), vccUserId: observed.userId))
            drift.append(UserDrift(user: observed.username, kind: .created, remote: observed))
        }
        adopted.sort { $0.id < $1.id }
        drift.sort { ($0.user, $0.kind.name) < ($1.user, $1.kind.name) }
        return Outcome(
            users: users + adopted, drift: drift, linked: linked, skipped: skipped, observed: managed.count)
    }

    /// VCC's name for the user when the state could hold it (a name the manifests would
    /// accept), else nil: the state's stays.
    static func usableName(_ user: RemoteUser) -> String? {
        Identifiers.nameProblem(user.name, what: "user name") == nil ? user.name : nil
    }

    /// VCC's email for the user when it is one the state accepts, else nil.
    static func usableEmail(_ user: RemoteUser) -> String? {
        user.email.flatMap { Identifiers.emailProblem($0) == nil ? $0 : nil }
    }
}
