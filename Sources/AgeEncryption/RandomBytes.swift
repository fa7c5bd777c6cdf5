import Glibc

/// Where encryption gets its randomness: the file key, ephemeral keys and the payload
/// nonce. Injected so tests can seal with fixed bytes; the default is the system CSPRNG.
public typealias RandomBytes = @Sendable (Int) -> [UInt8]

/// The operating system's CSPRNG, many bytes per call: `arc4random_buf`, which glibc
/// (2.36 and later) and macOS implement over the kernel's generator (`getrandom(2)` on
/// Linux). The standard library's generator asks the kernel for eight bytes at a time.
///
/// The one place vcc-creds asks the operating system for randomness. swift-crypto 4.5.2
/// has no public random-bytes API (its generator is internal and draws from
/// `SystemRandomNumberGenerator`, eight bytes at a time; only keys and nonces come out).
public let systemRandomBytes: RandomBytes = { count in
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
    }
    return bytes
}
