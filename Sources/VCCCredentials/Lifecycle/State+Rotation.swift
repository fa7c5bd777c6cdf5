extension Credential {
    /// Makes this credential the successor of `predecessor` (a client ID of `state`):
    /// it inherits the predecessor's own predecessors, so a pin to any of them follows,
    /// and both stay valid until `overlap` after `now`.
    mutating func succeed(_ predecessor: String, in state: State, overlap: TimeSpan, from now: Timestamp) {
        predecessors = state.lineage(replacing: predecessor)
        overlapEndsAt = now.adding(overlap)
    }
}

extension State {
    /// The `predecessors` a successor of `predecessor` records: the predecessor's own,
    /// then the predecessor.
    func lineage(replacing predecessor: String) -> [String] {
        (credentials.first { $0.clientId == predecessor }?.predecessors ?? []) + [predecessor]
    }

    /// The client IDs a planned create replaces: its predecessor's lineage for a
    /// rotation's successor, else none.
    func lineage(of change: Change) -> [String] {
        guard case .rotation(let predecessor, _, _, _) = change.lifecycle else { return [] }
        return lineage(replacing: predecessor)
    }

    /// Ends the overlap of every successor whose predecessor is in `removed`: with the
    /// predecessor gone, the successor stands alone (its `predecessors` stay, for pins).
    mutating func endOverlaps(with removed: Set<String>) {
        guard !removed.isEmpty else { return }
        for position in credentials.indices {
            if let predecessor = credentials[position].livePredecessor, removed.contains(predecessor) {
                credentials[position].overlapEndsAt = nil
            }
        }
    }
}
