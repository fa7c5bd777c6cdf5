import ArgumentParser
import VCCCredentials

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Show the account's settings, or switch how its user changes are made.",
        discussion: """
            Without --user-executor, prints the account: its id, whether API credentials are \
            enabled, its executor and its user executor. With it, an admin switches the user \
            executor of an existing account: api (apply makes user changes through VCC's User \
            Admin API) or back to the executor's own; audit event 'configured'. Nothing in VCC \
            changes.

            Example:
              vcc-creds account --state state.json --user-executor api \\
                --as alice@acme.example
            """
    )

    @Option(help: ArgumentHelp("The JSON state file \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Switch how apply makes user changes: api, or the executor's own (local or portal).",
            valueName: "local|portal|api"))
    var userExecutor: UserExecutor?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("The admin switching it (default: $VCC_CREDS_AS, if it names one).", valueName: "user"))
    var actor: String?

    static let purpose = "account --user-executor acts as one admin"

    func validate() throws {
        _ = try InputPaths.state(state)
        if userExecutor != nil { _ = try InputPaths.actor(actor, Self.purpose) }
    }

    func run() throws {
        let statePath = try InputPaths.state(state)
        guard let userExecutor else {
            let account = try StateStore().load(statePath).state.account
            Output.standardOutput(
                "account \(account.id): API credentials \(account.apiCredentialsEnabled ? "enabled" : "disabled"), "
                    + "executor \(account.executor.rawValue), user executor \(account.userExecutor.rawValue)\n")
            return
        }
        let result = try AccountConfigurator().setUserExecutor(
            userExecutor, statePath: statePath, actor: try InputPaths.actor(actor, Self.purpose))
        for note in result.notes { Output.print(note) }
        if let serial = result.newSerial {
            Output.standardOutput(
                "User executor of account \(result.account.id) is now \(userExecutor.rawValue). State serial \(serial) "
                    + "committed.\n")
        } else {
            Output.standardOutput(
                "User executor of account \(result.account.id) is already \(userExecutor.rawValue): nothing written.\n")
        }
    }
}
