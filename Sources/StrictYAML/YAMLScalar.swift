/// A scalar's text and how it was written.
///
/// The style matters to typing: only a plain `true` is a boolean, a quoted `"true"` is
/// a string.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var value: String
    public var style: Style

    public init(_ value: String, style: Style = .plain) {
        self.value = value
        self.style = style
    }

    /// A plain empty scalar, `~` or `null`: the YAML ways of writing nothing.
    public var isNull: Bool {
        guard style == .plain else { return false }
        switch value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// `true` or `false` written plain; every other spelling (`yes`, `on`, `True`) is not a boolean.
    public var bool: Bool? {
        guard style == .plain else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// A plain decimal integer without sign noise or leading zeros (`010` is not ten, nor eight).
    public var int: Int? {
        guard style == .plain else { return nil }
        var digits = Substring(value)
        if digits.first == "-" { digits = digits.dropFirst() }
        guard let first = digits.first, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if first == "0" && digits.count > 1 { return nil }
        // Parse the signed text, not the magnitude: -9223372036854775808 fits an Int, its
        // magnitude does not.
        return Int(value)
    }
}
