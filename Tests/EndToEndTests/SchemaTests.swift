import Foundation
import Testing

/// `vcc-creds schema`, the committed `schema/vcc-creds.schema.json`, the editor modelines
/// of the repository's manifests, and the schema checked by a real JSON Schema validator
/// (Python's `jsonschema`, draft 2020-12) against what `vcc-creds validate` decides.
@Suite struct SchemaTests {
    static let committed = Repository.root.appendingPathComponent("schema/vcc-creds.schema.json")

    // MARK: 1. the committed schema is the generated one

    @Test func schemaPrintsTheCommittedFileByteForByte() throws {
        let sandbox = try Sandbox()
        let result = try CLI.runBytes(["schema"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let committed = try Data(contentsOf: Self.committed)
        #expect(
            result.stdout == committed,
            "schema/vcc-creds.schema.json is out of date: regenerate it (vcc-creds schema > FILE)"
        )
        #expect(try sandbox.snapshot().isEmpty, "schema wrote files")

        let schema = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["type"] as? String == "object")
        #expect(schema["additionalProperties"] as? Bool == false)
        let definitions = try #require(schema["$defs"] as? [String: [String: Any]])
        let user = try #require(definitions["user"]?["properties"] as? [String: [String: Any]])
        #expect(user["license"]?["enum"] as? [String] == ["admin", "supervisor", "agent", "wallboard"])
        let credential = try #require(definitions["credential"]?["properties"] as? [String: [String: Any]])
        let scopes = try #require(credential["scopes"]?["items"] as? [String: Any])
        // VCC's own scopes, or one settings.scopes declares.
        let choices = try #require(scopes["anyOf"] as? [[String: Any]])
        #expect(choices.last?["pattern"] as? String == "^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$")
        #expect(
            Set(choices.first?["enum"] as? [String] ?? []) == [
                "admin:read", "admin:write", "agents-availability:read", "users:read", "users:write",
                "interaction-content:read",
                "interaction-content:delete", "stats", "interactions:write", "globalpci",
            ])
        #expect(credential["scopes"]?["minItems"] as? Int == 1)
    }

    // MARK: 2. editor modelines

    @Test func everyRepositoryManifestPointsAtTheSchema() throws {
        let files = try yamlFiles(under: Repository.root.appendingPathComponent("manifests"))
        #expect(files.count >= 5, "found only \(files.map(\.lastPathComponent))")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let firstLine = String(text.prefix { $0 != "\n" })
            let match = firstLine.wholeMatch(of: /# yaml-language-server: \$schema=(\S+)/)
            guard let match else {
                Issue.record("\(file.path) does not start with a yaml-language-server modeline: \(firstLine)")
                continue
            }
            let target = URL(fileURLWithPath: String(match.1), relativeTo: file.deletingLastPathComponent())
            #expect(
                target.standardizedFileURL.path == Self.committed.standardizedFileURL.path,
                "\(file.lastPathComponent) points at \(target.standardizedFileURL.path)")
            #expect(FileManager.default.fileExists(atPath: target.path))
        }
    }

    // MARK: 3. a real validator agrees with vcc-creds validate

    @Test(.enabled(if: SchemaValidator.available, "needs python3 with the jsonschema and yaml (PyYAML) modules"))
    func theRepositoryAndFixtureManifestsAreValidAgainstTheSchema() throws {
        let validator = try SchemaValidator()
        var folders = [Repository.root.appendingPathComponent("manifests")]
        for fixture in try FileManager.default.contentsOfDirectory(atPath: Repository.fixtures.path).sorted() {
            let folder = Repository.fixtures.appendingPathComponent(fixture).appendingPathComponent("manifests")
            if FileManager.default.fileExists(atPath: folder.path) { folders.append(folder) }
        }
        var checked = 0
        for folder in folders {
            let validated = try CLI.run(["validate", "--manifests", folder.path], in: Repository.root)
            let files = try yamlFiles(under: folder)
            if validated.status == 0 {
                // What vcc-creds accepts, the schema accepts (PyYAML reads these as we do:
                // our loader refuses yes/on/010 look-alikes, so none is in a valid folder).
                for result in try validator.check(files) {
                    #expect(result.valid, "\(result.file) #\(result.document): \(result.errors)")
                    checked += 1
                }
            } else {
                // The deliberately invalid fixture: its first file has an unknown key,
                // which the schema rejects too, and an unknown scope, which it cannot: a
                // scope settings.scopes declares (in any file) looks the same. (Its b.yml
                // says `prune: yes`, which PyYAML, a YAML 1.1 reader, would take for a
                // boolean.)
                #expect(folder.path.hasSuffix("Fixtures/invalid/manifests"), "\(folder.path): \(validated.stderr)")
                let first = try #require(files.first { $0.lastPathComponent == "a.yaml" })
                let results = try validator.check([first])
                #expect(results.count == 1)
                #expect(results.allSatisfy { !$0.valid })
                #expect(results.first?.errors.contains { $0.contains("licence") } == true, "\(results)")
                #expect(results.first?.errors.contains { $0.contains("user:read") } == false, "\(results)")
            }
        }
        #expect(checked >= 10, "only \(checked) documents checked")
    }

    @Test(
        .enabled(if: SchemaValidator.available, "needs python3 with the jsonschema and yaml (PyYAML) modules"),
        arguments: SchemaCase.all)
    func theSchemaAndTheLoaderAgree(_ example: SchemaCase) throws {
        let sandbox = try Sandbox()
        try sandbox.write("manifests/doc.yaml", example.document)
        let validator = try SchemaValidator()
        let results = try validator.check([sandbox.url.appendingPathComponent("manifests/doc.yaml")])
        try #require(results.count == 1)
        let verdict = try #require(results.first)
        #expect(verdict.valid == example.valid, "schema: \(verdict.errors)")
        if let mention = example.mention, !example.valid {
            #expect(
                verdict.errors.contains { $0.contains(mention) },
                "schema errors do not mention \(mention): \(verdict.errors)")
        }
        let validated = try CLI.run(["validate"], in: sandbox.url)
        #expect(validated.status == (example.valid ? 0 : 1), "validate: \(validated.stderr)")
        if !example.valid {
            #expect(
                validated.stderr.firstMatch(of: #/^manifests\/doc\.yaml:\d+:\d+: error: /#) != nil,
                "\(validated.stderr)")
        }
    }

    @Test(.enabled(if: SchemaValidator.available, "needs python3 with the jsonschema and yaml (PyYAML) modules"))
    func exportOutputIsValidAgainstTheSchema() throws {
        let sandbox = try Sandbox()
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("examples/acme/state.json"),
            to: sandbox.url.appendingPathComponent("acme.json"))
        try sandbox.write("generated.json", try ExportTests.GeneratedAccount().stateJSON())
        var files: [URL] = []
        for (state, actor) in [
            ("acme.json", "alice@acme.example"), ("acme.json", "sam@acme.example"), ("acme.json", "ana@acme.example"),
            ("generated.json", ExportTests.GeneratedAccount().admin),
        ] {
            let exported = try CLI.run(["export", "--state", state, "--as", actor], in: sandbox.url)
            try #require(exported.status == 0, "\(exported.stderr)")
            let name = "exports/\(files.count).yaml"
            try sandbox.write(name, exported.stdout)
            files.append(sandbox.url.appendingPathComponent(name))
        }
        // PyYAML reads YAML 1.1: an unquoted yes, 010 or 2026-01-01 in the export would
        // come out as a boolean, a number or a date and fail the schema's string types.
        let results = try SchemaValidator().check(files)
        #expect(results.count == files.count)
        for result in results {
            #expect(result.valid, "\(result.file): \(result.errors)")
        }
    }
}

