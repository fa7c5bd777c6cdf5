extension Credential {
    /// Makes this credential the successor of `predecessor` (a client ID of `state`):
    /// it inherits the predecessor's own predecessors, so a pin to any of them follows,
    /// and both stay valid until `overlap` after `now`.
    mutating func succeed(_ predecessor: String, in state: State, overlap: TimeSpan, from now: Timestamp) {
        let earlier = state.credentials.first { $0.clientId == predecessor }?.predecessors ?? []
        predecessors = earlier + [predecessor]
        overlapEndsAt = now.adding(overlap)
    }
}

extension State {
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
