import Foundation
import Testing

/// `vcc-creds export --state FILE --as USER`: manifests for everything USER can see.
/// The promise tested here: written into an empty manifests folder and planned as the
/// same user, the export shows no changes and nothing unmanaged.
@Suite struct ExportTests {
    // MARK: 1. the example account

    @Test(arguments: [
        ExportView(actor: "alice@acme.example", credentials: 7, hidden: 0),  // admin: every credential
        ExportView(actor: "sam@acme.example", credentials: 2, hidden: 5),  // supervisor: his own
        ExportView(actor: "ana@acme.example", credentials: 0, hidden: 7),  // agent: none
    ])
    func theExampleRoundTrips(_ view: ExportView) throws {
        let sandbox = try Sandbox()
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: sandbox.url.appendingPathComponent("state.json"))
        let before = try sandbox.snapshot()
        let exported = try CLI.run(["export", "--state", "state.json", "--as", view.actor], in: sandbox.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr == "")
        #expect(try sandbox.snapshot() == before, "export wrote files")

        let yaml = exported.stdout
        #expect(yaml.hasSuffix("\n"))
        #expect(yaml.contains("\naccount: acme\n"))
        // Users are visible to everyone: all seven, whatever the licence.
        #expect(yaml.components(separatedBy: "\n  - id: ").count - 1 == 7)
        #expect(yaml.components(separatedBy: "\n    license: ").count - 1 == 7)
        let names = yaml.matches(of: /\n  - name: ([^\n]+)/).map { String($0.1) }
        #expect(names.count == view.credentials)
        switch view.actor {
        case "alice@acme.example":
            // The account-level credential is pinned by clientId; the user-level ones are not.
            #expect(
                yaml.contains(
                    "  - name: wallboard-legacy\n    level: account\n    clientId: "
                        + "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f\n    scopes: [stats]\n"
                ))
            #expect(yaml.components(separatedBy: "clientId:").count - 1 == 1)
            #expect(!yaml.contains("owner: \n"))
        case "sam@acme.example":
            #expect(Set(names) == ["old-report", "team-dashboard"])
            #expect(!yaml.contains("alice@acme.example\n    scopes"), "Sam sees Alice's credentials")
            #expect(!yaml.contains("level: account"))
        default:
            #expect(!yaml.contains("credentials:"))
        }

        try sandbox.write("adopted/export.yaml", yaml)
        try expectNoChanges(manifests: "adopted", as: view.actor, hidden: view.hidden, in: sandbox)
        let validated = try CLI.run(["validate", "--manifests", "adopted"], in: sandbox.url)
        #expect(validated.status == 0, "\(validated.stderr)")
    }

    @Test func anUnknownActorIsAnError() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let before = try sandbox.snapshot()
        let result = try CLI.run(["export", "--state", "state.json", "--as", "alise@small.example"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("error: --as alise@small.example: not a user in state.json"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try sandbox.snapshot() == before)
    }

    @Test func aBadStateIsAnErrorWithItsPosition() throws {
        let sandbox = try Sandbox()
        try sandbox.write("state.json", "{\n  \"formatVersion\": 1,\n  \"serial\": \"seven\"\n}\n")
        let result = try CLI.run(["export", "--state", "state.json", "--as", "a@b"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.firstMatch(of: #/^state\.json:\d+:\d+: error: /#) != nil, "\(result.stderr)")
    }

    // MARK: 2. a generated account: many users, awkward names, duplicates

    @Test func aGeneratedAccountRoundTripsForAnAdmin() throws {
        let sandbox = try Sandbox()
        let account = GeneratedAccount()
        try sandbox.write("state.json", try account.stateJSON())
        let admin = account.admin

        let exported = try CLI.run(["export", "--state", "state.json", "--as", admin], in: sandbox.url)
        try #require(exported.status == 0, "\(exported.stderr)")
        let yaml = exported.stdout
        try sandbox.write("adopted/export.yaml", yaml)

        let validated = try CLI.run(["validate", "--manifests", "adopted"], in: sandbox.url)
        #expect(validated.status == 0, "\(validated.stderr)")
        let users = account.users.count == 1 ? "1 user" : "\(account.users.count) users"
        let credentials = account.credentials.count == 1 ? "1 credential" : "\(account.credentials.count) credentials"
        #expect(validated.stdout == "adopted: valid (1 file, \(users), \(credentials), account \(account.id))\n")
        try expectNoChanges(manifests: "adopted", as: admin, hidden: 0, in: sandbox)

        // Names YAML would otherwise read as something else are quoted.
        for quoted in [
            "\"yes\"", "\"010\"", "\"a: b\"", "\"#hash\"", "\"\\\"quoted\\\"\"", "\"No\"", "\"null\"", "\"~\"",
            "\"- dash\"", "\"ends:\"", "\"1.5\"", "\"0x1F\"", "\"2026-01-01\"", "\"back\\\\slash\"", "\" lead\"",
            "\"trail \"",
        ] {
            #expect(yaml.contains("name: \(quoted)\n"), "\(quoted) is not written quoted")
        }
        #expect(yaml.contains("  - id: \"yes\"\n"), "the user id yes is not quoted")
        #expect(yaml.contains("    owner: \"yes\"\n"), "the owner yes is not quoted")
        #expect(yaml.contains("  - id: \"010\"\n"))
        #expect(yaml.contains("name: naïve café\n") || yaml.contains("name: \"naïve café\"\n"))

        // Account-level credentials and same-named ones of one owner are pinned by clientId.
        let entries = exportedCredentials(yaml)
        #expect(entries.count == account.credentials.count)
        for credential in account.credentials {
            let pinned = credential.owner == nil || account.sharesItsName(credential)
            let entry = entries.first { $0.contains("clientId: \(credential.clientId)\n") }
            #expect((entry != nil) == pinned, "\(credential.name) (\(credential.clientId)) pinned: \(entry != nil)")
        }
        #expect(account.credentials.filter { account.sharesItsName($0) }.count >= 2)

        // After an edit the export is a manifest to work with: prune now deletes nothing.
        try sandbox.write("adopted/settings.yaml", "settings:\n  prune: true\n  maxDeletes: 0\n")
        try expectNoChanges(manifests: "adopted", as: admin, hidden: 0, in: sandbox)
    }

    /// A supervisor of the generated account sees only their own credentials, and an
    /// agent none: their exports round-trip too, the rest counted as hidden.
    @Test func aGeneratedAccountRoundTripsForASupervisorAndAnAgent() throws {
        let sandbox = try Sandbox()
        let account = GeneratedAccount()
        try sandbox.write("state.json", try account.stateJSON())
        for actor in [account.supervisorWithDuplicates, account.agent] {
            let owned = account.credentials.filter { $0.owner == actor }
            let exported = try CLI.run(["export", "--state", "state.json", "--as", actor], in: sandbox.url)
            try #require(exported.status == 0, "\(exported.stderr)")
            #expect(exportedCredentials(exported.stdout).count == (actor == account.agent ? 0 : owned.count))
            let folder = "adopted-\(actor.prefix { $0 != "@" })"
            try sandbox.write("\(folder)/export.yaml", exported.stdout)
            try expectNoChanges(
                manifests: folder, as: actor,
                hidden: account.credentials.count - (actor == account.agent ? 0 : owned.count), in: sandbox)
        }
    }
}

// MARK: - Support

extension ExportTests {
    /// `plan --detailed-exitcode` over the folder exits 0 with "No changes", and its JSON
    /// has no change and nothing unmanaged.
    func expectNoChanges(
        manifests: String, as actor: String, hidden: Int, in sandbox: Sandbox,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let arguments = ["plan", "--manifests", manifests, "--state", "state.json", "--as", actor]
        let text = try CLI.run(arguments + ["--detailed-exitcode"], in: sandbox.url)
        #expect(text.status == 0, "\(text.stdout.prefix(3000))\(text.stderr)", sourceLocation: sourceLocation)
        #expect(text.stderr == "", sourceLocation: sourceLocation)
        #expect(text.stdout.contains("No changes"), sourceLocation: sourceLocation)
        let json = try CLI.run(arguments + ["--format", "json"], in: sandbox.url)
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)",
            sourceLocation: sourceLocation)
        #expect((plan["changes"] as? [Any])?.isEmpty == true, sourceLocation: sourceLocation)
        #expect(
            plan["summary"] as? [String: Int] == ["create": 0, "update": 0, "delete": 0, "refused": 0],
            sourceLocation: sourceLocation)
        let unmanaged = plan["unmanaged"] as? [String: [Any]]
        #expect(unmanaged?["users"]?.isEmpty == true, "unmanaged users", sourceLocation: sourceLocation)
        #expect(unmanaged?["credentials"]?.isEmpty == true, "unmanaged credentials", sourceLocation: sourceLocation)
        #expect(
            (plan["hidden"] as? [String: Int])?["credentials"] == hidden, "hidden credentials",
            sourceLocation: sourceLocation)
    }

    /// The credential entries of an export, each as its lines.
    func exportedCredentials(_ yaml: String) -> [String] {
        guard let start = yaml.range(of: "\ncredentials:\n") else { return [] }
        return yaml[start.upperBound...].components(separatedBy: "  - name: ").dropFirst().map { "  - name: " + $0 }
    }
}