// MARK: - Support

extension SchemaTests {
    /// Every *.yaml / *.yml under a folder, sorted.
    func yamlFiles(under folder: URL) throws -> [URL] {
        var files: [URL] = []
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                files.append(folder.appendingPathComponent(relative))
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}

extension SchemaTests {
    /// One manifest document and the verdict both the schema and `vcc-creds validate` must give.
    struct SchemaCase: CustomTestStringConvertible, Sendable {
        var label: String
        var document: String
        var valid: Bool
        /// A word the schema's errors must mention when the document is invalid.
        var mention: String?

        var testDescription: String { label }

        static let users = """
            users:
              - id: alice@acme.example
                name: Alice
                license: admin
              - id: sam@acme.example
                name: Sam
                license: supervisor

            """

        static func document(users: String = users, credentials: String, settings: String = "") -> String {
            "account: acme\n" + settings + users + "credentials:\n" + credentials
        }

        static let good = """
              - name: crm-sync
                owner: alice@acme.example
                scopes: [users:read, stats]

            """

        static let all: [SchemaCase] = [
            SchemaCase(label: "a valid document", valid: true, document: document(credentials: good)),
            SchemaCase(
                label: "every optional key", valid: true,
                document: document(
                    credentials: good + """
                          - name: legacy
                            level: account
                            clientId: 6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F
                            scopes: [stats]
                          - name: old
                            owner: sam@acme.example
                            level: user
                            ensure: absent
                          - name: retired
                            level: account
                            clientId: 7a2d4e6f-8b1c-4d3e-9f5a-0b1c2d3e4f5a
                            ensure: absent

                        """,
                    settings: """
                        settings:
                          prune: true
                          maxDeletes: 0
                          recipients: [age1nupw9pmcmme7692jx092n5fzuf5udr3j34kkfua9egqxgmwpl5dqf92g2s]

                        """)),
            SchemaCase(
                label: "an absent user needs no name or licence", valid: true,
                document: document(users: users + "  - id: old@acme.example\n    ensure: absent\n", credentials: good)),
            SchemaCase(
                label: "an unknown licence", mention: "superuser",
                document: document(
                    users: users.replacingOccurrences(of: "license: supervisor", with: "license: superuser"),
                    credentials: good)),
            SchemaCase(
                label: "a scope that is no scope identifier", mention: "Users:Write",
                document: document(credentials: good.replacingOccurrences(of: "stats]", with: "Users:Write]"))),
            SchemaCase(
                label: "an unknown key in a user", mention: "team",
                document: document(users: users + "    team: blue\n", credentials: good)),
            SchemaCase(
                label: "an unknown key in a credential", mention: "scope",
                document: document(credentials: good.replacingOccurrences(of: "scopes:", with: "scope:"))),
            SchemaCase(
                label: "an unknown top-level key", mention: "setting",
                document: "setting:\n  prune: false\n" + document(credentials: good)),
            SchemaCase(
                label: "an empty scopes list",
                document: document(credentials: good.replacingOccurrences(of: "[users:read, stats]", with: "[]"))),
            SchemaCase(
                label: "a scope listed twice",
                document: document(
                    credentials: good.replacingOccurrences(of: "[users:read, stats]", with: "[stats, stats]"))),
            SchemaCase(
                label: "an account-level credential without clientId", mention: "clientId",
                document: document(credentials: "  - name: legacy\n    level: account\n    scopes: [stats]\n")),
            SchemaCase(
                label: "an account-level credential with an owner",
                document: document(
                    credentials: """
                          - name: legacy
                            level: account
                            owner: alice@acme.example
                            clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
                            scopes: [stats]

                        """)),
            SchemaCase(
                label: "a user-level credential without owner", mention: "owner",
                document: document(credentials: "  - name: lonely\n    scopes: [stats]\n")),
            SchemaCase(
                label: "a present credential without scopes", mention: "scopes",
                document: document(credentials: "  - name: bare\n    owner: alice@acme.example\n")),
            SchemaCase(
                label: "a present user without licence", mention: "license",
                document: document(users: users + "  - id: lou@acme.example\n    name: Lou\n", credentials: good)),
            SchemaCase(
                label: "a present user without name", mention: "name",
                document: document(users: users + "  - id: lou@acme.example\n    license: agent\n", credentials: good)),
            SchemaCase(
                label: "a negative maxDeletes", mention: "-1",
                document: document(credentials: good, settings: "settings:\n  maxDeletes: -1\n")),
            SchemaCase(
                label: "prune as a quoted string",
                document: document(credentials: good, settings: "settings:\n  prune: \"true\"\n")),
            SchemaCase(
                label: "a malformed clientId", mention: "clientId",
                document: document(
                    credentials: "  - name: legacy\n    level: account\n    clientId: not-a-uuid\n    scopes: [stats]\n"
                )),
            SchemaCase(
                label: "a recipient that is not age1", mention: "recipients",
                document: document(credentials: good, settings: "settings:\n  recipients: [ssh-ed25519 AAAA]\n")),
            SchemaCase(
                label: "users as a mapping",
                document: "account: acme\nusers:\n  alice@acme.example: {name: Alice, license: admin}\n"),
            SchemaCase(
                label: "an unknown ensure value", mention: "gone",
                document: document(users: users + "  - id: old@acme.example\n    ensure: gone\n", credentials: good)),
        ]

