import Glibc

/// Standard input and output: interactive when stdin is a terminal (`isatty(0)`), so a
/// pipeline, whose stdin is a pipe or `/dev/null`, is never asked anything.
public struct StandardTerminal: Terminal {
    /// Longest answer kept; the rest of a longer line is read and dropped, so none of it
    /// is left for the shell to run once vcc-creds exits.
    public static let maxLineBytes = 4096

    public init() {}

    public var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Standard output; a closed one drops the text (there is nowhere to report it).
    public func write(_ text: String) {
        try? FileDescriptorIO.writeAll(Array(text.utf8), to: STDOUT_FILENO, path: "stdout", operation: "write")
    }

    /// One byte at a time, so nothing after the line is taken from stdin.
    public func readLine() -> String? {
        var (line, end) = FileDescriptorIO.readLine(STDIN_FILENO, maxBytes: Self.maxLineBytes, path: "stdin")
        if case .lineBreak = end {} else if line.isEmpty { return nil }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
