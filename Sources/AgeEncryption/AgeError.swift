/// Why an age file could not be opened, in the categories of the age specification's
/// test vectors, so callers (and the conformance tests) can tell them apart.
public enum AgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ASCII armor is malformed.
    case armor(String)
    /// The header is malformed, or a recipient stanza is invalid.
    case header(String)
    /// No identity opens any recipient stanza: the file was not sealed for these keys.
    case noMatch
    /// The header MAC does not verify: the header was altered.
    case hmac
    /// The encrypted payload is truncated, altered or has trailing data.
    case payload(String)
    /// A recipient or identity string is not a valid age key.
    case invalidKey(String)

    public var description: String {
        switch self {
        case .armor(let detail): return "invalid armor: \(detail)"
        case .header(let detail): return "invalid header: \(detail)"
        case .noMatch: return "no identity matches any recipient of the file (wrong key?)"
        case .hmac: return "header MAC does not verify: the file was altered"
        case .payload(let detail): return "invalid payload: \(detail)"
        case .invalidKey(let detail): return detail
        }
    }
}
