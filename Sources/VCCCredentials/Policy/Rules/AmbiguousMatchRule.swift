/// `ambiguous-match`: a manifest entry that matches more than one credential in the
/// state is refused, never guessed.
public struct AmbiguousMatchRule: PolicyRule {
    public let id = RuleID.ambiguousMatch
    public let refuses = "a manifest entry that matches more than one credential in the state"

    public func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String? {
        let matches = request.facts.ambiguousMatches
        guard matches.count > 1 else { return nil }
        return
            "the entry matches \(matches.count) credentials in the state (\(matches.joined(separator: ", "))); pin "
            + "one with clientId"
    }
}
