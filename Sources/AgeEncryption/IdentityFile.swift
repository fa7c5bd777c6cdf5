/// Identity files as `age-keygen` writes them: `#` comments, blank lines, and one
/// `AGE-SECRET-KEY-1...` per line.
public enum IdentityFile {
    /// Every identity in the file; an unparsable line is an error naming its number.
    public static func parse(_ text: String) throws(AgeError) -> [X25519Identity] {
        var identities: [X25519Identity] = []
        // Swift treats "\r\n" as one Character, so splitting on "\n" alone would leave
        // CRLF files as a single line.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (number, rawLine) in lines.enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                identities.append(try X25519Identity(String(trimmed)))
            } catch {
                throw .invalidKey("line \(number + 1): not an age X25519 identity (AGE-SECRET-KEY-1...)")
            }
        }
        guard !identities.isEmpty else { throw .invalidKey("no identities found") }
        return identities
    }

    /// The file `age-keygen` writes: creation time, public key, secret key.
    public static func render(_ identity: X25519Identity, created: String) -> String {
        """
        # created: \(created)
        # public key: \(identity.recipient)
        \(identity.secretKeyString)

        """
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
