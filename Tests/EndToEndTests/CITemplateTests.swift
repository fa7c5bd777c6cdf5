import Foundation
import Testing

/// The CI templates in examples/ci stay in step with the tool: every vcc-creds command
/// they run uses only flags that command has, and they are valid YAML.
@Suite struct CITemplateTests {
    static let templates = ["examples/ci/github/vcc-creds.yml", "examples/ci/gitlab/.gitlab-ci.yml"]

    @Test(arguments: templates)
    func everyFlagExists(_ template: String) throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(template), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            for (tool, commands) in [
                ("vcc-creds ", ["plan", "apply", "show", "validate", "export", "actors"]), ("apply-and-push ", [""]),
            ] {
                guard let start = line.range(of: tool) else { continue }
                var words = line[start.upperBound...].split(separator: " ").map(String.init)
                let command = commands == [""] ? "" : (words.first ?? "")
                guard commands.contains(command) else { continue }
                if !command.isEmpty { words.removeFirst() }
                let help = try helpText(tool: tool, command: command)
                for flag in words where flag.wholeMatch(of: /--[a-z][a-z-]*/) != nil {
                    #expect(help.contains(flag), "\(template): \(tool)\(command) has no \(flag)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 6)
        #expect(text.contains("--detailed-exitcode"))
        #expect(text.contains("apply-and-push --state"))
        #expect(text.contains("vcc-creds actors --approved-by"))
        // Identities never belong in the templates, not even as examples.
        #expect(text.firstMatch(of: /AGE-SECRET-KEY-1[0-9A-Z]{20,}/) == nil)
        // No placeholder to forget: where vcc-creds comes from is a CI variable.
        #expect(!text.contains("your-org") && !text.contains("your-group"))
    }

    /// What each CI must do to close the loop, by template: serialised applies that are
    /// never cancelled, the sealed file kept on failure, errors posted, exit codes told.
    @Test func templatesSerialiseKeepAndReport() throws {
        let github = try String(contentsOf: Repository.root.appendingPathComponent(Self.templates[0]), encoding: .utf8)
        #expect(github.contains("cancel-in-progress: false"))
        #expect(github.contains("if: always()"))
        #expect(github.contains("if: failure()"))
        // A released vcc-creds, not a build: the action and the component install it.
        #expect(github.contains("uses: vcc-creds/vcc-creds@v0"))
        let gitlab = try String(contentsOf: Repository.root.appendingPathComponent(Self.templates[1]), encoding: .utf8)
        #expect(gitlab.contains("resource_group: vcc-creds-acme"))
        #expect(gitlab.contains("process_mode=oldest_first"))
        #expect(gitlab.contains("when: always"))
        #expect(gitlab.contains("--push-option ci.skip"))
        #expect(gitlab.contains("/templates/vcc-creds.yml") && gitlab.contains("!reference [.vcc-creds-install"))
        for text in [github, gitlab] {
            #expect(!text.contains("swift build"), "the templates install a release; building is the guide's")
            #expect(text.contains("2) echo") && text.contains("3) echo"), "exit 2 and 3 are reported")
            #expect(text.contains("vcc-creds plan failed"), "a failed plan is posted")
            #expect(text.contains("vcc-creds apply failed"), "a failed apply is posted")
            #expect(!text.contains("audit.jsonl"), "apply-and-push adds the audit log only when it exists")
        }
    }

    @Test(.enabled(if: Python.has("yaml"), "needs python3 with PyYAML"), arguments: templates)
    func templatesAreValidYAML(_ template: String) throws {
        let path = Repository.root.appendingPathComponent(template).path
        // GitLab's !reference tag is a list, to a YAML reader.
        let script = """
            import sys, yaml
            yaml.SafeLoader.add_constructor('!reference', lambda loader, node: loader.construct_sequence(node))
            yaml.safe_load(open(sys.argv[1]))
            """
        #expect(try Python.run(script, [path]) == 0)
    }

    /// A job that runs the component's install step through `!reference` gets only its
    /// script: the version and release URL are the component's variables, which only
    /// `extends: .vcc-creds-install` brings (else every job fails, the version empty).
    @Test(.enabled(if: Python.has("yaml"), "needs python3 with PyYAML"))
    func jobsThatInstallHaveTheComponentsVariables() throws {
        let script = """
            import sys, yaml
            yaml.SafeLoader.add_constructor('!reference', lambda loader, node: loader.construct_sequence(node))
            jobs = yaml.safe_load(open(sys.argv[1]))
            def extended(name, seen=()):
                job = jobs.get(name) or {}
                parents = job.get('extends') or []
                parents = [parents] if isinstance(parents, str) else parents
                return set(parents).union(*[extended(p, seen + (name,)) for p in parents if p not in seen])
            installing = [name for name, job in jobs.items() if isinstance(job, dict)
                          and ['.vcc-creds-install', 'before_script'] in (job.get('before_script') or [])]
            assert installing, 'no job installs vcc-creds'
            for name in installing:
                has = '.vcc-creds-install' in extended(name) or 'VCC_CREDS_VERSION' in (jobs[name].get('variables') or {})
                assert has, name + ' runs the install step without its variables'
            """
        #expect(try Python.run(script, [Repository.root.appendingPathComponent(Self.templates[1]).path]) == 0)
    }

    /// The forges' own schemas (vendored in check-jsonschema): a key in the wrong place or
    /// a misspelt one fails here, not on the first pipeline a user runs.
    @Test(
        .enabled(
            if: PeerTools.find("check-jsonschema") != nil, "needs check-jsonschema (pip install check-jsonschema)"),
        arguments: zip(templates, ["vendor.github-workflows", "vendor.gitlab-ci"]))
    func templatesMatchTheForgeSchemas(_ template: String, _ schema: String) throws {
        let tool = try #require(PeerTools.find("check-jsonschema"))
        // GitLab's !reference tags are read as GitLab reads them.
        let transform = schema == "vendor.gitlab-ci" ? ["--data-transform", "gitlab-ci"] : []
        let checked = try PeerTools.run(
            tool, ["--builtin-schema", schema] + transform + [template], in: Repository.root)
        #expect(checked.status == 0, "\(template): \(checked.text)\(checked.stderr)")
    }

    /// The action, the release workflows (GitHub's, and the GitLab mirror's) and the GitLab
    /// component (its header and its jobs, two documents) against the forges' own schemas.
    @Test(
        .enabled(
            if: PeerTools.find("check-jsonschema") != nil, "needs check-jsonschema (pip install check-jsonschema)"))
    func theActionTheReleaseWorkflowAndTheComponentMatchTheForgeSchemas() throws {
        let tool = try #require(PeerTools.find("check-jsonschema"))
        for (file, schema) in [
            ("action.yml", "vendor.github-actions"), (".github/workflows/release.yml", "vendor.github-workflows"),
            (".gitlab-ci.yml", "vendor.gitlab-ci"),
        ] {
            let checked = try PeerTools.run(tool, ["--builtin-schema", schema, file], in: Repository.root)
            #expect(checked.status == 0, "\(file): \(checked.text)\(checked.stderr)")
        }
        let component = try String(
            contentsOf: Repository.root.appendingPathComponent("templates/vcc-creds.yml"), encoding: .utf8)
        let documents = component.components(separatedBy: "\n---\n")
        #expect(documents.count == 2)
        #expect(documents.first?.contains("spec:\n  inputs:\n    version:") == true)
        let sandbox = try Sandbox()
        for (index, document) in documents.enumerated() {
            try sandbox.write("component-\(index).yml", document + "\n")
            let checked = try PeerTools.run(
                tool, ["--builtin-schema", "vendor.gitlab-ci", sandbox.path("component-\(index).yml")],
                in: Repository.root)
            #expect(checked.status == 0, "component document \(index): \(checked.text)\(checked.stderr)")
        }
        // Both install the same release files, and check the tarball against SHA256SUMS.
        let action = try String(contentsOf: Repository.root.appendingPathComponent("action.yml"), encoding: .utf8)
        for text in [action, component] {
            #expect(text.contains("vcc-creds-$VERSION-linux-") || text.contains("vcc-creds-$VCC_CREDS_VERSION-linux-"))
            #expect(text.contains("SHA256SUMS") && text.contains("sha256sum"))
        }
    }

    private func helpText(tool: String, command: String) throws -> String {
        if tool == "apply-and-push " {
            let script = Repository.root.appendingPathComponent("examples/ci/apply-and-push").path
            return try PeerTools.run(URL(fileURLWithPath: "/bin/bash"), [script, "--help"], in: Repository.root).text
        }
        return try CLI.run([command, "--help"], in: Repository.root).stdout
    }
}

/// python3, for checks with tools the Swift side does not have (a YAML 1.1 reader, a
/// JSON Schema validator).
enum Python {
    static func has(_ module: String) -> Bool {
        (try? run("import \(module)", [])) == 0
    }

    static func run(_ script: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
