/// One decided change of a plan.
public struct Change: DecidedChange, Sendable, Hashable, Identifiable {
    /// Stable within a plan: `user:ID`, `credential:CLIENT-ID`, or `credential:OWNER/NAME`
    /// for a credential that has no client ID yet.
    public var id: ChangeID
    public var action: Action
    public var subject: ChangeSubject
    public var decision: Decision
    /// Ids of earlier changes this one needs.
    public var dependsOn: [ChangeID]
    /// The manifest entry the change comes from (nil for a prune's deletion): where a
    /// refusal tells the user to look.
    public var location: SourceLocation?
    /// Set when time makes the change (rotation, expiry); nil for an edit of the manifests.
    public var lifecycle: Lifecycle?

    public init(
        id: ChangeID, action: Action, subject: ChangeSubject, decision: Decision, dependsOn: [ChangeID] = [],
        location: SourceLocation? = nil, lifecycle: Lifecycle? = nil
    ) {
        self.id = id
        self.action = action
        self.subject = subject
        self.decision = decision
        self.dependsOn = dependsOn
        self.location = location
        self.lifecycle = lifecycle
    }

    /// A permitted credential create: apply mints its client ID and secret, so it needs
    /// a recipient to seal for.
    public var mintsSecret: Bool { decision.isPermitted && action == .create && subject.kind == .credential }

    /// The fields this change sets, from -> to. Creates show every field from nothing,
    /// deletes every field to nothing.
    public var diff: [FieldDiff] {
        switch subject {
        case .user(_, let before, let after):
            return [
                FieldDiff.between("name", before.map { .text($0.name) }, after.map { .text($0.name) }),
                FieldDiff.between(
                    "license", before.map { .text($0.license.rawValue) }, after.map { .text($0.license.rawValue) }),
                FieldDiff.between("email", before?.email.map { .text($0) }, after?.email.map { .text($0) }),
            ].compactMap { $0 }
        case .credential(_, let before, let after):
            let old = before?.spec
            var fields: [FieldDiff?] = [
                FieldDiff.between("name", old.map { .text($0.name) }, after.map { .text($0.name) })
            ]
            if action != .update {
                fields.append(
                    FieldDiff.between(
                        "level", old.map { .text($0.level.rawValue) }, after.map { .text($0.level.rawValue) }))
                fields.append(FieldDiff.between("owner", old?.owner.map { .text($0) }, after?.owner.map { .text($0) }))
            }
            fields.append(
                FieldDiff.between(
                    "scopes", old.map { .list($0.scopes.identifiers) }, after.map { .list($0.scopes.identifiers) }))
            return fields.compactMap { $0 }
        }
    }
}
