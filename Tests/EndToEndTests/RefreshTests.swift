import Foundation
import Testing

/// `refresh` against the stand-in VCC over real HTTP on loopback: adoption, each kind of
/// drift in each format, the contract's headers and scopes, faults, bad input, secrets.
@Suite(.serialized) struct RefreshTests {
    static let ada = StandIn.User(
        userId: "0a0a0a0a-0000-4000-8000-000000000001", username: "ada@acme.example", name: "Ada Admin",
        email: "ada@acme.example", role: "Admin")
    static let team: [StandIn.User] = [
        ada,
        .init(
            userId: "0b0b0b0b-0000-4000-8000-000000000002", username: "bob@acme.example", name: "Bob",
            email: "bob@acme.example", role: "Agent"),
        .init(
            userId: "0c0c0c0c-0000-4000-8000-000000000003", username: "carol@acme.example", name: "Carol",
            email: "carol@acme.example", role: "Supervisor"),
        .init(
            userId: "0d0d0d0d-0000-4000-8000-000000000004", username: "dave@acme.example", name: "Dave",
            email: nil, role: "Agent"),
        .init(
            userId: "0e0e0e0e-0000-4000-8000-000000000005", username: "vonage-support", name: "Vonage",
            email: nil, role: "NvmAdmin"),
    ]