        init(label: String, mention: String? = nil, valid: Bool = false, document: String) {
            self.label = label
            self.document = document
            self.valid = valid
            self.mention = mention
        }
    }

    /// Python's `jsonschema` (Draft 2020-12) over YAML documents read by PyYAML, run as
    /// `python3 check.py SCHEMA FILE...`; one verdict per non-empty document.
    struct SchemaValidator {
        struct Verdict: Decodable, CustomStringConvertible {
            var file: String
            var document: Int
            var valid: Bool
            var errors: [String]
            var description: String { "\(file)#\(document): \(valid ? "valid" : errors.joined(separator: "; "))" }
        }

        static let python = PeerTools.find("python3")

        static let available: Bool = {
            guard let python else { return false }
            let probe = try? PeerTools.run(
                python, ["-c", "import jsonschema, yaml"], in: FileManager.default.temporaryDirectory)
            return probe?.status == 0
        }()

        static let script = #"""
            import datetime, json, sys
            import yaml
            from jsonschema import Draft202012Validator

            def plain(value):
                # PyYAML reads YAML 1.1: `expires: 2027-03-31` becomes a date, which YAML
                # 1.2 (editors, vcc-creds) reads as the string it is written as.
                if isinstance(value, (datetime.date, datetime.datetime)):
                    return value.isoformat()
                raise TypeError(f"not JSON: {value!r}")

