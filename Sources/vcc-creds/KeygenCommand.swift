import ArgumentParser
import VCCCredentials

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate an age identity (age-keygen format) for opening sealed secrets.",
        discussion: """
            The identity is written to -o FILE (mode 0600, never overwritten) or stdout; the \
            public key (age1...) is printed on stderr. Keep the identity out of the repository.

            Example:
              vcc-creds keygen -o ~/.config/vcc-creds/key.txt
            """
    )

    @Option(name: .short, help: ArgumentHelp("File to write the identity to.", valueName: "file"))
    var output: String?

    func run() throws {
        let generator = KeyGenerator()
        if let output {
            let recipient = try generator.write(to: output)
            Output.standardError("Public key: \(recipient)")
        } else {
            let (file, recipient) = generator.generate()
            Output.standardError("Public key: \(recipient)")
            Output.standardOutput(file)
        }
    }
}
