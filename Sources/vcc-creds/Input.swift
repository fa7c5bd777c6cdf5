import VCCCredentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading stdin, with the same size caps as the file readers: a stream that goes on
/// past `maxBytes` is refused as soon as it does, not held in memory whole.
enum Input {
    static func readAll(descriptor: Int32, maxBytes: Int) throws(FileSystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            guard bytes.count + count <= maxBytes else {
                throw FileSystemError(path: "stdin", operation: "read", reason: .exceedsLimit(maxBytes))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}
