import Foundation
import Testing

/// `import` adopts credentials nobody kept the secrets of; `export` then plans no
/// changes; `verify` says "secret not held"; `forget` corrects the record by hand.
@Suite struct ImportTests {
    static let alice = "alice@acme.example"
    static let owners = (0..<10).map { "owner\($0)@acme.example" }

    /// A local state with an admin, a supervisor and ten owners (admins, so any scope).
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(
            try CLI.run(["init", "--state", "state.json", "--account", "acme", "--admin", alice], in: sandbox.url)
                .status == 0)
        var users = "users:\n  - id: \(alice)\n    name: Alice\n    license: admin\n"
        users += "  - id: sam@acme.example\n    name: Sam\n    license: supervisor\n"
        for owner in owners { users += "  - id: \(owner)\n    name: \(owner)\n    license: admin\n" }
        try sandbox.write("manifests/account.yaml", "account: acme\n")
        try sandbox.write("manifests/users.yaml", users)
        let applied = try CLI.run(["apply", "--state", "state.json", "--as", alice, "--auto-approve"], in: sandbox.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        return sandbox
    }

    static func uuid(_ number: Int) -> String {
        String(format: "%08x-abcd-4000-8000-%012x", number, number)
    }

    @Test func aThousandLineListingExportsToManifestsThatPlanNoChanges() throws {
        let sandbox = try Self.sandbox()
        var csv = "name, clientId, owner, level, scopes\n"
        let scopes = [
            "users:read", "stats interaction-content:read", "globalpci interactions:write", "agents-availability:read",
        ]
        for row in 0..<1_000 {
            if row % 100 == 0 {
                csv += "legacy-\(row),\(Self.uuid(row)),,account,\(scopes[row % 4])\n"
            } else {
                // Every 50th name twice for one owner: only the client ID tells them apart.
                let name = row % 50 == 1 ? " \"shared, \"\"name\"\"\"" : "service-\(row)"
                csv += "\(name),\(Self.uuid(row).uppercased()),\(Self.owners[row % 10]),user,\(scopes[row % 4])\n"
            }
        }
        try sandbox.write("listing.csv", csv)
        let imported = try CLI.run(
            ["import", "--state", "state.json", "--as", Self.alice, "listing.csv"], in: sandbox.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 1000 credentials (secret not held)."))
        let state = try sandbox.read("state.json")
        #expect(state.contains("\"formatVersion\": 2"))
        #expect(!state.contains(Self.uuid(1).uppercased()), "client IDs are stored lowercase")
        let audit = try sandbox.read("state.json.audit.jsonl")
        #expect(audit.components(separatedBy: "\"event\":\"imported\"").count - 1 == 1_000)

        let exported = try CLI.run(["export", "--state", "state.json", "--as", Self.alice], in: sandbox.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        try FileManager.default.removeItem(at: sandbox.url.appendingPathComponent("manifests"))
        try sandbox.write("manifests/all.yaml", exported.stdout)
        let plan = try CLI.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--detailed-exitcode"], in: sandbox.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("No changes."))

        // verify cannot vouch for a secret it never saw.
        let verify = try CLI.run(
            ["verify", "--state", "state.json", "--client-id", Self.uuid(1)], in: sandbox.url, stdin: "anything-at-all")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("secret not held"))
    }

    @Test func aYAMLListingImportsToo() throws {
        let sandbox = try Self.sandbox()
        try sandbox.write(
            "listing.yaml",
            """
            credentials:
              - name: crm-sync
                clientId: \(Self.uuid(7))
                owner: \(Self.owners[0])
                level: user
                scopes: [users:read, stats]
            """)
        let imported = try CLI.run(
            ["import", "--state", "state.json", "--as", Self.alice, "listing.yaml"], in: sandbox.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try sandbox.read("state.json").contains("\"name\": \"crm-sync\""))
    }

    @Test func badListingsAreRefusedWithTheirPositionAndWriteNothing() throws {
        let sandbox = try Self.sandbox()
        let header = "name,clientId,owner,level,scopes\n"
        let good = "ok,\(Self.uuid(1)),\(Self.owners[0]),user,users:read\n"
        let cases: [(file: String, text: String, message: String)] = [
            (
                "l.csv", header + "x,not-a-uuid,\(Self.owners[0]),user,users:read\n",
                "l.csv:2:3: error: clientId 'not-a-uuid' is not a UUID"
            ),
            (
                "l.csv", header + good + "y,\(Self.uuid(1)),\(Self.owners[1]),user,stats\n",
                "l.csv:3:3: error: clientId \(Self.uuid(1)) is listed twice (also at l.csv:2:4)"
            ),
            (
                "l.csv", header + "x,\(Self.uuid(2)),nobody@acme.example,user,users:read\n",
                "l.csv:2:40: error: owner 'nobody@acme.example' is not a user in the state"
            ),
            (
                "l.csv", header + "x,\(Self.uuid(2)),\(Self.owners[0]),user,users:raed\n",
                "error: unknown scope 'users:raed'"
            ),
            (
                "l.csv", header + "x,\(Self.uuid(2)),\(Self.owners[0]),team,users:read\n",
                "error: level 'team' is not user or account"
            ),
            (
                "l.csv", header + "x,\(Self.uuid(2)),\(Self.owners[0]),user\n",
                "l.csv:2:1: error: the row has 4 fields; the header has 5"
            ),
            ("l.csv", "name,clientId,owner,level\n", "l.csv:1:1: error: the header has no 'scopes' column"),
            (
                "l.csv", header + "\"x,\(Self.uuid(2)),\(Self.owners[0]),user,users:read\n",
                "error: a quoted field is not closed"
            ),
            ("l.csv", header, "l.csv: error: lists no credentials"),
            (
                "l.csv", header + "ab\"c,\(Self.uuid(2)),\(Self.owners[0]),user,users:read\n",
                "l.csv:2:3: error: a quote inside an unquoted field"
            ),
            ("l.txt", header + good, "l.txt: error: a listing is a .csv file"),
            (
                "l.yaml", "credentials:\n  - name: x\n    clientid: \(Self.uuid(2))\n",
                "l.yaml:3:5: error: unknown key 'clientid' in credential"
            ),
            ("l.yaml", "credentials: [\n", "l.yaml:2:1: error:"),
        ]
        let before = try sandbox.snapshot()
        for (file, text, message) in cases {
            try sandbox.write(file, text)
            let snapshot = try sandbox.snapshot()
            let result = try CLI.run(["import", "--state", "state.json", "--as", Self.alice, file], in: sandbox.url)
            #expect(result.status == 1, "\(text)")
            #expect(result.stderr.contains(message), "\(text): \(result.stderr)")
            #expect(try sandbox.snapshot() == snapshot, "\(text): something was written")
            try FileManager.default.removeItem(at: sandbox.url.appendingPathComponent(file))
        }
        #expect(try sandbox.snapshot() == before)
        // A client ID already in the state, and an importer who is not an admin.
        try sandbox.write("l.csv", header + good)
        #expect(
            try CLI.run(["import", "--state", "state.json", "--as", Self.alice, "l.csv"], in: sandbox.url).status == 0)
        let imported = try sandbox.snapshot()
        let again = try CLI.run(["import", "--state", "state.json", "--as", Self.alice, "l.csv"], in: sandbox.url)
        #expect(again.stderr.contains("l.csv:2:4: error: clientId \(Self.uuid(1)) is already in the state"))
        let supervisor = try CLI.run(
            ["import", "--state", "state.json", "--as", "sam@acme.example", "l.csv"], in: sandbox.url)
        #expect(supervisor.status == 1)
        #expect(supervisor.stderr.contains("only an admin may run it"))
        #expect(try sandbox.snapshot() == imported)
    }

