/// Positions in an array grouped by a key, without an array per key: one dictionary
/// to the first position and one chain through the rest. Keys hash their text with a
/// simple word-at-a-time mix, cheaper than `String`'s hashing on the tens of thousands
/// of keys a large account has; equality still compares the text.
struct PositionIndex<Key: FastHashable & Sendable>: Sendable {
    private var first: [HashedKey<Key>: Int32] = [:]
    private var next: [Int32]

    init(count: Int) {
        next = [Int32](repeating: -1, count: count)
        first.reserveCapacity(count)
    }

    /// Records `position` under `key`; positions are added in increasing order.
    mutating func insert(_ position: Int, for key: Key) {
        let hashed = HashedKey(key)
        if let head = first[hashed] {
            next[position] = head
        }
        first[hashed] = Int32(position)
    }

    /// The positions recorded under `key`, in increasing order.
    func positions(for key: Key) -> [Int] {
        guard var position = first[HashedKey(key)] else { return [] }
        var result: [Int] = []
        while position >= 0 {
            result.append(Int(position))
            position = next[Int(position)]
        }
        return result.reversed()
    }

    /// The one position under `key` when there is exactly one.
    func single(for key: Key) -> Int? {
        guard let position = first[HashedKey(key)], next[Int(position)] < 0 else { return nil }
        return Int(position)
    }
}

/// A key that can feed its bytes to a cheap hash.
protocol FastHashable: Equatable {
    func fastHash(into hash: inout UInt64)
}

/// A key with its hash computed once.
struct HashedKey<Key: FastHashable>: Hashable {
    // Sendable when the key is.
    let key: Key
    let hash: UInt64

    init(_ key: Key) {
        self.key = key
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        key.fastHash(into: &hash)
        self.hash = hash
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    static func == (lhs: HashedKey, rhs: HashedKey) -> Bool { lhs.hash == rhs.hash && lhs.key == rhs.key }
}

extension String: FastHashable {
    /// Eight bytes at a time, multiply-and-rotate mixing: a table hash, not a digest.
    func fastHash(into hash: inout UInt64) {
        var text = self
        text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            let base = UnsafeRawPointer(bytes.baseAddress)
            while index + 8 <= count {
                let word = base!.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
                hash = (hash << 29) | (hash >> 35)
                index += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail ^ UInt64(count) << 56) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 32
        }
    }
}

extension CredentialKey: FastHashable {
    func fastHash(into hash: inout UInt64) {
        hash ^= level == .user ? 1 : 2
        (owner ?? "").fastHash(into: &hash)
        name.fastHash(into: &hash)
    }
}

extension HashedKey: Sendable where Key: Sendable {}
