/// `depends-on-refused-change`: a change that needs another change of the plan that
/// was refused (a user deletion after its credentials' deletions, a credential after
/// its owner's upgrade) is refused too.
public struct DependsOnRefusedChangeRule: PolicyRule {
    public let id = RuleID.dependsOnRefusedChange
    public let refuses = """
        a change that needs another change of the plan that was refused (or that `--exclude` leaves out)
        """

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let refused = request.facts.refusedPrerequisites
        guard !refused.isEmpty else { return nil }
        return
            "needs \(refused.map(\.description).joined(separator: ", ")), which "
            + "\(refused.count == 1 ? "was" : "were") refused"
    }
}
