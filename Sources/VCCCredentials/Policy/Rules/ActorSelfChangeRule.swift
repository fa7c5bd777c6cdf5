/// `actor-self-change`: a run may not delete or demote the user it acts as. The rest of
/// the plan is decided by the rights the actor has when the run starts; giving them up
/// part way would let it keep acting with rights it no longer holds, which VCC never
/// allows. Another admin applies it.
public struct ActorSelfChangeRule: PolicyRule {
    public let id = RuleID.actorSelfChange

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard actor.ownsTarget, case .user(_, let before?, let after) = request.subject else { return nil }
        guard let after else { return "a run may not delete the user it acts as" }
        guard after.license.rank < before.license.rank else { return nil }
        return "a run may not demote the user it acts as (\(before.license.withArticle) to \(after.license.withArticle))"
    }
}
