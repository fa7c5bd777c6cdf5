import Foundation
import Testing

/// `probe` and `record`'s check against the stand-in VCC's token endpoint: credentials
/// deleted, narrowed and widened in the portal are found in every format; a mistyped
/// secret or a missing scope is refused before `record` writes; 429 storms are ridden
/// out under the client-side rate limit; no secret or token leaks. In the suite of
/// ``RefreshTests``: serialized, and skipped with it under the moved clock.
extension RefreshTests {
    /// `key.txt`, made by `vcc-creds keygen`; its public key.
    static func newKey(in sandbox: Sandbox) throws -> String {
        let keygen = try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url)
        return try #require(
            (keygen.stdout + keygen.stderr).split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// An account of `count` credentials of Ada's, `cred-01`... each with `stats` and
    /// `users:read`, applied and sealed; the credentials as their bundle holds them.
    static func probedAccount(_ sandbox: Sandbox, count: Int) throws -> [StandIn.Client] {
        try initialize(sandbox)
        let recipient = try Self.newKey(in: sandbox)
        let credentials = (1...count).map {
            "  - {name: \(String(format: "cred-%02d", $0)), owner: ada@acme.example, scopes: [stats, users:read]}"
        }
        try sandbox.write(
            "manifests/acme.yaml",
            """
            account: acme
            settings:
              recipients: [\(recipient)]
            users:
              - {id: ada@acme.example, name: Ada, license: admin}
              - {id: sid@acme.example, name: Sid, license: supervisor}
            credentials:
            \(credentials.joined(separator: "\n"))

            """)
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", "ada@acme.example", "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        let opened = try CLI.run(["unseal", "--identity", "key.txt", "secrets/acme-2.age"], in: sandbox.url)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
        let minted = try #require(payload["credentials"] as? [[String: Any]])
        return minted.map {
            StandIn.Client(
                clientId: $0["clientId"] as! String, secret: $0["clientSecret"] as! String,
                scopes: $0["scopes"] as! [String])
        }.sorted { $0.secret < $1.secret }
    }

    static func clientId(_ name: String, in sandbox: Sandbox) throws -> String {
        let state = try JSONSerialization.jsonObject(with: Data(try sandbox.read("state.json").utf8)) as? [String: Any]
        let credentials = try #require(state?["credentials"] as? [[String: Any]])
        return try #require(credentials.first { $0["name"] as? String == name }?["clientId"] as? String)
    }

    /// Client IDs are minted at random: the golden files name them by credential.
    static func normalized(_ text: String, _ sandbox: Sandbox, names: [String]) throws -> String {
        var text = text
        for name in names { text = text.replacingOccurrences(of: try clientId(name, in: sandbox), with: "ID-\(name)") }
        return text
    }

