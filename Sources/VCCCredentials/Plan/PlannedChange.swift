/// A change as the plan-wide facts see it: what it does, to what. Both undecided
/// changes (while facts are gathered) and decided ones have this shape.
protocol PlannedChange {
    var id: ChangeID { get }
    var action: Action { get }
    var subject: ChangeSubject { get }
}

extension Change: PlannedChange {}
