import Foundation
import Testing

/// The `api` user executor against the stand-in VCC: user creates, licence changes and
/// deletions made through the User Admin API in plan order, each committed as VCC makes
/// it; refusals before anything changes; faults settled by asking VCC. In the suite of
/// ``RefreshTests``: serialized, and skipped with it under the moved clock.
extension RefreshTests {
    /// The team, Dave a supervisor who owns a credential.
    static let apiTeam: [StandIn.User] = [
        ada,
        .init(
            userId: "0b0b0b0b-0000-4000-8000-000000000002", username: "bob@acme.example", name: "Bob",
            email: "bob@acme.example", role: "Agent"),
        .init(
            userId: "0d0d0d0d-0000-4000-8000-000000000004", username: "dave@acme.example", name: "Dave",
            email: "dave@acme.example", role: "Supervisor"),
    ]

    static let adaId = "ada@acme.example"

    /// Manifests: Ada, Bob (`bobLicense`), Dave (absent when `daveGone`, with his
    /// credential), and any more users.
    static func manifests(
        bobLicense: String = "agent", daveGone: Bool = false, more: String = "", credential: Bool = true
    ) -> String {
        let entry = """
            credentials:
              - name: dave-report
                owner: dave@acme.example
                scopes: [interaction-content:read]
            \(daveGone ? "    ensure: absent" : "")
            """
        return """
            account: acme
            users:
              - id: ada@acme.example
                name: Ada Admin
                license: admin
              - id: bob@acme.example
                name: Bob
                license: \(bobLicense)
              - id: dave@acme.example
            \(daveGone ? "    ensure: absent" : "    name: Dave\n    license: supervisor")
            \(more)
            \(credential ? entry : "")
            """
    }

    /// A new api account that has adopted VCC's users.
    static func apiAccount(_ sandbox: Sandbox, _ vcc: StandIn) throws -> [String: String] {
        let result = try CLI.run(
            [
                "init", "--state", "state.json", "--account", "acme", "--admin", ada.username, "--admin-name", "Ada",
                "--user-executor", "api",
            ],
            in: sandbox.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("user executor api"))
        var environment = try vcc.environment(in: sandbox)
        environment["VCC_CREDS_STATE"] = "state.json"
        #expect(try CLI.run(["refresh"], in: sandbox.url, environment: environment).status == 0)
        return environment
    }

    @Test func anAPIApplyCreatesReLicensesAndDeletesUsersInPlanOrder() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        let key = try PeerTools.newKey("key.txt", in: sandbox)
        // Dave's credential first: a user-level credential is its owner's to create.
        try sandbox.write("manifests/acme.yaml", Self.manifests())
        let first = try CLI.run(
            ["apply", "--as", "dave@acme.example", "--auto-approve", "--recipient", key], in: sandbox.url,
            environment: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        try await vcc.clearRequests()

        try sandbox.write(
            "manifests/acme.yaml",
            Self.manifests(
                bobLicense: "supervisor", daveGone: true,
                more: "  - id: erin\n    name: Erin\n    license: wallboard\n    email: erin@acme.example"))
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve", "--format", "json"], in: sandbox.url,
            environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let applied = (answer["applied"] as! [[String: Any]]).map { $0["id"] as! String }
        // In plan order: the credential before its owner.
        #expect(applied.count == 4 && applied[2].hasPrefix("credential:"), "\(applied)")
        #expect(
            applied.filter { $0.hasPrefix("user:") } == [
                "user:bob@acme.example", "user:erin", "user:dave@acme.example",
            ])

