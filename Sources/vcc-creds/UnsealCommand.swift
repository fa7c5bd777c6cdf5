import ArgumentParser
import Glibc
import VCCCredentials

struct UnsealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unseal",
        abstract: "Decrypt a sealed secrets file (or any age file) and print its plaintext.",
        discussion: """
            Prints exactly what was sealed; on a wrong key or a tampered file, prints nothing \
            and exits 1. The same file opens with: age -d -i KEY FILE

            Example:
              vcc-creds unseal --identity key.txt secrets/acme-8.age
            """
    )

    @Option(help: ArgumentHelp("An identity file (age-keygen format).", valueName: "key-file"))
    var identity: String

    @Argument(help: ArgumentHelp("The sealed file, or - for stdin.", valueName: "file"))
    var sealed: String

    func run() throws {
        let bytes =
            sealed == "-"
            ? try FileDescriptorIO.readAll(STDIN_FILENO, maxBytes: Unsealer.maxSealedBytes, path: "stdin")
            : try LocalFileSystem().readFile(at: sealed, maxBytes: Unsealer.maxSealedBytes)
        let plaintext = try Unsealer().unseal(
            identityFile: identity, sealed: sealed == "-" ? "stdin" : sealed, bytes: bytes)
        Output.standardOutput(bytes: plaintext)
    }
}