    /// `import` and `forget` act as one admin: `--as`, else `VCC_CREDS_AS` when it names
    /// one user. Several is refused (which one would be a guess), a flag wins, and an empty
    /// variable is unset.
    @Test(arguments: ["import", "forget"])
    func theOneAdminComesFromTheEnvironment(_ command: String) throws {
        let sandbox = try Self.sandbox()
        let header = "name,clientId,owner,level,scopes\n"
        try sandbox.write("a.csv", header + "a,\(Self.uuid(3)),\(Self.owners[2]),user,stats\n")
        try sandbox.write("b.csv", header + "b,\(Self.uuid(5)),\(Self.owners[2]),user,stats\n")
        if command == "forget" {
            for file in ["a.csv", "b.csv"] {
                #expect(
                    try CLI.run(["import", "--state", "state.json", "--as", Self.alice, file], in: sandbox.url).status
                        == 0)
            }
        }
        // The command on the first or second credential, with `flags` (`--as`, or none).
        func run(_ which: Int, _ flags: [String], _ variable: String) throws -> CLI.Result {
            let target =
                command == "import"
                ? [["a.csv", "b.csv"][which]] : [[Self.uuid(3), Self.uuid(5)][which], "--reason", "gone"]
            return try CLI.run(
                [command, "--state", "state.json"] + flags + target, in: sandbox.url,
                environment: ["VCC_CREDS_AS": variable])
        }
        let before = try sandbox.snapshot()
        let several = try run(0, [], "\(Self.alice),sam@acme.example")
        #expect(several.status == 1)
        #expect(
            several.stderr == "error: --as: \(command) acts as one admin, but VCC_CREDS_AS names 2; give --as USER\n")
        let empty = try run(0, [], "")
        #expect(empty.status == 1)
        #expect(empty.stderr == "error: --as: no user to act as; give --as USER or set VCC_CREDS_AS\n")
        // The variable is who acts: a supervisor is refused as with --as.
        let supervisor = try run(0, [], "sam@acme.example")
        #expect(supervisor.status == 1)
        #expect(supervisor.stderr.contains("only an admin may run it"), "\(supervisor.stderr)")
        #expect(try sandbox.snapshot() == before)

        let flagWins = try run(0, ["--as", Self.alice], "sam@acme.example")
        #expect(flagWins.status == 0, "\(flagWins.stderr)")
        let fromVariable = try run(1, [], Self.alice)
        #expect(fromVariable.status == 0, "\(fromVariable.stderr)")
        let log = try sandbox.read("state.json.audit.jsonl").split(separator: "\n").suffix(2)
        for line in log { #expect(line.contains("\"actor\":\"\(Self.alice)\""), "\(line)") }
        #expect(
            log.allSatisfy { $0.contains(command == "import" ? "\"event\":\"imported\"" : "\"event\":\"forgotten\"") })
    }

    @Test func forgetRemovesADriftedCredentialAudited() throws {
        let sandbox = try Self.sandbox()
        try sandbox.write(
            "l.csv", "name,clientId,owner,level,scopes\ngone,\(Self.uuid(3)),\(Self.owners[2]),user,stats\n")
        #expect(
            try CLI.run(["import", "--state", "state.json", "--as", Self.alice, "l.csv"], in: sandbox.url).status == 0)
        let before = try sandbox.snapshot()
        let supervisor = try CLI.run(
            ["forget", "--state", "state.json", "--as", "sam@acme.example", Self.uuid(3), "--reason", "x"],
            in: sandbox.url)
        #expect(supervisor.status == 1)
        let unknown = try CLI.run(
            ["forget", "--state", "state.json", "--as", Self.alice, Self.uuid(4), "--reason", "x"], in: sandbox.url)
        #expect(unknown.stderr.contains("no credential with client ID"))
        let blank = try CLI.run(
            ["forget", "--state", "state.json", "--as", Self.alice, Self.uuid(3), "--reason", " "], in: sandbox.url)
        #expect(blank.status == 1)
        #expect(try sandbox.snapshot() == before)
        let forgot = try CLI.run(
            [
                "forget", "--state", "state.json", "--as", Self.alice, Self.uuid(3), "--reason",
                "deleted in the portal by Bob",
            ],
            in: sandbox.url)
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(!(try sandbox.read("state.json")).contains(Self.uuid(3)))
        let log = try sandbox.read("state.json.audit.jsonl")
        #expect(log.contains("\"event\":\"forgotten\""))
        #expect(log.contains("\"reason\":\"deleted in the portal by Bob\""))
    }
}
