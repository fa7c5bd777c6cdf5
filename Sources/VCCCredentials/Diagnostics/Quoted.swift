/// A value from the input, quoted for a message: whole when short, cut when long, and
/// with control and invisible characters escaped (``Printable``), so every error stays
/// one readable line.
enum Quoted {
    static let limit = 60

    static func of(_ text: String) -> String {
        let long = text.utf8.count > limit
        var shown = ""
        for scalar in long
            ? Substring(text).unicodeScalars.prefix(limit) : Substring(text).unicodeScalars.prefix(Int.max)
        {
            Printable.append(scalar, to: &shown)
        }
        return long ? "'\(shown)…' (\(text.utf8.count) bytes)" : "'\(shown)'"
    }
}