extension ExportTests {
    struct ExportView: CustomTestStringConvertible, Sendable {
        var actor: String
        var credentials: Int
        var hidden: Int
        var testDescription: String { actor }
    }

    /// An account written by the test: 40 users of every licence, about 200 credentials
    /// (user and account level, same-named ones, names that YAML would misread).
    struct GeneratedAccount {
        struct Credential {
            var clientId: String
            var name: String
            var level: String
            var owner: String?
            var scopes: [String]
            var createdBy: String
        }

        let id = "gen-acct"
        var users: [(id: String, name: String, license: String)] = []
        var credentials: [Credential] = []

        static let awkwardNames = [
            "yes", "No", "on", "OFF", "true", "null", "~", "010", "1.5", "0x1F", "1e3", "2026-01-01", "12:30", "a: b",
            "ends:", "#hash", "a #b", "\"quoted\"", "'single'", "naïve café", "- dash", "? what", "[list]", "{map}",
            "*star", "&anchor", "!tag", "%percent", "@at", "`tick", "|pipe", ">fold", "back\\slash", "x  y", " lead",
            "trail ", "<<", "=", "a,b", "💳 payments", "日本語", "Ünïcödé", ".inf", "-1", "y", "n",
        ]
        static let scopes = [
            "agents-availability:read", "globalpci", "interaction-content:delete", "interaction-content:read",
            "interactions:write", "stats", "users:read", "users:write",
        ]

