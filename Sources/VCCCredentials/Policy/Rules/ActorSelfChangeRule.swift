/// `actor-self-change`: a run may not delete or demote a user it acts as, whichever of
/// its actors would make the change. The rest of the plan is decided by the rights the
/// actors have when the run starts; giving them up part way would let it keep acting
/// with rights it no longer holds, which VCC never allows. Another admin applies it, in
/// a run that does not act as that user.
public struct ActorSelfChangeRule: PolicyRule {
    public let id = RuleID.actorSelfChange
    public let refuses = "deleting or demoting a user the run acts as (another admin can apply it)"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard actor.ownsTarget || request.facts.targetIsActor, case .user(_, let before?, let after) = request.subject
        else { return nil }
        guard let after else { return "a run may not delete the user it acts as" }
        guard after.license.rank < before.license.rank else { return nil }
        return
            "a run may not demote the user it acts as (\(before.license.withArticle) to \(after.license.withArticle))"
    }
}