    @Test func fiftyCredentialsThreeDeletedTwoNarrowedOneWidenedAreFoundInEveryFormat() async throws {
        let sandbox = try Sandbox()
        let clients = try Self.probedAccount(sandbox, count: 50)
        let vcc = try StandIn(in: sandbox, clients: clients)
        var environment = try vcc.environment(in: sandbox)
        environment["TMPDIR"] = sandbox.path("tmp")
        try FileManager.default.createDirectory(atPath: sandbox.path("tmp"), withIntermediateDirectories: true)
        let probe = ["probe", "--state", "state.json", "--identity", "key.txt", "--excess"]
        let agreeing = try CLI.run(probe, in: sandbox.url, environment: environment)
        #expect(agreeing.status == 0, "\(agreeing.stdout)\(agreeing.stderr)")
        #expect(agreeing.stdout.hasPrefix("50 credentials of account acme (state serial 2) asked about at VCC's "))
        #expect(agreeing.stdout.contains(": 50 agree, 0 drift, 0 not checked.\n"))
        // In the portal: three deleted, two lose users:read, one gains interactions:write.
        for name in ["cred-03", "cred-17", "cred-50"] {
            try await vcc.portal(client: try Self.clientId(name, in: sandbox), delete: true)
        }
        for name in ["cred-08", "cred-21"] {
            try await vcc.portal(client: try Self.clientId(name, in: sandbox), scopes: ["stats"])
        }
        try await vcc.portal(
            client: try Self.clientId("cred-30", in: sandbox), scopes: ["interactions:write", "stats", "users:read"])
        let before = try sandbox.snapshot()
        try await vcc.clearRequests()
        let text = try CLI.run(probe, in: sandbox.url, environment: environment)
        #expect(text.status == 2, "\(text.stderr)")
        let drifted = ["cred-03", "cred-08", "cred-17", "cred-21", "cred-30", "cred-50"]
        try Golden.check(try Self.normalized(text.stdout, sandbox, names: drifted), "probe.txt")
        // Each alive credential is asked for all ten scopes; a deleted one once.
        let asked = try await vcc.snapshot().requests
        #expect(asked.count == 47 * 10 + 3)
        #expect(asked.allSatisfy { $0.path == "/Auth/connect/token" })
        #expect(text.stdout.contains("\n473 requests; the rate limit and retries waited "))
        let json = try CLI.run(probe + ["--format", "json"], in: sandbox.url, environment: environment)
        #expect(json.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["summary"] as? [String: Int] == ["agree": 44, "drift": 6, "unchecked": 0])
        let findings = try #require(report["credentials"] as? [[String: Any]])
        func finding(_ name: String) -> [String: Any]? { findings.first { $0["name"] as? String == name } }
        for name in ["cred-03", "cred-17", "cred-50"] {
            #expect(finding(name)?["status"] as? String == "rejected")
        }
        for name in ["cred-08", "cred-21"] {
            #expect(finding(name)?["missing"] as? [String] == ["users:read"])
            #expect(finding(name)?["held"] as? [String] == ["stats"])
        }
        #expect(finding("cred-30")?["excess"] as? [String] == ["interactions:write"])
        #expect(finding("cred-01")?["status"] as? String == "alive")
        #expect(finding("cred-01")?["excess"] as? [String] == [])
        let markdown = try CLI.run(probe + ["--format", "markdown"], in: sandbox.url, environment: environment)
        #expect(markdown.status == 2)
        try Golden.check(try Self.normalized(markdown.stdout, sandbox, names: drifted), "probe.md")
        // A probe writes nothing, and no secret or token is anywhere but VCC.
        #expect(try sandbox.snapshot() == before)
        let tokens = try await vcc.snapshot().tokens
        #expect(tokens.count > 100)
        let outputs = [agreeing, text, json, markdown].map { $0.stdout + $0.stderr }.joined()
        var files = ""
        for (path, data) in try sandbox.snapshot() where !path.hasPrefix("standin/") {
            files += String(decoding: data, as: UTF8.self)
        }
        for secret in clients.map(\.secret) + tokens {
            #expect(!outputs.contains(secret) && !files.contains(secret))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("tmp")).isEmpty)
        // The deleted are forgotten, and the portal put right: VCC agrees again.
        for name in ["cred-03", "cred-17", "cred-50"] {
            let forgot = try CLI.run(
                [
                    "forget", "--state", "state.json", "--as", "ada@acme.example", try Self.clientId(name, in: sandbox),
                    "--reason", "deleted in the portal",
                ], in: sandbox.url)
            #expect(forgot.status == 0, "\(forgot.stderr)")
        }
        for name in ["cred-08", "cred-21", "cred-30"] {
            try await vcc.portal(client: try Self.clientId(name, in: sandbox), scopes: ["stats", "users:read"])
        }
        let settled = try CLI.run(probe, in: sandbox.url, environment: environment)
        #expect(settled.status == 0, "\(settled.stdout)")
        #expect(settled.stdout.contains("47 credentials of account acme (state serial 5)"))
    }

    @Test func aTargetedProbeAsksOnlyAboutItsCredentialAndListsWhatItCannotCheck() async throws {
        let sandbox = try Sandbox()
        let clients = try Self.probedAccount(sandbox, count: 3)
        let vcc = try StandIn(in: sandbox, clients: clients)
        let environment = try vcc.environment(in: sandbox)
        let one = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "key.txt", "--target", "ada@acme.example/cred-02"],
            in: sandbox.url, environment: environment)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("1 credential of account acme"))
        let asked = try await vcc.snapshot().requests
        #expect(Set(asked.compactMap(\.clientId)) == [try Self.clientId("cred-02", in: sandbox)])
        // A key that opens nothing: every credential is listed as not checked, with why.
        _ = try CLI.run(["keygen", "-o", "other.txt"], in: sandbox.url)
        let other = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "other.txt"], in: sandbox.url, environment: environment)
        // Not knowing is not agreeing: exit 1, with the report and one error line.
        #expect(other.status == 1)
        #expect(other.stdout.contains("0 agree, 0 drift, 3 not checked"))
        #expect(other.stdout.contains("no sealed file the key opens holds its current secret"))
        #expect(
            other.stderr.hasPrefix("error: 3 credentials could not be checked: no sealed file other.txt opens"),
            "\(other.stderr)")
        // Bad input: one line, exit 1.
        for (arguments, message) in [
            (["--target", "nobody/nothing"], "names no credential of the state"),
            (["--identity", "missing.txt"], "missing.txt"),
            (["--sealed", "secrets/nothing.age"], "secrets/nothing.age"),
            (["--sealed", "key.txt"], "key.txt"),
        ] {
            var full = ["probe", "--state", "state.json", "--identity", "key.txt"]
            full += arguments
            let result = try CLI.run(full, in: sandbox.url, environment: environment)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        // No region and no token URL: nothing is asked.
        let offline = try CLI.run(["probe", "--state", "state.json", "--identity", "key.txt"], in: sandbox.url)
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("no VCC region"), "\(offline.stderr)")
    }

    /// A storm of 429s: the probe rides it out with Retry-After and backoff, and every
    /// attempt stays inside the client-side token bucket (`VCC_CREDS_RATE_LIMIT`: 120 a
    /// minute, bursts of 12).
    @Test func aProbeRidesOutA429StormUnderTheRateLimit() async throws {
        let sandbox = try Sandbox()
        let clients = try Self.probedAccount(sandbox, count: 10)
        let vcc = try StandIn(in: sandbox, clients: clients)
        var environment = try vcc.environment(in: sandbox)
        environment["VCC_CREDS_RATE_LIMIT"] = "120"
        try await vcc.inject([["path": "/Auth/connect/token", "status": 429, "retryAfter": 1, "times": 8]])
        let result = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "key.txt"], in: sandbox.url, environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("10 agree, 0 drift"))
        #expect(result.stdout.contains("\n28 requests; the rate limit and retries waited "))
        let times = try await vcc.snapshot().requests.compactMap(\.at).sorted()
        #expect(times.count == 28)
        // However the attempts fall, no window holds more than the bucket allows: a burst
        // of 12, then one every half second (a little slack for the clocks).
        for i in times.indices {
            for j in times.indices where j > i {
                #expect(Double(j - i + 1) <= 12 + (times[j] - times[i]) / 0.5 + 1.5)
            }
        }
    }

    @Test func recordChecksTheSecretAndTheScopesBeforeItWrites() async throws {
        let sandbox = try Sandbox()
        let initialized = try CLI.run(
            [
                "init", "--state", "state.json", "--account", "acme", "--executor", "portal", "--admin",
                "ada@acme.example", "--admin-name", "Ada",
            ], in: sandbox.url)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let recipient = try Self.newKey(in: sandbox)
        try sandbox.write(
            "manifests/acme.yaml",
            """
            account: acme
            settings:
              recipients: [\(recipient)]
            users:
              - {id: ada@acme.example, name: Ada, license: admin}
            credentials:
              - {name: hooks, owner: ada@acme.example, scopes: [admin:write, stats]}

            """)
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", "ada@acme.example", "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        // In the portal, Ada forgot to tick admin:write.
        let client = StandIn.Client(
            clientId: "5c0ffee0-1b2a-4c3d-8e9f-a0b1c2d3e4f5", secret: "Portal.Secret-0042-verified",
            scopes: ["stats"])
        let vcc = try StandIn(in: sandbox, clients: [client])
        let environment = try vcc.environment(in: sandbox)
        let record = [
            "record", "--state", "state.json", "credential:ada@acme.example/hooks", "--client-id", client.clientId,
        ]
        let before = try sandbox.snapshot()
        let mistyped = try CLI.run(
            record, in: sandbox.url, environment: environment, stdin: "Portal.Secret-0042-verifie\n")
        #expect(mistyped.status == 1)
        #expect(mistyped.stderr.contains("VCC does not authenticate client \(client.clientId) with the secret given"))
        let unticked = try CLI.run(record, in: sandbox.url, environment: environment, stdin: client.secret + "\n")
        #expect(unticked.status == 1)
        #expect(
            unticked.stderr.contains("authenticates but VCC refuses it admin:write (invalid_scope)"),
            "\(unticked.stderr)")
        try await vcc.inject([
            [
                "path": "/Auth/connect/token", "status": 400, "times": 1,
                "body": "{\"error\": \"unauthorized_client\"}",
            ]
        ])
        let refusedOtherwise = try CLI.run(
            record, in: sandbox.url, environment: environment, stdin: client.secret + "\n")
        #expect(refusedOtherwise.status == 1)
        #expect(refusedOtherwise.stderr.contains("unauthorized_client"), "\(refusedOtherwise.stderr)")
        #expect(refusedOtherwise.stderr.contains("--no-verify records without checking"))
        let offline = try CLI.run(record, in: sandbox.url, stdin: client.secret + "\n")
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("or give --no-verify"), "\(offline.stderr)")
        for result in [mistyped, unticked, refusedOtherwise, offline] {
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(!result.stdout.contains(client.secret) && !result.stderr.contains(client.secret))
        }
        #expect(try sandbox.snapshot() == before)
        // Ticked: recorded, and the audit line has no caveat.
        try await vcc.portal(client: client.clientId, scopes: ["admin:write", "stats"])
        let recorded = try CLI.run(record, in: sandbox.url, environment: environment, stdin: client.secret + "\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let audit = try sandbox.read("state.json.audit.jsonl").split(separator: "\n")
        let last = try #require(audit.last)
        #expect(last.contains("\"event\":\"recorded\"") && !last.contains("reason"))
        let tokens = try await vcc.snapshot().tokens
        for secret in [client.secret] + tokens {
            #expect(!recorded.stdout.contains(secret) && !recorded.stderr.contains(secret))
            #expect(!audit.joined().contains(secret))
        }
        // An edit handed to the portal and not yet recorded: VCC may be part way there,
        // so the probe gives no verdict on it (and does not advise undoing the step).
        try sandbox.write(
            "manifests/acme.yaml",
            try sandbox.read("manifests/acme.yaml").replacingOccurrences(of: "[admin:write, stats]", with: "[stats]"))
        let edited = try CLI.run(
            ["apply", "--state", "state.json", "--as", "ada@acme.example", "--auto-approve"], in: sandbox.url)
        #expect(edited.status == 0, "\(edited.stderr)")
        try await vcc.portal(client: client.clientId, scopes: ["stats"])
        let probed = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "key.txt"], in: sandbox.url, environment: environment)
        #expect(probed.status == 0, "\(probed.stdout)\(probed.stderr)")
        #expect(probed.stdout.contains("an open portal step changes it: record the step, then probe it"))
    }

    @Test func recordWithoutVerifyingSaysSoInTheAuditLine() throws {
        let sandbox = try Sandbox()
        let initialized = try CLI.run(
            [
                "init", "--state", "state.json", "--account", "acme", "--executor", "portal", "--admin",
                "ada@acme.example", "--admin-name", "Ada",
            ], in: sandbox.url)
        #expect(initialized.status == 0)
        let recipient = try Self.newKey(in: sandbox)
        try sandbox.write(
            "manifests/acme.yaml",
            """
            account: acme
            settings:
              recipients: [\(recipient)]
            users:
              - {id: ada@acme.example, name: Ada, license: admin}
            credentials:
              - {name: hooks, owner: ada@acme.example, scopes: [stats]}

            """)
        _ = try CLI.run(
            ["apply", "--state", "state.json", "--as", "ada@acme.example", "--auto-approve"], in: sandbox.url)
        let recorded = try CLI.run(
            [
                "record", "--state", "state.json", "credential:ada@acme.example/hooks", "--client-id",
                "5c0ffee0-1b2a-4c3d-8e9f-a0b1c2d3e4f5", "--no-verify",
            ], in: sandbox.url, stdin: "Portal.Secret-0042-unverified\n")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let last = try #require(try sandbox.read("state.json.audit.jsonl").split(separator: "\n").last)
        #expect(last.contains("\"reason\":\"not verified against VCC (--no-verify)\""), "\(last)")
        let misplaced = try CLI.run(
            ["record", "--state", "state.json", "user:ada@acme.example", "--done", "--no-verify"], in: sandbox.url)
        #expect(misplaced.status == 1)
        #expect(misplaced.stderr.contains("--no-verify is for a create"))
    }

    /// A scope the manifests declare is asked for like VCC's own: held when declared,
    /// excess when not, and only of owners whose licence may grant it.
    @Test func aDeclaredScopeIsProbedLikeVCCsOwn() async throws {
        let sandbox = try Sandbox()
        try Self.initialize(sandbox)
        let recipient = try Self.newKey(in: sandbox)
        try sandbox.write(
            "manifests/acme.yaml",
            """
            account: acme
            settings:
              recipients: [\(recipient)]
              scopes:
                - {id: reports:read, label: Read scheduled reports, unlocks: [Reports API (read)], licenses: [admin, supervisor]}
            users:
              - {id: ada@acme.example, name: Ada, license: admin}
              - {id: sid@acme.example, name: Sid, license: supervisor}
            credentials:
              - {name: reports, owner: ada@acme.example, scopes: [reports:read]}
              - {name: team, owner: sid@acme.example, scopes: [users:read]}

            """)
        let applied = try CLI.run(
            ["apply", "--state", "state.json", "--as", "ada@acme.example", "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 3, "\(applied.stderr)")
        let bySid = try CLI.run(
            ["apply", "--state", "state.json", "--as", "sid@acme.example", "--auto-approve"], in: sandbox.url)
        #expect(bySid.status == 0, "\(bySid.stderr)")
        var clients: [StandIn.Client] = []
        for bundle in ["secrets/acme-2.age", "secrets/acme-3.age"] {
            let opened = try CLI.run(["unseal", "--identity", "key.txt", bundle], in: sandbox.url)
            let payload = try #require(
                try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
            for item in try #require(payload["credentials"] as? [[String: Any]]) {
                let scopes = item["scopes"] as! [String]
                clients.append(
                    StandIn.Client(
                        clientId: item["clientId"] as! String, secret: item["clientSecret"] as! String,
                        // In the portal, Sid's credential was also given the new scope.
                        scopes: item["name"] as? String == "team" ? scopes + ["reports:read"] : scopes))
            }
        }
        let vcc = try StandIn(in: sandbox, clients: clients)
        let environment = try vcc.environment(in: sandbox)
        let result = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "key.txt", "--excess", "--format", "json"],
            in: sandbox.url, environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["credentials"] as? [[String: Any]])
        let reports = try #require(findings.first { $0["name"] as? String == "reports" })
        #expect(reports["held"] as? [String] == ["reports:read"])
        #expect(reports["excess"] as? [String] == [])
        let team = try #require(findings.first { $0["name"] as? String == "team" })
        #expect(team["excess"] as? [String] == ["reports:read"])
        // Sid's: users:read, then interaction-content:read and reports:read; Ada's: all
        // eleven scopes an admin could grant.
        #expect(report["requests"] as? Int == 3 + 11)
    }

    /// `plan --probe-report`: a rejected credential is planned as gone (its entry as a
    /// new credential), scopes from what VCC gave tokens for; for review only; a report
    /// of another state, or a malformed one, is refused with its place.
    @Test func aPlanTakesTheProbeReportIn() async throws {
        let sandbox = try Sandbox()
        let clients = try Self.probedAccount(sandbox, count: 3)
        let vcc = try StandIn(in: sandbox, clients: clients)
        let environment = try vcc.environment(in: sandbox)
        try await vcc.portal(client: try Self.clientId("cred-01", in: sandbox), delete: true)
        try await vcc.portal(client: try Self.clientId("cred-02", in: sandbox), scopes: ["stats"])
        let probed = try CLI.run(
            ["probe", "--state", "state.json", "--identity", "key.txt", "--format", "json"], in: sandbox.url,
            environment: environment)
        #expect(probed.status == 2)
        try sandbox.write("probe.json", probed.stdout)
        let plan = ["plan", "--state", "state.json", "--as", "ada@acme.example", "--probe-report", "probe.json"]
        let before = try sandbox.snapshot()
        let planned = try CLI.run(plan + ["--format", "json"], in: sandbox.url)
        #expect(planned.status == 0, "\(planned.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
        let changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes.count == 2)
        let create = try #require(changes.first { $0["action"] as? String == "create" })
        #expect((create["target"] as? [String: Any])?["name"] as? String == "cred-01")
        let update = try #require(changes.first { $0["action"] as? String == "update" })
        #expect((update["target"] as? [String: Any])?["name"] as? String == "cred-02")
        #expect((update["apis"] as? [String: [String]])?["gained"] == ["Agents API (read)", "User Admin API (read)"])
        #expect(planned.stderr.contains("probe.json: warning: credential ada@acme.example/cred-01 ("))
        #expect(planned.stderr.contains("VCC no longer authenticates it; planned as gone"))
        #expect(planned.stderr.contains("VCC has its scopes as [stats]; planned from there"))
        #expect(try sandbox.snapshot() == before)
        let saved = try CLI.run(plan + ["--out", "plan.json"], in: sandbox.url)
        #expect(saved.status == 1)
        #expect(saved.stderr.contains("--probe-report is for review"))
        // Another state's report, and a malformed one.
        try sandbox.write(
            "other.json",
            probed.stdout.replacingOccurrences(
                of: "\"lineage\": \"", with: "\"lineage\": \"0", options: [], range: nil))
        let other = try CLI.run(
            ["plan", "--state", "state.json", "--as", "ada@acme.example", "--probe-report", "other.json"],
            in: sandbox.url)
        #expect(other.status == 1)
        #expect(other.stderr.hasPrefix("other.json: error: is not a probe report of this state"), "\(other.stderr)")
        try sandbox.write(
            "bad.json", probed.stdout.replacingOccurrences(of: "\"status\": \"rejected\"", with: "\"status\": \"gone\"")
        )
        let bad = try CLI.run(
            ["plan", "--state", "state.json", "--as", "ada@acme.example", "--probe-report", "bad.json"],
            in: sandbox.url)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.json:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("status 'gone' is not alive, rejected or unchecked"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }
}