        let seen = try await vcc.snapshot()
        let writes = seen.requests.filter { $0.method != "GET" && $0.path.hasPrefix("/useradmin") }
        #expect(writes.map(\.method) == ["PATCH", "POST", "PATCH", "DELETE"], "\(writes)")
        for request in seen.requests where request.path.hasPrefix("/useradmin") {
            #expect(request.accept == "application/vnd.newvoicemedia.v4+json")
            #expect(request.bearer == true)
            #expect(request.scopes == (request.method == "GET" ? ["users:read"] : ["users:write"]), "\(request)")
        }
        let users = Dictionary(uniqueKeysWithValues: seen.users.map { ($0.username, $0) })
        #expect(users["erin"]?.userAccountConfiguration.role == "Wallboard")
        #expect(users["erin"]?.email == "erin@acme.example")
        #expect(users["bob@acme.example"]?.userAccountConfiguration.role == "Supervisor")
        #expect(users["dave@acme.example"] == nil)
        // Each change its own serial, in order, and VCC and the state agree.
        let audit = try sandbox.read("state.json.audit.jsonl")
        let daveCredential = audit.range(of: "\"change\":\"credential:dave@acme.example/dave-report\"")!
        let daveUser = audit.range(of: "\"action\":\"delete\",\"actor\":\"\(Self.adaId)\",\"change\":\"user:dave")!
        #expect(daveCredential.lowerBound < daveUser.lowerBound)
        let state = try sandbox.read("state.json")
        #expect(!state.contains("dave@acme.example"))
        #expect(state.contains("\"userExecutor\": \"api\""))
        let again = try CLI.run(["refresh", "--dry-run"], in: sandbox.url, environment: environment)
        #expect(again.status == 0, "\(again.stdout)")
        let plan = try CLI.run(["plan", "--as", Self.adaId], in: sandbox.url, environment: environment)
        #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
        // The tool's secret and the tokens it bought: in no output and no file.
        let tokens = try await vcc.snapshot().tokens
        #expect(!tokens.isEmpty)
        let files = try sandbox.snapshot().filter { !$0.key.hasPrefix("standin/") && $0.key != "client-secret" }
        for secret in [StandIn.secret] + tokens {
            for output in [result.stdout, result.stderr, first.stdout, first.stderr] {
                #expect(!output.contains(secret))
            }
            for (name, bytes) in files { #expect(!String(decoding: bytes, as: UTF8.self).contains(secret), "\(name)") }
        }
    }

