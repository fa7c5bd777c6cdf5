import Foundation
import Testing

@testable import AgeEncryption

/// SplitMix64: a tiny seeded generator, so "random" test content is the same every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes, eight at a time.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(count + 8)
        while output.count < count {
            let word = next()
            for shift in stride(from: 0, to: 64, by: 8) {
                output.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        output.removeLast(output.count - count)
        return output
    }
}

enum AgeFixtures {
    /// Seeded content of `count` bytes; different seeds give different content.
    static func content(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed &+ UInt64(count))
        return generator.bytes(count)
    }

    /// A deterministic identity derived from `seed` (not from the system CSPRNG).
    static func identity(seed: UInt64) -> X25519Identity {
        X25519Identity.generate(random: { count in
            var generator = SeededGenerator(seed: 0xA6E0_0000 &+ seed)
            return generator.bytes(count)
        })
    }

    /// A `RandomBytes` that returns the same fill byte for every request.
    static func fixed(_ byte: UInt8) -> RandomBytes {
        { count in [UInt8](repeating: byte, count: count) }
    }

    /// The number of bytes before the payload: everything up to and including the MAC
    /// line's newline. Found independently of `Header.parse`.
    static func headerLength(_ file: [UInt8]) -> Int? {
        let marker = Array("\n--- ".utf8)
        guard file.count >= marker.count else { return nil }
        for start in 0...(file.count - marker.count) where file[start..<(start + marker.count)].elementsEqual(marker) {
            guard let newline = file[(start + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            return newline + 1
        }
        return nil
    }

    /// Number of STREAM chunks age uses for `count` plaintext bytes: at least one, 64 KiB each.
    static func chunkCount(_ count: Int) -> Int {
        max(1, (count + PayloadStream.chunkSize - 1) / PayloadStream.chunkSize)
    }
}

/// Hands out scripted bytes in order and records each request's size, to check what
/// `Age.encrypt` asks its randomness for. Call n (from 1) is filled with byte n.
final class RecordingRandom: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [Int] = []

    var sizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    var source: RandomBytes {
        { [self] count in
            lock.lock()
            defer { lock.unlock() }
            requests.append(count)
            return [UInt8](repeating: UInt8(truncatingIfNeeded: requests.count), count: count)
        }
    }
}

/// The category of an `AgeError`, ignoring its detail text.
enum AgeErrorKind: String, Sendable, CustomStringConvertible {
    case armor, header, noMatch, hmac, payload, invalidKey

    init(_ error: AgeError) {
        switch error {
        case .armor: self = .armor
        case .header: self = .header
        case .noMatch: self = .noMatch
        case .hmac: self = .hmac
        case .payload: self = .payload
        case .invalidKey: self = .invalidKey
        }
    }

    var description: String { rawValue }
}

/// The kind of error decrypting `file` gives, or nil if it decrypts.
func decryptionFailure(_ file: [UInt8], identities: [X25519Identity]) -> AgeErrorKind? {
    do {
        _ = try Age.decrypt(file, identities: identities)
        return nil
    } catch {
        return AgeErrorKind(error)
    }
}

/// The kind of `AgeError` `body` throws, or nil if it returns.
func failureKind<T>(_ body: () throws(AgeError) -> T) -> AgeErrorKind? {
    do {
        _ = try body()
        return nil
    } catch {
        return AgeErrorKind(error)
    }
}
