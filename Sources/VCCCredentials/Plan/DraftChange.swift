/// A change before it is ordered and decided.
struct DraftChange: PlannedChange {
    var id: ChangeID
    var action: Action
    var subject: ChangeSubject
    var ambiguousMatches: [String] = []
    /// The open portal step on the change's target (or its owner), if any.
    var openStep: ChangeID?
    /// The manifest entry the change comes from; nil for a prune's deletion.
    var location: SourceLocation?
    /// Set when time makes the change: a rotation's successor, its predecessor's
    /// deletion, an expiry.
    var lifecycle: Lifecycle?
    /// A change of the same plan this one needs first: the successor a zero-overlap
    /// rotation deletes its predecessor after.
    var prerequisite: ChangeID?
    /// The change's manifest entry has a `description:` (for `policy.requireDescription`).
    var described = false
}