    @Test func aCredentialWithoutUsersWriteIsRefusedBeforeAnythingChanges() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam, scopes: ["users:read"])
        let environment = try Self.apiAccount(sandbox, vcc)
        try sandbox.write("manifests/acme.yaml", Self.manifests(bobLicense: "supervisor"))
        try await vcc.clearRequests()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: VCC refused a token for scope 'users:write' (invalid_scope): the tool's credential does not "
                + "hold 'users:write'; an admin must give it that scope in the portal\n")
        #expect(try sandbox.snapshot() == before)
        #expect(try await vcc.snapshot().requests.allSatisfy { $0.method == "GET" || $0.path.hasPrefix("/Auth") })
    }

    @Test func aUserToCreateWithoutAnEmailIsRefusedBeforeAnythingChanges() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        try sandbox.write(
            "manifests/acme.yaml", Self.manifests(more: "  - id: kiosk1\n    name: Kiosk\n    license: wallboard"))
        try await vcc.clearRequests()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("manifests/acme.yaml:"), "\(result.stderr)")
        #expect(
            result.stderr.contains("user 'kiosk1' must be created through VCC's User Admin API, which needs an email"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try sandbox.snapshot() == before)
        #expect(try await vcc.snapshot().requests.isEmpty)
    }

    @Test func answersLostOrRefusedLeaveVCCAndTheStateAgreeing() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        try sandbox.write(
            "manifests/acme.yaml",
            Self.manifests(
                bobLicense: "supervisor",
                more: "  - id: erin@acme.example\n    name: Erin\n    license: wallboard", credential: false))
        // The create is made but its answer lost; the PATCH meets a storm of 429s and a
        // dropped connection after it was carried out.
        try await vcc.inject([
            ["method": "POST", "path": "/useradmin/users", "loseAnswer": true, "times": 1],
            ["method": "PATCH", "path": "/useradmin/users", "status": 429, "times": 3],
            ["method": "PATCH", "path": "/useradmin/users", "loseAnswer": true, "times": 1],
        ])
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("asked VCC: VCC has user 'erin@acme.example' (wallboard): recorded"),
            "\(result.stderr)")
        let seen = try await vcc.snapshot()
        #expect(seen.users.filter { $0.username == "erin@acme.example" }.count == 1, "a second create")
        #expect(try CLI.run(["refresh", "--dry-run"], in: sandbox.url, environment: environment).status == 0)

        // A 500 to a create (VCC made nothing): the run stops, says what was not made,
        // and the next apply makes it, once.
        try sandbox.write(
            "manifests/acme.yaml",
            Self.manifests(
                bobLicense: "supervisor",
                more: "  - id: erin@acme.example\n    name: Erin\n    license: wallboard\n"
                    + "  - id: fay@acme.example\n    name: Fay\n    license: agent", credential: false))
        try await vcc.inject([["method": "POST", "path": "/useradmin/users", "status": 500, "times": 1]])
        let stopped = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("error: create user:fay@acme.example: POST "), "\(stopped.stderr)")
        #expect(stopped.stdout.contains("Not made"), "\(stopped.stdout)")
        #expect(!(try sandbox.read("state.json")).contains("fay@"))
        let retried = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try await vcc.snapshot().users.filter { $0.username == "fay@acme.example" }.count == 1)
        #expect(try CLI.run(["refresh", "--dry-run"], in: sandbox.url, environment: environment).status == 0)
    }

    @Test func aRunKilledAfterVCCMadeTheChangeIsSettledByTheNextApply() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        try sandbox.write(
            "manifests/acme.yaml",
            Self.manifests(more: "  - id: erin@acme.example\n    name: Erin\n    license: wallboard", credential: false)
        )
        // VCC makes the user, then takes five seconds to say so: the run is killed meanwhile.
        try await vcc.inject([["method": "POST", "path": "/useradmin/users", "delayAfter": 5, "times": 1]])
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["apply", "--as", Self.adaId, "--auto-approve"]
        process.currentDirectoryURL = sandbox.url
        process.environment = ProcessInfo.processInfo.environment.merging(
            environment.merging(Golden.clock) { first, _ in first }
        ) { _, given in given }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while try await !vcc.snapshot().users.contains(where: { $0.username == "erin@acme.example" }), waited < 200 {
            usleep(50_000)
            waited += 1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(
            FileManager.default.fileExists(atPath: sandbox.path("state.json.remote")),
            "the intent was not written before the request")
        #expect(!(try sandbox.read("state.json")).contains("erin@"))

        // A plan writes nothing, and runs; a writer that cannot settle it refuses.
        let local = try CLI.run(["plan", "--as", Self.adaId], in: sandbox.url, environment: environment)
        #expect(local.status == 0)
        // (The lock file records who last held it: not part of what is compared.)
        let before = try sandbox.snapshot().filter { $0.key != "state.json.lock" }
        let refused = try CLI.run(["refresh"], in: sandbox.url, environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("holds a user change an interrupted apply sent to VCC"), "\(refused.stderr)")
        #expect(try sandbox.snapshot().filter { $0.key != "state.json.lock" } == before)
        let next = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(
            next.stderr.contains("recovered: VCC has user 'erin@acme.example' (wallboard): recorded"), "\(next.stderr)")
        #expect(next.stdout.contains("No changes") || next.stdout.contains("Nothing to apply"), "\(next.stdout)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("state.json.remote")))
        #expect(try await vcc.snapshot().users.filter { $0.username == "erin@acme.example" }.count == 1)
        let audit = try sandbox.read("state.json.audit.jsonl")
        #expect(audit.contains("\"reason\":\"settled: a user change an apply sent to VCC, recorded as VCC has it\""))
    }
}

