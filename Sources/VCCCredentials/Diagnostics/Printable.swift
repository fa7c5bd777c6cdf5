/// Text from files and flags made safe to show a person: control characters (an ANSI
/// escape from `--as` or a lock file) and invisible ones (a zero-width space, a
/// right-to-left override) are written as `\u{XXXX}`, so what a reviewer reads is what
/// is there, and nothing can repaint a terminal.
public enum Printable {
    /// `text` with every control or invisible character escaped, line breaks included.
    public static func escaped(_ text: String) -> String {
        // Fast path: printable ASCII needs nothing (every id and name in practice).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var shown = ""
        shown.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &shown) }
        return shown
    }

    /// Lines of text for a terminal (diagnostics): each line escaped, the line breaks kept.
    public static func escapedLines(_ text: String) -> String {
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }
            .joined(separator: "\n")
    }

    static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        Identifiers.isControl(scalar) || Identifiers.isInvisible(scalar)
    }

    static func append(_ scalar: Unicode.Scalar, to shown: inout String) {
        if needsEscaping(scalar) {
            shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            shown.unicodeScalars.append(scalar)
        }
    }
}
