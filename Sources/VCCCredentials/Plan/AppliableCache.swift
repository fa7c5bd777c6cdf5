/// Who could apply each change once its prerequisites are in place: the users
/// ``Policy`` permits, or nobody when a prerequisite itself can be applied by nobody.
/// Computed only for the changes that ask (refused ones and their prerequisites).
struct AppliableCache {
    let draft: Draft
    let requests: [PolicyRequest]
    let dependencies: [[ChangeID]]
    let position: [ChangeID: Int]
    /// Users as the plan's creates and upgrades leave them: who can act once those are applied.
    let plannedUsers: [String: User]
    private var cache: [Int: [String]] = [:]
    /// How many of the plan's deletions a candidate would be permitted, guard aside, by
    /// candidate id ("" for any admin).
    private var deletionsByCandidate: [String: Int] = [:]

    init(draft: Draft, requests: [PolicyRequest], dependencies: [[ChangeID]], position: [ChangeID: Int]) {
        self.draft = draft
        self.requests = requests
        self.dependencies = dependencies
        self.position = position
        var planned: [String: User] = [:]
        for change in draft.userChanges {
            if case .user(let id, let before, let after?) = change.subject,
                before.map({ after.license.rank >= $0.license.rank }) ?? true
            {
                planned[id] = after
            }
        }
        plannedUsers = planned
    }

    mutating func users(for offset: Int) -> [String] {
        if let known = cache[offset] { return known }
        var result: [String] = []
        if dependencies[offset].allSatisfy({ !users(for: position[$0]!).isEmpty }) {
            result = appliability(for: offset).users
        }
        cache[offset] = result
        return result
    }

    /// For a change nobody can apply: those who otherwise could (its owner, the admins)
    /// that a rule of the change itself refuses, each with that rule, less those whose
    /// refusal is the one `shown` already (an admin's run needs no "admins are refused
    /// too"). Empty when they are stopped only by a prerequisite, whose own line says why.
    /// About the shown change only, decided on the actors' view like `users(for:)`.
    mutating func alsoRefused(for offset: Int, besides shown: Policy.Refusal) -> [RefusedCandidate] {
        appliability(for: offset).refused.filter { $0.rule != shown.rule || $0.reason != shown.reason }
    }

    /// ``Policy/appliability(_:owner:admins:permittedDeletions:)`` of one change.
    private mutating func appliability(for offset: Int) -> Policy.Appliability {
        let request = requests[offset]
        // A credential's owner as the plan leaves it; a user as the state has it (a
        // user the plan creates cannot apply its own creation).
        let owner: User?
        if case .user(let id, _, _) = request.subject {
            owner = draft.index.usersById[id]
        } else {
            owner = request.subject.owner.flatMap { plannedUsers[$0] ?? draft.index.usersById[$0] }
        }
        let deletions =
            request.action == .delete
            ? (owner: owner.map { permittedDeletions(for: $0) } ?? 0, admin: permittedDeletions(for: nil)) : nil
        return Policy.appliability(request, owner: owner, admins: draft.index.admins, permittedDeletions: deletions)
    }

    /// The plan's deletions `candidate` (nil: any admin) would be permitted by every
    /// rule but the delete guard: what the guard would count if it applied the plan.
    private mutating func permittedDeletions(for candidate: User?) -> Int {
        let key = candidate?.id ?? ""
        if let known = deletionsByCandidate[key] { return known }
        var count = 0
        for request in requests where request.action == .delete {
            var unguarded = request
            unguarded.facts.permittedDeletions = 0
            unguarded.facts.refusedPrerequisites = []
            unguarded.facts.targetIsActor = false
            let actor = PolicyActor(
                license: candidate?.license ?? .admin,
                ownsTarget: candidate.map { request.subject.ownerOrUser == $0.id } ?? false)
            if Policy.decide(unguarded, as: actor) == nil { count += 1 }
        }
        deletionsByCandidate[key] = count
        return count
    }
}