extension RefreshTests {
    @Test func onAPortalAccountAUserWaitsForThePortalStepThatDeletesTheirCredential() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let initialized = try CLI.run(
            [
                "init", "--state", "state.json", "--account", "acme", "--admin", Self.ada.username, "--executor",
                "portal", "--user-executor", "api",
            ],
            in: sandbox.url)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        var environment = try vcc.environment(in: sandbox)
        environment["VCC_CREDS_STATE"] = "state.json"
        #expect(try CLI.run(["refresh"], in: sandbox.url, environment: environment).status == 0)
        try sandbox.write(
            "listing.csv",
            "name,clientId,owner,level,scopes\n"
                + "dave-report,5d5d5d5d-0000-4000-8000-000000000001,dave@acme.example,user,interaction-content:read\n")
        let imported = try CLI.run(
            ["import", "--as", Self.adaId, "listing.csv"], in: sandbox.url, environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        try sandbox.write("manifests/acme.yaml", Self.manifests(bobLicense: "supervisor", daveGone: true))
        try await vcc.clearRequests()
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve", "--format", "json"], in: sandbox.url,
            environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(answer["notMade"] as? [String] == ["user:dave@acme.example"], "\(answer)")
        #expect(answer["outcome"] as? String == "handed-to-portal")
        // Bob's licence changed in VCC; Dave is still there, his credential's deletion a step.
        let seen = try await vcc.snapshot()
        #expect(
            seen.requests.filter { $0.method != "GET" && $0.path.hasPrefix("/useradmin") }.map(\.method) == ["PATCH"])
        #expect(seen.users.contains { $0.username == "dave@acme.example" })
        let pending = try CLI.run(["pending"], in: sandbox.url, environment: environment)
        #expect(pending.stdout.contains("Delete credential dave@acme.example/dave-report"), "\(pending.stdout)")
        #expect(!pending.stdout.contains("user dave"), "\(pending.stdout)")
        // Once the step is done and recorded, the next apply deletes Dave through the API.
        let recorded = try CLI.run(
            ["record", "credential:5d5d5d5d-0000-4000-8000-000000000001", "--done"], in: sandbox.url,
            environment: environment)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let next = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(try await !vcc.snapshot().users.contains { $0.username == "dave@acme.example" })
        #expect(try CLI.run(["refresh", "--dry-run"], in: sandbox.url, environment: environment).status == 0)
    }
}

extension RefreshTests {
    @Test func whatWouldStopTheCredentialChangesStopsTheRunBeforeVCCChanges() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        // A new user, and a credential for Ada with nobody to seal its secret for.
        try sandbox.write(
            "manifests/acme.yaml",
            Self.manifests(
                bobLicense: "supervisor", more: "  - id: erin@acme.example\n    name: Erin\n    license: wallboard",
                credential: false)
                + "credentials:\n  - name: ada-export\n    owner: ada@acme.example\n    scopes: [stats]\n")
        try await vcc.clearRequests()
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["apply", "--as", Self.adaId, "--auto-approve"], in: sandbox.url, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("recipient"), "\(result.stderr)")
        #expect(try sandbox.snapshot() == before)
        #expect(try await vcc.snapshot().requests.allSatisfy { $0.method == "GET" || $0.path.hasPrefix("/Auth") })
    }

    @Test func aStateWrittenWhileVCCIsReadStopsARefreshingApply() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.apiTeam)
        let environment = try Self.apiAccount(sandbox, vcc)
        try sandbox.write("manifests/acme.yaml", Self.manifests(credential: false))
        try await vcc.inject([["method": "GET", "path": "/useradmin/users", "delay": 2, "times": 1]])
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["apply", "--as", Self.adaId, "--auto-approve", "--refresh"]
        process.currentDirectoryURL = sandbox.url
        process.environment = ProcessInfo.processInfo.environment.merging(
            environment.merging(Golden.clock) { first, _ in first }
        ) { _, given in given }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        usleep(700_000)
        // Another run writes the state meanwhile.
        let other = try CLI.run(
            ["account", "--user-executor", "local", "--as", Self.adaId], in: sandbox.url, environment: environment)
        #expect(other.status == 0, "\(other.stderr)")
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 4, "\(stderr)")
        #expect(stderr.contains("the state changed while VCC's users were read"), "\(stderr)")
    }
}
