/// Text from files and flags made safe to show a person: control characters (an ANSI
/// escape from `--as` or a lock file) and invisible ones (a zero-width space, a
/// right-to-left override) are written as `\u{XXXX}`, so what a reviewer reads is what
/// is there, and nothing can repaint a terminal.
public enum Printable {
    /// `text` with every control or invisible character escaped, line breaks included:
    /// one line, whatever it holds.
    public static func escaped(_ text: String) -> String {
        // Fast path: printable ASCII needs nothing (every id and name in practice).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var shown = ""
        shown.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &shown) }
        return shown
    }

    /// `U+00A0`: how messages name a character.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
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
