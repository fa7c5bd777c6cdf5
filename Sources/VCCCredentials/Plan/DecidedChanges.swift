/// A change with its decision, as a plan or a plan document holds it.
public protocol DecidedChange {
    var action: Action { get }
    var decision: Decision { get }
}

/// Decided changes in apply order: summed up and asked about the same way whether they
/// come from planning (``Plan``) or from a saved plan file (``PlanDocument``).
public protocol DecidedChanges {
    associatedtype Entry: DecidedChange
    var changes: [Entry] { get }
}

extension DecidedChanges {
    public var summary: Plan.Summary { Plan.Summary(counting: changes) }
    public var hasRefusals: Bool { changes.contains { !$0.decision.isPermitted } }
    public var hasPermittedChanges: Bool { changes.contains { $0.decision.isPermitted } }
    public var hasDeletions: Bool { changes.contains { $0.action == .delete } }
}
