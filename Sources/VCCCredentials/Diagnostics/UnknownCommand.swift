/// A first word that names no command. The argument parser only says "Unexpected
/// argument", while a mistyped flag gets a suggestion: a mistyped command deserves one
/// too.
public enum UnknownCommand {
    /// The error for `arguments` (the command line after the program's name) when its
    /// first word that is not an option names none of `commands` (nor, after `help`, the
    /// word after it); nil when it names one, or there is no such word (`--help`,
    /// `--version`, nothing at all).
    public static func message(arguments: [String], commands: [String]) -> String? {
        // The parser's own root options: a shell's name, and the words a completion
        // script asks about, are not commands.
        if let first = arguments.first,
            first == "---completion" || first.hasPrefix("--generate-completion-script")
        {
            return nil
        }
        let words = arguments.filter { !$0.hasPrefix("-") }
        let named = words.first == "help" ? words.dropFirst().first : words.first
        guard let word = named, !commands.contains(word) else { return nil }
        guard let close = Suggestion.closest(to: word, in: commands) else {
            return "unknown command \(Quoted.of(word)); run 'vcc-creds --help' to list the commands"
        }
        return "unknown command \(Quoted.of(word)); did you mean '\(close)'?"
    }
}