            with open(sys.argv[1], encoding="utf-8") as handle:
                schema = json.load(handle)
            Draft202012Validator.check_schema(schema)  # the schema itself is a valid 2020-12 schema
            validator = Draft202012Validator(schema)
            results = []
            for path in sys.argv[2:]:
                with open(path, encoding="utf-8") as handle:
                    documents = list(yaml.safe_load_all(handle))
                for index, document in enumerate(documents):
                    if document is None:
                        continue
                    # YAML to JSON: any other non-JSON value fails here, loudly.
                    document = json.loads(json.dumps(document, default=plain))
                    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
                    results.append({
                        "file": path,
                        "document": index,
                        "valid": not errors,
                        "errors": ["/" + "/".join(str(part) for part in error.absolute_path) + ": " + error.message
                                   for error in errors],
                    })
            json.dump(results, sys.stdout)
            """#

        let folder: Sandbox

        init() throws {
            folder = try Sandbox()
            try folder.write("check.py", Self.script)
        }

        func check(_ files: [URL], sourceLocation: SourceLocation = #_sourceLocation) throws -> [Verdict] {
            let python = try #require(Self.python, sourceLocation: sourceLocation)
            let run = try PeerTools.run(
                python, [folder.path("check.py"), SchemaTests.committed.path] + files.map(\.path), in: folder.url)
            try #require(run.status == 0, "the validator failed: \(run.stderr)", sourceLocation: sourceLocation)
            return try JSONDecoder().decode([Verdict].self, from: run.stdout)
        }
    }
}
