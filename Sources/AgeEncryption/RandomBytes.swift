/// Where encryption gets its randomness: the file key, ephemeral keys and the payload
/// nonce. Injected so tests can seal with fixed bytes; the default is the system CSPRNG.
public typealias RandomBytes = @Sendable (Int) -> [UInt8]

/// Bytes from `SystemRandomNumberGenerator`, the operating system's CSPRNG.
public let systemRandomBytes: RandomBytes = { count in
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    for index in bytes.indices { bytes[index] = generator.next() }
    return bytes
}
