/// String path helpers that keep paths as the user wrote them (relative stays
/// relative), so messages name files the way the user knows them.
public enum PathComponents {
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `path` made absolute against `directory` (the current folder, resolved), without
    /// touching the disk: a journal names files so a run from another folder finds them.
    public static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path)
    }

    /// `path` absolute and tidied without touching the disk: `.` and empty components
    /// dropped, `..` taking one away, no trailing `/`.
    public static func lexicallyNormal(_ path: String, in directory: String) -> String {
        var parts: [Substring] = []
        for part in absolute(path, in: directory).split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// An absolute path as a person in `directory` would type it: relative when inside.
    public static func display(_ path: String, from directory: String?) -> String {
        guard let directory, path.hasPrefix(directory == "/" ? "/" : directory + "/") else { return path }
        return String(path.dropFirst(directory == "/" ? 1 : directory.count + 1))
    }
}
