import SourceText

/// Where a diagnostic points: a file and, when known, a line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var mark: Mark?

    public init(file: String, mark: Mark? = nil) {
        self.file = file
        self.mark = mark
    }

    public init(file: String, line: Int, column: Int) {
        self.init(file: file, mark: Mark(line: line, column: column))
    }

    public var description: String {
        guard let mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        switch (lhs.mark, rhs.mark) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let left?, let right?): return left < right
        }
    }
}