    /// A new account's state, with its first admin.
    static func initialize(_ sandbox: Sandbox) throws {
        let result = try CLI.run(
            ["init", "--state", "state.json", "--account", "acme", "--admin", ada.username, "--admin-name", "Ada"],
            in: sandbox.url)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func anEmptyStateAdoptsTwelveHundredUsersOverThreePages() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: [Self.ada], generate: 1199, maxPageSize: 500)
        try Self.initialize(sandbox)
        let environment = try vcc.environment(in: sandbox)
        let result = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        // 1,199 adopted, and the admin `init` named gets her name and email from VCC.
        #expect(
            result.stdout.hasPrefix("VCC users of account acme against state serial 1: 1200 read, 1201 differences:\n"))
        #expect(result.stdout.hasSuffix("State serial 2 committed.\n"))
        let state = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as! [String: Any]
        let users = state["users"] as! [[String: Any]]
        #expect(users.count == 1200)
        #expect(users.allSatisfy { $0["vccUserId"] is String })
        #expect(users.first { $0["id"] as? String == Self.ada.username }?["name"] as? String == "Ada Admin")
        let seen = try await vcc.snapshot()
        let pages = seen.requests.filter { $0.path == "/useradmin/users" }
        #expect(pages.map(\.query) == (1...3).map { "include=All&limit=5000&page=\($0)" })
        #expect(seen.requests.filter { $0.path == "/Auth/connect/token" }.count == 1)
        for request in seen.requests where request.path.hasPrefix("/useradmin") {
            #expect(request.accept == "application/vnd.newvoicemedia.v4+json")
            #expect(request.bearer == true)
            #expect(request.scopes == ["users:read"])
        }
        // Adopted: a second refresh finds nothing.
        let again = try CLI.run(
            ["refresh", "--state", "state.json", "--dry-run"], in: sandbox.url, environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("1200 read, no drift."))
    }

    @Test func eachKindOfDriftIsReportedInEveryFormatAndTakenIn() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        let environment = try vcc.environment(in: sandbox)
        #expect(
            try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment).status == 0)
        // What people then did in the portal.
        try await vcc.portal(
            .init(username: "bob@acme.example", name: "Bob", email: "bob@acme.example", role: "Supervisor"))
        try await vcc.portal(
            .init(username: "carol@acme.example", name: "Carol Jones", email: "carol@acme.example", role: "Supervisor"))
        try await vcc.portal(
            .init(username: "dave@acme.example", name: "Dave", email: nil, role: "Agent", active: false))
        try await vcc.portal(
            .init(username: "ada@acme.example", name: "Ada Admin", email: "ada@ops.acme.example", role: "Admin"))
        try await vcc.portal(
            .init(
                userId: "0f0f0f0f-0000-4000-8000-000000000006", username: "erin@acme.example", name: "Erin",
                email: "erin@acme.example", role: "Wallboard"))
        let before = try sandbox.snapshot()
        for (format, golden) in [
            ("text", "refresh-drift.txt"), ("json", "refresh-drift.json"), ("markdown", "refresh-drift.md"),
        ] {
            let result = try CLI.run(
                ["refresh", "--state", "state.json", "--dry-run", "--format", format], in: sandbox.url,
                environment: environment)
            #expect(result.status == 2, "\(format): \(result.stderr)")
            #expect(result.stderr.isEmpty)
            try Golden.check(result.stdout, golden)
        }
        #expect(try sandbox.snapshot() == before, "a dry run wrote something")
        let taken = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(taken.status == 0, "\(taken.stderr)")
        let state = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as! [String: Any]
        let users = Dictionary(
            uniqueKeysWithValues: (state["users"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        #expect(users["bob@acme.example"]?["license"] as? String == "supervisor")
        #expect(users["carol@acme.example"]?["name"] as? String == "Carol Jones")
        #expect(users["dave@acme.example"] == nil)
        #expect(users["erin@acme.example"]?["license"] as? String == "wallboard")
        #expect(users["ada@acme.example"]?["email"] as? String == "ada@ops.acme.example")
        #expect(users["vonage-support"] == nil)
        let audit = try sandbox.read("state.json.audit.jsonl")
        #expect(audit.contains("\"event\":\"refreshed\""))
        let none = try CLI.run(
            ["refresh", "--state", "state.json", "--dry-run"], in: sandbox.url, environment: environment)
        #expect(none.status == 0)
        #expect(none.stdout.contains("no drift"))
    }

    @Test func aUserWhoOwnsCredentialsIsKeptWhenVCCArchivesThem() async throws {
        let sandbox = try Sandbox.acme()
        let vcc = try StandIn(
            in: sandbox,
            users: [
                .init(username: Acme.alice, name: "Alice", email: nil, role: "Admin"),
                .init(username: Acme.sam, name: "Sam", email: nil, role: "Supervisor", active: false),
            ])
        let environment = try vcc.environment(in: sandbox)
        let result = try CLI.run(
            ["refresh", "--state", "state.json", "--dry-run"], in: sandbox.url, environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        let sam = result.stdout.split(separator: "\n").first { $0.contains(Acme.sam) } ?? ""
        #expect(sam.contains("archived in VCC; kept: owns"), "\(sam)")
    }

    @Test func faultsAreRetriedAndTheRunFinishes() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team, maxPageSize: 2)
        try Self.initialize(sandbox)
        try await vcc.inject([
            ["path": "/Auth/connect/token", "status": 429, "times": 1],
            // Five failures in a row for the first page: the sixth and last attempt answers.
            ["path": "/useradmin/users", "status": 429, "retryAfter": 0, "times": 1],
            ["path": "/useradmin/users", "status": 503, "times": 1],
            ["path": "/useradmin/users", "drop": true, "times": 1],
            ["path": "/useradmin/users", "loseAnswer": true, "times": 1],
            ["path": "/useradmin/users", "status": 500, "retryAfter": 0, "times": 1],
        ])
        let environment = try vcc.environment(in: sandbox)
        let result = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let state = try sandbox.read("state.json")
        for user in ["bob@acme.example", "carol@acme.example", "dave@acme.example"] { #expect(state.contains(user)) }
        let seen = try await vcc.snapshot()
        // Three pages (of 2, 2 and 1 users: four managed users and Vonage's own).
        #expect(Set(seen.requests.filter { $0.path == "/useradmin/users" }.map(\.query)).count == 3)
    }

    @Test func aStormThatOutlastsTheRetriesStopsWithOneLineAndWritesNothing() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        try await vcc.inject([["path": "/useradmin/users", "status": 429, "retryAfter": 0, "times": 6]])
        let before = try sandbox.snapshot()
        let result = try CLI.run(
            ["refresh", "--state", "state.json"], in: sandbox.url, environment: try vcc.environment(in: sandbox))
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: GET http://127.0.0.1:\(vcc.port)/useradmin/users?include=All&limit=5000&page=1: VCC answered "
                + "429 Too Many Requests (gave up after 6 attempts)\n")
        var after = try sandbox.snapshot()
        after.removeValue(forKey: "client-secret")
        var expected = before
        expected.removeValue(forKey: "client-secret")
        #expect(after == expected)

        try await vcc.inject([["path": "/useradmin/users", "status": 429, "retryAfter": 3600, "times": 1]])
        let long = try CLI.run(
            ["refresh", "--state", "state.json"], in: sandbox.url, environment: try vcc.environment(in: sandbox))
        #expect(long.status == 1)
        #expect(long.stderr.contains("asked to retry after 3600 s"), "\(long.stderr)")
    }

    @Test(arguments: [
        (
            "region", ["VCC_CREDS_REGION": "mars", "VCC_CREDS_TOKEN_URL": "", "VCC_CREDS_USERADMIN_URL": ""],
            "error: VCC_CREDS_REGION is 'mars'; a region is emea, nam or apac\n"
        ),
        (
            "no region", ["VCC_CREDS_TOKEN_URL": "", "VCC_CREDS_USERADMIN_URL": ""],
            "error: no VCC region: set VCC_CREDS_REGION (emea, nam or apac), or "
                + "VCC_CREDS_TOKEN_URL for the token endpoint\n"
        ),
        (
            "no client", ["VCC_CREDS_CLIENT_ID": ""],
            "error: no API credential for vcc-creds: set VCC_CREDS_CLIENT_ID and VCC_CREDS_CLIENT_SECRET or "
                + "VCC_CREDS_CLIENT_SECRET_FILE (an admin's credential with the scopes the command needs)\n"
        ),
        (
            "both secrets", ["VCC_CREDS_CLIENT_SECRET": "x"],
            "error: both VCC_CREDS_CLIENT_SECRET and VCC_CREDS_CLIENT_SECRET_FILE are set: unset one\n"
        ),
        (
            "plain http", ["VCC_CREDS_USERADMIN_URL": "http://example.com/useradmin"],
            "error: VCC_CREDS_USERADMIN_URL 'http://example.com/useradmin' is plain http to example.com; http is "
                + "allowed on loopback only, use https\n"
        ),
        (
            "rate", ["VCC_CREDS_RATE_LIMIT": "0"],
            "error: VCC_CREDS_RATE_LIMIT is '0'; give requests a minute, 1 to 6000\n"
        ),
    ])
    func badSettingsStopWithOneLine(_ name: String, _ change: [String: String], _ expected: String) throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        var environment = try vcc.environment(in: sandbox)
        for (key, value) in change { environment[key] = value }
        let before = try sandbox.snapshot()
        let result = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(result.status == 1, "\(name)")
        #expect(result.stderr == expected, "\(name)")
        #expect(result.stdout.isEmpty)
        #expect(try sandbox.snapshot() == before, "\(name)")
    }

    @Test(arguments: [
        (
            "html", 200, "<html><body>Service Unavailable</body></html>",
            "VCC's answer is not JSON (Content-Type application/json; charset=utf-8)"
        ),
        (
            "shape", 200, #"{"items": [{"userId": "x", "username": "a"}]}"#,
            "VCC's answer has user #1 without a usable 'name'"
        ),
        ("envelope", 200, #"{"data": []}"#, "VCC's answer has no 'items' or 'users' array"),
        (
            "role", 200,
            #"{"items": [{"userId": "x", "username": "a", "name": "A", "active": true, "userAccountConfiguration": {"role": "Overlord"}}]}"#,
            "VCC's answer has user #1 with role 'Overlord', not Admin, Supervisor, Agent, Wallboard or NvmAdmin"
        ),
        ("forbidden", 403, #"{"message": "Forbidden"}"#, "VCC answered 403: Forbidden"),
    ])
    func badAnswersStopWithOneLine(_ name: String, _ status: Int, _ body: String, _ expected: String) async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        try await vcc.inject([["path": "/useradmin/users", "status": status, "body": body]])
        let environment = try vcc.environment(in: sandbox)
        let before = try sandbox.snapshot()
        let result = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(result.status == 1, "\(name)")
        #expect(
            result.stderr
                == "error: GET http://127.0.0.1:\(vcc.port)/useradmin/users?include=All&limit=5000&page=1: \(expected)\n",
            "\(name)")
        #expect(try sandbox.snapshot() == before, "\(name)")
    }

    @Test func aRefusedCredentialIsOneLineNamingTheScope() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team, scopes: ["interaction-content:read"])
        try Self.initialize(sandbox)
        var environment = try vcc.environment(in: sandbox)
        let refused = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "error: VCC refused a token for scope 'users:read' (invalid_scope): the tool's credential does not "
                + "hold 'users:read'; an admin must give it that scope in the portal\n")
        try sandbox.write("client-secret", "not-the-secret\n")
        environment["VCC_CREDS_CLIENT_SECRET_FILE"] = sandbox.path("client-secret")
        let wrong = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.hasPrefix("error: VCC refused a token for scope 'users:read' (invalid_client): check"))
    }

    @Test func theSecretAndTokensAppearNowhere() async throws {
        let sandbox = try Sandbox()
        let vcc = try StandIn(in: sandbox, users: Self.team)
        try Self.initialize(sandbox)
        let temporary = try Sandbox(inside: sandbox, named: "tmp")
        var environment = try vcc.environment(in: sandbox, secretInFile: false)
        environment["TMPDIR"] = temporary.url.path
        var outputs: [String] = []
        for arguments in [["--dry-run"], ["--format", "json"], ["--dry-run", "--format", "markdown"], []] {
            let result = try CLI.run(
                ["refresh", "--state", "state.json"] + arguments, in: sandbox.url, environment: environment)
            outputs += [result.stdout, result.stderr]
        }
        // A failing run's message too.
        try await vcc.inject([["path": "/useradmin/users", "status": 401, "times": 2]])
        let failed = try CLI.run(["refresh", "--state", "state.json"], in: sandbox.url, environment: environment)
        #expect(failed.status == 1)
        outputs += [failed.stdout, failed.stderr]
        let seen = try await vcc.snapshot()
        #expect(seen.tokens.count >= 4)
        let secrets = [StandIn.secret] + seen.tokens
        var files = try sandbox.snapshot()
        files = files.filter { !$0.key.hasPrefix("standin/") }
        for secret in secrets {
            for output in outputs { #expect(!output.contains(secret)) }
            for (name, bytes) in files { #expect(!String(decoding: bytes, as: UTF8.self).contains(secret), "\(name)") }
        }
    }
}
