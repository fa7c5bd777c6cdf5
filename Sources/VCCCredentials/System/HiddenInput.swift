import Glibc

/// A secret typed or piped on standard input: at a terminal, read as one line with
/// echo turned off (and turned back on, whatever happens); otherwise read to the end,
/// up to a limit. Never from a flag or an environment variable, which other users of
/// the machine can read (`/proc/PID/cmdline`, shell history, CI logs).
public enum HiddenInput {
    /// Reads the secret; `prompt` is written to stderr first when stdin is a terminal.
    public static func read(prompt: String, maxBytes: Int = SecretVerifier.maxInputBytes) throws(FileSystemError)
        -> [UInt8]
    {
        guard isatty(STDIN_FILENO) == 1 else {
            return try FileDescriptorIO.readAll(STDIN_FILENO, maxBytes: maxBytes, path: "stdin")
        }
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            hidden.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        defer { if canHide { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) } }
        try? FileDescriptorIO.writeAll(Array(prompt.utf8), to: STDERR_FILENO, path: "stderr", operation: "write")
        let (line, end) = FileDescriptorIO.readLine(STDIN_FILENO, maxBytes: maxBytes, path: "stdin")
        if case .failed(let error) = end { throw error }
        return line
    }
}
