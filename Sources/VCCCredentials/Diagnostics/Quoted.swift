/// A value from the input, quoted for a message: whole when short, cut when long, so a
/// 10 MB value gives a one-line error, not a 10 MB one.
enum Quoted {
    static let limit = 60

    static func of(_ text: String) -> String {
        guard text.utf8.count > limit else { return "'\(text)'" }
        return "'\(String(text.unicodeScalars.prefix(limit)))…' (\(text.utf8.count) bytes)"
    }
}
