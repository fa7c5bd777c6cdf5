/// One rule of the product documentation, named by its stable id. A rule answers with
/// the reason it refuses a change, or nil.
public protocol PolicyRule: Sendable {
    var id: RuleID { get }
    /// What the rule refuses, in one line: the list of rules in docs/reference/rules.md is
    /// made from it, so the docs cannot drift from the code.
    var refuses: String { get }
    func refusal(of request: PolicyRequest, by actor: PolicyActor) -> String?
}

extension PolicyRequest {
    var isCredentialChange: Bool { subject.kind == .credential }

    var credentialLevel: CredentialLevel? {
        if case .credential(let target, _, _) = subject { return target.level }
        return nil
    }

    /// Scopes the change gives that the credential did not have before.
    var grantedScopes: ScopeSet {
        guard case .credential(_, let before, let after?) = subject else { return [] }
        return after.scopes.subtracting(before?.scopes ?? [])
    }

    /// The licence before and after, for a user update that changes it.
    var licenseChange: (from: License, to: License)? { subject.licenseChange }

    /// True when the change takes an admin licence away (deletion or downgrade).
    var removesAdmin: Bool {
        guard case .user(_, let before?, let after) = subject, before.license == .admin else { return false }
        return after == nil || after?.license != .admin
    }

    /// "create", "edit" or "delete", for reasons.
    var verb: String {
        switch action {
        case .create: return "create"
        case .update: return "edit"
        case .delete: return "delete"
        }
    }
}
