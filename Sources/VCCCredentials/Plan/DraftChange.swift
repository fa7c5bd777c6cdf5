/// A change before it is ordered and decided.
struct DraftChange: PlannedChange {
    var id: String
    var action: Action
    var subject: ChangeSubject
    var ambiguousMatches: [String] = []
}