        var admin: String { users[0].id }
        var agent: String { users.first { $0.license == "agent" }!.id }
        var supervisorWithDuplicates: String { users[1].id }

        init() {
            let licenses = ["admin", "supervisor", "agent", "wallboard"]
            for index in 0..<40 {
                let license = licenses[index % 4]
                users.append(
                    (id: "user\(index < 10 ? "0" : "")\(index)@gen.example", name: "User \(index)", license: license))
            }
            // Ids and names YAML would misread.
            users[4] = (id: "yes", name: "yes", license: "admin")
            users[5] = (id: "010", name: "010", license: "supervisor")
            users[8] = (id: "#hash@gen.example", name: "a: b", license: "admin")
            users[9] = (id: "naïve@gen.example", name: "naïve café", license: "supervisor")
            users[12] = (id: "on", name: "\"quoted\"", license: "admin")
            users[13] = (id: "user13@gen.example", name: "trail ", license: "supervisor")

            let holders = users.filter { $0.license == "admin" || $0.license == "supervisor" }.map(\.id)
            var serial = 0
            func add(_ name: String, owner: String?, scopes: [String]) {
                serial += 1
                let clientId =
                    Self.hex(serial * 2_654_435_761 % 0xFFFF_FFFF, width: 8) + "-0000-4000-8000-"
                    + Self.hex(serial, width: 12)
                credentials.append(
                    Credential(
                        clientId: clientId, name: name, level: owner == nil ? "account" : "user", owner: owner,
                        scopes: scopes, createdBy: owner ?? users[0].id))
            }
            for index in 0..<150 {
                let owner = holders[index % holders.count]
                let first = Self.scopes[index % Self.scopes.count]
                let second = Self.scopes[(index * 3 + 1) % Self.scopes.count]
                add("cred-\(index)", owner: owner, scopes: Array(Set([first, second])).sorted())
            }
            for (index, name) in Self.awkwardNames.enumerated() {
                add(name, owner: holders[(index * 7) % holders.count], scopes: ["users:read"])
            }
            // Account level, including two of one name.
            for index in 0..<5 { add("legacy-\(index)", owner: nil, scopes: ["stats"]) }
            add("legacy-0", owner: nil, scopes: ["users:read", "stats"])
            add("yes", owner: nil, scopes: ["agents-availability:read"])
            // Same-named credentials of one owner (a supervisor and an admin), and the same
            // name held by different owners (not ambiguous: not pinned).
            add("twin", owner: users[1].id, scopes: ["users:read"])
            add("twin", owner: users[1].id, scopes: ["interaction-content:read"])
            add("twin", owner: users[0].id, scopes: ["stats"])
            add("twin", owner: users[0].id, scopes: ["stats"])
            add("twin", owner: users[4].id, scopes: ["stats"])
            // Held before a licence change: a supervisor with admin scopes, an agent's credential.
            add("stranded-stats", owner: users[1].id, scopes: ["stats"])
            add("agent-held", owner: users[2].id, scopes: ["users:read"])
        }

