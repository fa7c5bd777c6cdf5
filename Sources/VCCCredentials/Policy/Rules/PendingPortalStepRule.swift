/// `pending-portal-step`: a target whose change was handed to the portal and not yet
/// recorded takes no other change, so the state never races a person halfway through
/// a step. Record the step (`record ID --done`, or with the client ID) or abandon it.
public struct PendingPortalStepRule: PolicyRule {
    public let id = RuleID.pendingPortalStep
    public let refuses = """
        any change to a target with an open portal step, or to a credential of a user with an open user step, other \
        than the change the step makes
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        guard let step = request.facts.openPortalStep else { return nil }
        return
            "portal step \(step) is still open for this target; record it (vcc-creds record \(step) ...) or abandon "
            + "it (--abandon --reason ...) first"
    }
}
