import Glibc

/// Whole reads and writes on an open descriptor: `read(2)` and `write(2)` may do part
/// of the work or be interrupted, and every caller needs all of it or an error.
public enum FileDescriptorIO {
    /// Writes all of `bytes`, retrying interrupted and partial writes; the failure names
    /// `path` and `operation`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String, operation: String)
        throws(FileSystemError)
    {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fromErrno(path: path, operation: operation)
            }
            written += count
        }
    }

    /// Reads to the end, retrying interrupted reads, and refuses as soon as more than
    /// `maxBytes` arrive, so an endless stream is never held whole.
    public static func readAll(
        _ descriptor: Int32, maxBytes: Int, reservingCapacity capacity: Int = 0, path: String
    ) throws(FileSystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fromErrno(path: path, operation: "read")
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= maxBytes else {
                throw FileSystemError(path: path, operation: "read", reason: .exceedsLimit(maxBytes))
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// How ``readLine(_:maxBytes:path:)`` stopped.
    public enum LineEnd: Sendable {
        case lineBreak
        case endOfInput
        case failed(FileSystemError)
    }

    /// One line, read a byte at a time so nothing after it is taken from the descriptor
    /// (a terminal's next line stays for the shell); without its line break. Bytes past
    /// `maxBytes` are read and dropped, so none of a long line is left behind either.
    public static func readLine(_ descriptor: Int32, maxBytes: Int, path: String) -> (line: [UInt8], end: LineEnd) {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count < 0 {
                if errno == EINTR { continue }
                return (line, .failed(.fromErrno(path: path, operation: "read")))
            }
            if count == 0 { return (line, .endOfInput) }
            if byte == UInt8(ascii: "\n") { return (line, .lineBreak) }
            if line.count < maxBytes { line.append(byte) }
        }
    }
}

extension FileSystemError {
    /// The error `errno` names, for `operation` on `path`.
    static func fromErrno(path: String, operation: String) -> FileSystemError {
        let code = errno
        return FileSystemError(
            path: path, operation: operation, reason: .system(code: code, message: String(cString: strerror(code))))
    }
}
