/// Writes strings as YAML scalars any YAML reader types as strings: plain when that is
/// unambiguous (`alice@acme.example`, `users:read`), double-quoted otherwise (`"yes"`,
/// `"010"`, `"a: b"`, names with `#` or quotes).
enum YAMLScalarWriter {
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    static func scalar(_ text: String) -> String {
        isSafePlain(text) ? text : quoted(text)
    }

    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic || first == "_", last != ":", last != " " else { return false }
        guard !reserved.contains(text.lowercased()) else { return false }
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            let allowed =
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "_.@/+-:".unicodeScalars.contains(scalar) || (scalar == " " && previous != " ")
            guard allowed else { return false }
            if previous == ":" && scalar == " " { return false }
            previous = scalar
        }
        return true
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    result +=
                        scalar.value <= 0xFF
                        ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Characters YAML will not carry as written inside quotes: controls (C0, DEL, C1),
    /// the line breaks NEL, LS and PS (folded to spaces), the byte order mark and
    /// non-characters.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// A flow list of scalars: `[users:read, stats]`.
    static func list(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }
}
