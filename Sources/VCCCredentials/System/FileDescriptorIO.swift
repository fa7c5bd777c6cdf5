#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole writes on an open descriptor: `write(2)` may do part of the work or be
/// interrupted, and every caller needs all of it or an error.
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
}

extension FileSystemError {
    /// The error `errno` names, for `operation` on `path`.
    static func fromErrno(path: String, operation: String) -> FileSystemError {
        let code = errno
        return FileSystemError(
            path: path, operation: operation, reason: .system(code: code, message: String(cString: strerror(code))))
    }
}
