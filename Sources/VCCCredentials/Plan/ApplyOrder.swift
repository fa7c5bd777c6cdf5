/// The order apply makes changes in: user creates and upgrades; credential creates and
/// updates; credential deletes; user downgrades and deletes. A user is licensed before
/// its credentials are written, and its credentials are gone before it is lowered.
/// Within a group, changes sort by what they are about, so a plan reads the same
/// whatever order the manifests were written in.
enum ApplyOrder: Int, Comparable {
    case userRaise, credentialWrite, credentialDelete, userLower

    static func < (lhs: ApplyOrder, rhs: ApplyOrder) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Sorts positions, not the changes themselves: moving a change copies its records.
    static func sorted(_ changes: [DraftChange]) -> [DraftChange] {
        let keys = changes.map { (group(of: $0), Array(sortKey($0).utf8)) }
        let positions = changes.indices.sorted { left, right in
            keys[left].0 != keys[right].0
                ? keys[left].0 < keys[right].0 : keys[left].1.lexicographicallyPrecedes(keys[right].1)
        }
        return positions.map { changes[$0] }
    }

    static func group(of change: DraftChange) -> ApplyOrder {
        switch change.subject {
        case .user(_, let before, let after):
            guard let after else { return .userLower }
            guard let before else { return .userRaise }
            return after.license.rank >= before.license.rank ? .userRaise : .userLower
        case .credential:
            return change.action == .delete ? .credentialDelete : .credentialWrite
        }
    }

    private static func sortKey(_ change: DraftChange) -> String {
        switch change.subject {
        case .user(let id, _, _): return id
        case .credential(let target, _, _):
            return "\(target.level.rawValue)\u{0}\(target.owner ?? "")\u{0}\(target.name)\u{0}\(target.clientId ?? "")"
        }
    }
}
