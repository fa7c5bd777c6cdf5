/// `depends-on-refused-change`: a change that needs another change of the plan that
/// was refused (a user deletion after its credentials' deletions, a credential after
/// its owner's upgrade) is refused too.
public struct DependsOnRefusedChangeRule: PolicyRule {
    public let id = RuleID.dependsOnRefusedChange
    public let refuses = """
        a change that needs another change of the plan that was refused (or that `--exclude` leaves out)
        """

    /// Its refusal of a change a targeted plan keeps while `--exclude` leaves out the
    /// change it needs (decided after the policy, on the part kept).
    static func excluded(_ missing: ChangeID) -> Decision {
        .refused(
            rule: .dependsOnRefusedChange, reason: "needs \(missing), which --exclude leaves out of this plan",
            appliableBy: [])
    }

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let refused = request.facts.refusedPrerequisites
        guard !refused.isEmpty else { return nil }
        return
            "needs \(refused.map(\.description).joined(separator: ", ")), which "
            + "\(refused.count == 1 ? "was" : "were") refused"
    }
}
