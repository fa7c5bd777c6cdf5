/// Why no plan could be made: the inputs contradict each other. Exit 1, nothing written.
public enum PlanError: Error, Sendable {
    case accountMismatch(manifests: String, at: SourceLocation, state: String, statePath: String)
    case unknownActor(String, statePath: String, suggestion: String)
    /// No `--as` (nor `VCC_CREDS_AS`): a run acts as at least one user.
    case noActor
    /// A user-level entry pins a client ID the state does not have.
    case clientIdNotFound(clientId: String, at: SourceLocation, statePath: String)
    /// A pinned entry disagrees with the state on a field that never changes.
    case immutableField(field: String, clientId: String, state: String, manifest: String, at: SourceLocation)
    /// Two entries name the two credentials of one rotation (or one twice, through a pin
    /// that follows a rotation).
    case rotationNamedTwice(clientId: String, successor: String, at: SourceLocation)
    /// A rotation's successor would be created under the same id as another change of
    /// the plan (two account-level credentials of one name migrating to one admin).
    case successorCollides(id: ChangeID, at: SourceLocation?, other: SourceLocation?)
    /// `--target` or `--exclude` names no change of the plan.
    case targetMatchesNothing(String, excluded: Bool)
    /// `rotate CREDENTIAL` names no manifest entry the actors can see.
    case rotationTargetNotFound(String, suggestion: String)
    /// `rotate CREDENTIAL` names a credential that cannot rotate now.
    case cannotRotate(String, reason: String, at: SourceLocation)

    public var diagnostics: [Diagnostic] {
        switch self {
        case .accountMismatch(let manifests, let location, let state, let statePath):
            return [
                .error(
                    "manifests are for account \(Quoted.of(manifests)), but \(statePath) is account "
                        + "\(Quoted.of(state)); nothing was planned",
                    at: location)
            ]
        case .unknownActor(let actor, let statePath, let suggestion):
            return [.error("--as \(actor): not a user in \(statePath)\(suggestion)")]
        case .noActor:
            return [.error("--as: no user to act as; give --as USER (repeatable) or set VCC_CREDS_AS")]
        case .clientIdNotFound(let clientId, let location, let statePath):
            return [
                .error(
                    "clientId \(Quoted.of(clientId)) is not in \(statePath); remove clientId to create a new "
                        + "credential",
                    at: location)
            ]
        case .immutableField(let field, let clientId, let state, let manifest, let location):
            return [
                .error(
                    "credential \(clientId) has \(field) \(Quoted.of(state)) in the state, not "
                        + "\(Quoted.of(manifest)); \(field) cannot change (delete it and create a new one)",
                    at: location)
            ]
        case .rotationNamedTwice(let clientId, let successor, let location):
            return [
                .error(
                    "clientId \(clientId) is now credential \(successor) (a rotation), which another entry already "
                        + "names; keep one entry, pinned to \(successor)",
                    at: location)
            ]
        case .successorCollides(let id, let location, let other):
            let name: String
            switch id {
            case .unminted(let address): name = address.description
            case .credential(let clientId): name = clientId
            case .user(let user): name = user
            }
            let elsewhere = other.map { " (the entry at \($0))" } ?? ""
            let message =
                "the rotation of this entry would create credential \(name), which another change of the "
                + "plan\(elsewhere) creates too; rename one of them"
            return [location.map { .error(message, at: $0) } ?? .error(message)]
        case .targetMatchesNothing(let selector, let excluded):
            return [
                .error(
                    "\(excluded ? "--exclude" : "--target") \(selector): no change of the plan has that id or "
                        + "OWNER/NAME (ids are as the JSON plan writes them: \(ChangeID.spellings))"
                )
            ]
        case .rotationTargetNotFound(let credential, let suggestion):
            return [
                .error(
                    "rotate \(credential): no credential entry of the manifests by that OWNER/NAME or client ID that "
                        + "the actors can see\(suggestion)"
                )
            ]
        case .cannotRotate(let credential, let reason, let location):
            return [.error("rotate \(credential): \(reason)", at: location)]
        }
    }
}
