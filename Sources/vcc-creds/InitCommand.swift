import ArgumentParser
import VCCCredentials

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new state file for an account (never overwrites one).",
        discussion: """
            Examples:
              vcc-creds init --state state.json --account acme --admin alice@acme.example \\
                --admin-name "Alice Example"
              vcc-creds init --state state.json --account acme --executor portal \\
                --admin alice@acme.example
              vcc-creds init --state state.json --account acme --user-executor api \\
                --admin alice@acme.example
            """
    )

    enum Feature: String, ExpressibleByArgument, CaseIterable {
        case enabled, disabled
    }

    @Option(help: ArgumentHelp("The JSON state file to create \(InputPaths.stateHelp).", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("The VCC account id; manifests must name the same one.", valueName: "account-id"))
    var account: String

    @Option(help: ArgumentHelp("Whether the account has API credentials turned on.", valueName: "enabled|disabled"))
    var apiCredentials: Feature = .enabled

    @Option(
        help: ArgumentHelp(
            "How apply carries out changes: local (apply mints and seals; the state is the account) or portal (apply "
                + "writes a runbook of Admin Portal steps; 'record' brings back what the portal showed).",
            valueName: "local|portal"))
    var executor: ExecutorOption = .local

    enum ExecutorOption: String, ExpressibleByArgument, CaseIterable {
        case local, portal
    }

    @Option(
        help: ArgumentHelp(
            "How apply carries out user changes: as --executor does (the default), or api (through VCC's User Admin "
                + "API, with the tool's own credential).",
            valueName: "local|portal|api"))
    var userExecutor: UserExecutor?

    @Option(help: ArgumentHelp("Id of the first admin user, who can then run plans.", valueName: "user"))
    var admin: String?

    @Option(help: ArgumentHelp("Display name of the first admin user (default: the id).", valueName: "name"))
    var adminName: String?

    func validate() throws {
        _ = try InputPaths.state(state)
        if adminName != nil && admin == nil { throw ValidationError("--admin-name needs --admin") }
        if let userExecutor, userExecutor != .api, userExecutor.rawValue != executor.rawValue {
            throw ValidationError(
                "--user-executor \(userExecutor.rawValue) needs --executor \(userExecutor.rawValue): user changes go "
                    + "as credential changes do, or through the API (api)")
        }
    }

    func run() throws {
        let state = try InputPaths.state(state)
        let firstAdmin = admin.map { User(id: $0, name: adminName ?? $0, license: .admin) }
        let created = try StateInitializer().initialize(
            statePath: state, account: account, apiCredentialsEnabled: apiCredentials == .enabled, admin: firstAdmin,
            executor: executor == .portal ? .portal : .local, userExecutor: userExecutor == .api ? .api : nil)
        let users = created.account.declaredUserExecutor.map { ", user executor \($0.rawValue)" } ?? ""
        Output.standardError(
            "Created \(state) for account \(created.account.id) (lineage \(created.lineage), serial "
                + "\(created.serial), executor \(created.account.executor.rawValue)\(users))."
        )
    }
}

extension UserExecutor: ExpressibleByArgument {}
