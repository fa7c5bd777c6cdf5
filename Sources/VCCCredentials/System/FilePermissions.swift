import Glibc

/// The mode a new file gets.
public enum FilePermissions: Sendable, Hashable {
    /// These bits, less the process's umask: a file nobody had before.
    case new(UInt32)
    /// Exactly these bits: a file that takes the place of one that had them.
    case kept(UInt32)

    /// The permission bits, however they are applied.
    public var bits: UInt32 {
        switch self {
        case .new(let bits), .kept(let bits): return bits
        }
    }
}
