/// Positions in an array grouped by a key, without an array per key: one dictionary
/// to the first position and one chain through the rest. Keys hash with the standard
/// library's seeded hasher, so names in a manifest cannot be chosen to collide. The chain
/// instead of an array per key is speed code (bench/RESULTS.md, "What moved the
/// numbers").
struct PositionIndex<Key: Hashable & Sendable>: Sendable {
    private var first: [Key: Int32] = [:]
    private var next: [Int32]

    init(count: Int) {
        next = [Int32](repeating: -1, count: count)
        first.reserveCapacity(count)
    }

    /// Records `position` under `key`; positions are added in increasing order.
    mutating func insert(_ position: Int, for key: Key) {
        if let head = first[key] {
            next[position] = head
        }
        first[key] = Int32(position)
    }

    /// The positions recorded under `key`, in increasing order.
    func positions(for key: Key) -> [Int] {
        guard var position = first[key] else { return [] }
        var result: [Int] = []
        while position >= 0 {
            result.append(Int(position))
            position = next[Int(position)]
        }
        return result.reversed()
    }

    /// The one position under `key` when there is exactly one.
    func single(for key: Key) -> Int? {
        guard let position = first[key], next[Int(position)] < 0 else { return nil }
        return Int(position)
    }
}
