/// The argument parser wraps help text to the terminal but writes a command's usage on
/// one line however long, which a terminal then breaks anywhere.
public enum HelpLayout {
    /// `help` with its `USAGE:` line wrapped to `columns`, broken only between whole
    /// options (`[--state <file>]` is never split) and continued under the command, as
    /// the parser indents its own continuation lines; the rest is left as it is.
    public static func wrappingUsage(_ help: String, columns: Int) -> String {
        var lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.hasPrefix(usagePrefix) }), lines[index].count > columns else {
            return help
        }
        let indent = String(repeating: " ", count: usagePrefix.count)
        var wrapped: [String] = []
        var current = ""
        for word in words(lines[index]) {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= columns {
                current += " " + word
            } else {
                wrapped.append(current)
                current = indent + word
            }
        }
        wrapped.append(current)
        lines.replaceSubrange(index...index, with: wrapped)
        return lines.joined(separator: "\n")
    }

    private static let usagePrefix = "USAGE: "

    /// The line split at spaces outside `[...]` and `<...>`.
    private static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var depth = 0
        for character in line {
            switch character {
            case "[", "<": depth += 1
            case "]", ">": depth = max(0, depth - 1)
            case " " where depth == 0:
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
