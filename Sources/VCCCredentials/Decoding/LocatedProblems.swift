import SourceText

/// Problems found at byte offsets of one file, turned into sorted, located diagnostics
/// in a single pass over the text at the end.
struct LocatedProblems {
    let file: String
    private(set) var items: [(offset: Int, message: String)] = []

    init(file: String) {
        self.file = file
    }

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ message: String, at offset: Int) {
        items.append((offset, message))
    }

    mutating func replaceAll(with message: String, at offset: Int) {
        items = [(offset, message)]
    }

    func diagnostics(in bytes: [UInt8]) -> [Diagnostic] {
        let marks = bytes.withUnsafeBufferPointer { TextScan.marks(ofOffsets: items.map(\.offset), in: $0) }
        return items.map { Diagnostic.error($0.message, at: SourceLocation(file: file, mark: marks[$0.offset])) }
            .sorted()
    }
}
