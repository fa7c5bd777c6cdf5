import Glibc

/// What a path names.
public enum FileKind: Sendable, Hashable, CustomStringConvertible {
    case file, directory, symlink, other

    public var description: String {
        switch self {
        case .file: return "a file"
        case .directory: return "a folder"
        case .symlink: return "a symbolic link"
        case .other: return "a special file (a FIFO, socket or device)"
        }
    }
}
