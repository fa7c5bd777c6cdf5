/// `--target` and `--exclude`: a partial plan. A selector is a change id as the plan
/// JSON writes it (`user:ID`, `credential:CLIENT-ID`, `credential:OWNER/NAME`) or a
/// credential's `OWNER/NAME` (`account/NAME`). The targeted changes are kept with
/// everything they depend on; excluded ones are left out, and a kept change that needs
/// one is refused (`depends-on-refused-change`). Saved plans record it, so applying one
/// plans the same part again.
public struct Targeting: Sendable, Hashable {
    public var targets: [String]
    public var excludes: [String]

    public init(targets: [String] = [], excludes: [String] = []) {
        self.targets = targets
        self.excludes = excludes
    }

    public var isEmpty: Bool { targets.isEmpty && excludes.isEmpty }

    /// Whether `selector` names `change`.
    static func matches(_ selector: String, _ change: some PlannedChange) -> Bool {
        if change.id.description == selector { return true }
        guard case .credential(let target, _, _) = change.subject else { return false }
        let address = CredentialAddress(target)
        return CredentialAddress(selector) == address || ChangeID(selector) == .unminted(address)
    }

    /// The ids of `changes` (a full plan, decided) this targeting keeps, and the kept
    /// ones that need a change it leaves out (with that change's id).
    func select(_ changes: [Change]) throws(PlanError) -> (kept: Set<ChangeID>, orphaned: [ChangeID: ChangeID]) {
        for selector in targets + excludes where !changes.contains(where: { Self.matches(selector, $0) }) {
            throw .targetMatchesNothing(selector, excluded: excludes.contains(selector) && !targets.contains(selector))
        }
        let byId = Dictionary(changes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let excluded = Set(changes.filter { change in excludes.contains { Self.matches($0, change) } }.map(\.id))
        var kept = Set<ChangeID>()
        var pending =
            targets.isEmpty
            ? changes.map(\.id) : changes.filter { change in targets.contains { Self.matches($0, change) } }.map(\.id)
        var orphaned: [ChangeID: ChangeID] = [:]
        while let id = pending.popLast() {
            guard !excluded.contains(id), kept.insert(id).inserted, let change = byId[id] else { continue }
            for dependency in change.dependsOn {
                if excluded.contains(dependency) {
                    orphaned[id] = orphaned[id] ?? dependency
                } else {
                    pending.append(dependency)
                }
            }
        }
        return (kept, orphaned)
    }
}