        static func hex(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }

        /// Whether another credential of the same level and owner has the same name.
        func sharesItsName(_ credential: Credential) -> Bool {
            credential.owner != nil
                && credentials.contains {
                    $0.clientId != credential.clientId && $0.owner == credential.owner && $0.name == credential.name
                }
        }

        func stateJSON() throws -> String {
            let state: [String: Any] = [
                "formatVersion": 1,
                "lineage": "5f0e2a4c-7b1d-4e3f-9a8b-0c1d2e3f4a5b",
                "serial": 42,
                "account": ["id": id, "apiCredentialsEnabled": true],
                "users": users.sorted { $0.id < $1.id }.map { ["id": $0.id, "name": $0.name, "license": $0.license] },
                "credentials": credentials.sorted { $0.clientId < $1.clientId }.map { credential -> [String: Any] in
                    var fields: [String: Any] = [
                        "clientId": credential.clientId, "name": credential.name, "level": credential.level,
                        "scopes": credential.scopes.sorted(),
                        "secretSha256": String(
                            repeating: Self.hex(Int(credential.clientId.utf8.reduce(0) { $0 &+ $1 }), width: 2),
                            count: 32),
                        "createdAt": "2025-01-02T03:04:05Z", "createdBy": credential.createdBy,
                        "updatedAt": "2025-01-02T03:04:05Z",
                    ]
                    if let owner = credential.owner { fields["owner"] = owner }
                    return fields
                },
            ]
            let data = try JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}

/// Names with characters YAML does not carry as written.
@Suite struct ExportEscapingTests {
    @Test func invisibleCharactersSurviveTheRoundTrip() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        var state = try sandbox.read("state.json")
        state = state.replacingOccurrences(
            of: "\"name\": \"Sam\"", with: "\"name\": \"Sam\\ufeffZero\\u00a0Width \\ud83d\\udcb3\"")
        try sandbox.write("state.json", state)
        try FileManager.default.removeItem(at: sandbox.url.appendingPathComponent("manifests"))
        let exported = try CLI.run(["export", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(exported.status == 0)
        #expect(exported.stdout.contains(#"\ufeff"#))
        try sandbox.write("manifests/all.yaml", exported.stdout)
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--detailed-exitcode"], in: sandbox.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }

    @Test func controlCharactersInAStateAreRejected() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        let state = try sandbox.read("state.json").replacingOccurrences(
            of: "\"name\": \"Sam\"", with: "\"name\": \"a\\u0085b\"")
        try sandbox.write("state.json", state)
        let result = try CLI.run(["export", "--state", "state.json", "--as", "alice@small.example"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: user name contains a control character or line separator"))
    }
}
