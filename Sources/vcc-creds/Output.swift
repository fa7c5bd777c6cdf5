import Glibc
import VCCCredentials

/// Where output goes: data on stdout, diagnostics on stderr.
enum Output {
    static func standardOutput(_ text: String) {
        writeAll(Array(text.utf8), to: STDOUT_FILENO)
    }

    static func standardOutput(bytes: [UInt8]) {
        writeAll(bytes, to: STDOUT_FILENO)
    }

    /// A diagnostic on stderr, and its notes, one line each: the one place severities
    /// are printed.
    static func print(_ diagnostic: Diagnostic) {
        for line in diagnostic.lines { standardError(line) }
    }

    /// One line on stderr, every control or invisible character escaped, line breaks
    /// too: what a message quotes from a flag, a file or a lock holder can neither
    /// repaint the terminal nor add a line of its own.
    static func standardError(_ line: String) {
        writeAll(Array((Printable.escaped(line) + "\n").utf8), to: STDERR_FILENO)
    }

    /// Output that cannot be written (a closed pipe) is dropped: there is nowhere left
    /// to report it.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        try? FileDescriptorIO.writeAll(bytes, to: descriptor, path: "", operation: "write")
    }

    /// Ends the process now. A large plan's values would otherwise be freed one by one
    /// on the way out, which costs time and achieves nothing the exit does not
    /// (bench/RESULTS.md, "What moved the numbers").
    static func exit(_ status: ExitStatus) -> Never {
        Glibc.exit(status.rawValue)
    }

    /// The width the argument parser wraps help to: `COLUMNS`, else the terminal's, else 80.
    static var columns: Int {
        if let value = SystemEnvironment.live.variables["COLUMNS"], let columns = Int(value) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    static var style: TextStyle {
        TextStyle.automatic(isTerminal: isatty(STDOUT_FILENO) == 1, environment: SystemEnvironment.live.variables)
    }

    /// The time now, from the live clock: what dates open portal steps.
    static var now: Timestamp { Timestamp(SystemEnvironment.live.clock.now()) }
}
