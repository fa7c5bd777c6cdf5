import ArgumentParser
import Glibc
import VCCCredentials

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a client secret (read from stdin) against the state's digest.",
        discussion: """
            Exit 0 when the secret matches the credential, 1 otherwise (also when the state holds no digest: a \
            credential adopted by `import`, \"secret not held\"). The comparison is in \
            constant time; the secret is never printed.

            Example:
              printf %s "$SECRET" | vcc-creds verify --state state.json \\
                --client-id 6f1c2f8e-...
            """
    )

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(help: "The credential's client ID.")
    var clientId: String

    func validate() throws { _ = try InputPaths.state(state) }

    func run() throws {
        let state = try InputPaths.state(state)
        let loaded = try StateStore().load(state)
        let secret = SecretVerifier.secret(
            fromInput: try FileDescriptorIO.readAll(STDIN_FILENO, maxBytes: SecretVerifier.maxInputBytes, path: "stdin")
        )
        switch try SecretVerifier.check(secret, clientId: clientId, in: loaded.state, statePath: state) {
        case .matches:
            Output.standardError("ok: the secret matches credential \(clientId)")
        case .differs:
            Output.print(.error("the secret does not match credential \(clientId)"))
            throw ExitCode(ExitStatus.failure.rawValue)
        case .secretNotHeld:
            Output.print(
                .error(
                    "credential \(clientId): secret not held (it was imported; vcc-creds never saw its secret), so "
                        + "nothing to verify against"
                ))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
