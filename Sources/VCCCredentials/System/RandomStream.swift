/// Bytes from a ``RandomSource`` drawn in large blocks: minting ten thousand secrets
/// asks the operating system a few dozen times, not tens of thousands.
struct RandomStream {
    private let source: any RandomSource
    private let blockSize: Int
    private var buffer: [UInt8] = []
    private var position = 0

    init(_ source: any RandomSource, blockSize: Int = 4096) {
        self.source = source
        self.blockSize = blockSize
    }

    mutating func next() -> UInt8 {
        if position == buffer.count {
            // Used bytes are overwritten, not kept: they may be secret material.
            buffer = source.randomBytes(blockSize)
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in next() }
    }

    /// A random (version 4) UUID in lowercase.
    mutating func uuid() -> String { RandomUUID.text(from: bytes(16)) }
}
