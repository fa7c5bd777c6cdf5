import Glibc

/// A path's `lstat`: what a writer must know before touching it.
public struct FileStatus: Sendable, Hashable {
    public var kind: FileKind
    /// Permission bits (`0o644`).
    public var permissions: UInt32
    /// Hard links: names the file has.
    public var linkCount: Int
    public var size: Int

    public init(kind: FileKind, permissions: UInt32, linkCount: Int, size: Int) {
        self.kind = kind
        self.permissions = permissions
        self.linkCount = linkCount
        self.size = size
    }
}
