import Foundation
import Testing

/// Every path of the real binary that mints secrets: after each, every secret (read
/// back from the sealed file with the real `age -d`) is searched for in everything the
/// runs printed and every file they left: state, backup, audit log, saved plan, journal,
/// temp files. The only place a secret may be is inside the sealed file, encrypted: its
/// raw bytes must not hold it in clear either.
@Suite(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
struct SecretLeakTests {
    static let alice = "alice@applyable.example"
    static let sam = "sam@applyable.example"

    // MARK: 1. apply, directly

    @Test func aDirectApplyLeaksNoSecret() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        for file in ["manifests/credentials/sam.yaml", "manifests/credentials/refused.yaml"] {
            try FileManager.default.removeItem(atPath: sandbox.path(file))
        }
        var leak = try LeakCheck(sandbox)
        let applied = try leak.run([
            "apply", "--state", "state.json", "--as", Self.alice, "--recipient", leak.recipient,
        ])
        #expect(applied.status == 0, "\(applied.stderr)")
        try leak.learnSecrets(from: "secrets/applyable-5.age", expecting: 2)
        try leak.runTheReaders(as: Self.alice)
        try leak.expectNoSecretOutsideTheSealedFiles()
    }

    // MARK: 2. apply of a saved plan

    @Test func aSavedPlanApplyLeaksNoSecret() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        for file in ["manifests/credentials/sam.yaml", "manifests/credentials/refused.yaml"] {
            try FileManager.default.removeItem(atPath: sandbox.path(file))
        }
        var leak = try LeakCheck(sandbox)
        let planned = try leak.run(["plan", "--state", "state.json", "--as", Self.alice, "--out", "plan.json"])
        #expect(planned.status == 0, "\(planned.stderr)")
        for format in ["text", "json", "markdown"] {
            #expect(try leak.run(["show", "plan.json", "--format", format]).status == 0)
        }
        let applied = try leak.run(["apply", "plan.json", "--as", Self.alice, "--recipient", leak.recipient])
        #expect(applied.status == 0, "\(applied.stderr)")
        try leak.learnSecrets(from: "secrets/applyable-5.age", expecting: 2)
        // The plan file is still there, now stale: shown with a warning, never with a secret.
        #expect(FileManager.default.fileExists(atPath: sandbox.path("plan.json")))
        for format in ["text", "json", "markdown"] {
            _ = try leak.run(["show", "plan.json", "--format", format, "--state", "state.json"])
        }
        let again = try leak.run(["apply", "plan.json", "--as", Self.alice, "--recipient", leak.recipient])
        #expect(again.status == 4, "a saved plan applied twice")
        try leak.runTheReaders(as: Self.alice)
        try leak.expectNoSecretOutsideTheSealedFiles()
    }

    // MARK: 3. refusals mixed in

    /// The example account as Sam: one create among an update, a delete and two refusals.
    @Test func anApplyWithRefusalsLeaksNoSecret() throws {
        let sandbox = try Sandbox.acme()
        var leak = try LeakCheck(sandbox)
        let applied = try leak.run(
            ["apply", "--state", "state.json", "--as", "sam@acme.example", "--recipient", leak.recipient])
        #expect(applied.status == 3, "\(applied.stderr)")
        try leak.learnSecrets(from: "secrets/acme-8.age", expecting: 1)
        try leak.runTheReaders(as: "sam@acme.example")
        try leak.runTheReaders(as: "alice@acme.example")
        try leak.expectNoSecretOutsideTheSealedFiles()
    }

    /// The whole applyable fixture as Sam, through a saved plan: Alice's two creates,
    /// the user changes and the stats scope are refused, Sam's create is sealed.
    @Test func aSavedPlanWithRefusalsLeaksNoSecret() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        var leak = try LeakCheck(sandbox)
        let planned = try leak.run(
            ["plan", "--state", "state.json", "--as", Self.sam, "--out", "plan.json", "--format", "json"])
        #expect(planned.status == 3, "\(planned.stderr)")
        let applied = try leak.run(["apply", "plan.json", "--as", Self.sam, "--recipient", leak.recipient])
        #expect(applied.status == 3, "\(applied.stderr)")
        try leak.learnSecrets(from: "secrets/applyable-5.age", expecting: 1)
        // Then Alice, directly: her two creates, in a second sealed file.
        let asAlice = try leak.run([
            "apply", "--state", "state.json", "--as", Self.alice, "--recipient", leak.recipient,
        ])
        #expect(asAlice.status == 3, "\(asAlice.stderr)")
        try leak.learnSecrets(from: "secrets/applyable-6.age", expecting: 2)
        try leak.runTheReaders(as: Self.sam)
        try leak.runTheReaders(as: Self.alice)
        try leak.expectNoSecretOutsideTheSealedFiles()
    }

    // MARK: 4. an apply that fails after minting

    /// RLIMIT_FSIZE of 2 KiB (SIGXFSZ ignored): the secret is minted and sealed, then the
    /// state backup cannot be written. The error, the journal and everything else must
    /// still be free of it; so must the recovering run that follows.
    @Test func anApplyInterruptedAfterSealingLeaksNoSecret() throws {
        let bash = try #require(PeerTools.find("bash"))
        let sandbox = try Sandbox.acme()
        var leak = try LeakCheck(sandbox)
        let arguments = ["apply", "--state", "state.json", "--as", "sam@acme.example", "--recipient", leak.recipient]
        let failed = try leak.run(
            ["-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"", CLI.executable.path] + arguments, executable: bash)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: sandbox.path("state.json.pending")),
            "no journal: the test proves less")
        try leak.learnSecrets(from: "secrets/acme-8.age", expecting: 1)
        try leak.expectNoSecretOutsideTheSealedFiles(finished: false)

        let recovered = try leak.run(arguments)
        #expect(recovered.status == 3, "\(recovered.stderr)")
        try leak.learnSecrets(from: "secrets/acme-8.interrupted.age", expecting: 1)
        try leak.learnSecrets(from: "secrets/acme-8.age", expecting: 1)
        #expect(Set(leak.secrets.values).count == 2, "the recovering run reused the orphaned secret")
        try leak.runTheReaders(as: "sam@acme.example")
        try leak.expectNoSecretOutsideTheSealedFiles()
    }
}

// MARK: - Support

/// What a sandbox's runs printed, the secrets they sealed, and the search for them.
struct LeakCheck {
    let sandbox: Sandbox
    let recipient: String
    /// clientId -> secret, from every sealed file opened so far.
    private(set) var secrets: [String: String] = [:]
    /// Every stdout and stderr, labelled.
    private(set) var outputs: [(label: String, bytes: Data)] = []

    init(_ sandbox: Sandbox) throws {
        self.sandbox = sandbox
        // key.txt is searched with the rest: it holds an age identity, never a client secret.
        recipient = try PeerTools.newKey("key.txt", in: sandbox)
    }

    @discardableResult
    mutating func run(_ arguments: [String], executable: URL = CLI.executable, stdin: Data? = nil) throws
        -> PeerTools.Result
    {
        let result = try PeerTools.run(executable, arguments, in: sandbox.url, stdin: stdin)
        let label = arguments.prefix(3).joined(separator: " ")
        outputs.append(("stdout of \(label)", result.stdout))
        outputs.append(("stderr of \(label)", Data(result.stderr.utf8)))
        return result
    }

    /// Opens a sealed file with `age -d` and adds its secrets; checks each against the state.
    mutating func learnSecrets(
        from relative: String, expecting count: Int, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        let age = try #require(PeerTools.age, sourceLocation: sourceLocation)
        let opened = try PeerTools.run(age, ["-d", "-i", "key.txt", relative], in: sandbox.url)
        try #require(opened.status == 0, "age -d \(relative): \(opened.stderr)", sourceLocation: sourceLocation)
        let document = try #require(
            try JSONSerialization.jsonObject(with: opened.stdout) as? [String: Any], sourceLocation: sourceLocation)
        let credentials = try #require(document["credentials"] as? [[String: Any]], sourceLocation: sourceLocation)
        #expect(credentials.count == count, "\(relative)", sourceLocation: sourceLocation)
        for credential in credentials {
            let clientId = try #require(credential["clientId"] as? String, sourceLocation: sourceLocation)
            let secret = try #require(credential["clientSecret"] as? String, sourceLocation: sourceLocation)
            #expect(secret.wholeMatch(of: /[A-Za-z0-9]{40}/) != nil, sourceLocation: sourceLocation)
            secrets[relative + " " + clientId] = secret
        }
    }

    /// Every command that reads what apply wrote, as `actor`: their output is searched too.
    mutating func runTheReaders(as actor: String) throws {
        for format in ["text", "json", "markdown"] {
            try run(["plan", "--state", "state.json", "--as", actor, "--format", format])
        }
        try run(["export", "--state", "state.json", "--as", actor])
        try run(["validate"])
        let state = try JSONSerialization.jsonObject(
            with: Data(contentsOf: sandbox.url.appendingPathComponent("state.json")))
        for credential in (state as? [String: Any])?["credentials"] as? [[String: Any]] ?? [] {
            guard let clientId = credential["clientId"] as? String else { continue }
            for (key, secret) in secrets where key.hasSuffix(" " + clientId) {
                let verified = try run(
                    ["verify", "--state", "state.json", "--client-id", clientId], stdin: Data(secret.utf8))
                #expect(verified.status == 0, "verify rejects the sealed secret of \(clientId)")
                #expect(credential["secretSha256"] as? String == (try PeerTools.sha256Hex(secret)))
            }
        }
    }

    /// No secret in any output or in any file's bytes (sealed files included: encrypted).
    /// `finished`: the runs completed, so no journal, lock or temp file may be left.
    func expectNoSecretOutsideTheSealedFiles(finished: Bool = true, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        try #require(!secrets.isEmpty, "no secret learned: the search proves nothing", sourceLocation: sourceLocation)
        let files = try sandbox.snapshot()
        for name in ["state.json", "manifests"] where !files.keys.contains(where: { $0.hasPrefix(name) }) {
            Issue.record("\(name) is missing", sourceLocation: sourceLocation)
        }
        if finished {
            for name in ["state.json.backup", "state.json.audit.jsonl"] where files[name] == nil {
                Issue.record("\(name) is missing: the search proves less", sourceLocation: sourceLocation)
            }
            let leftovers = files.keys.filter {
                $0.hasSuffix(".tmp") || $0.hasSuffix(".pending") || $0.hasSuffix(".lock")
            }
            #expect(leftovers.isEmpty, "left behind: \(leftovers.sorted())", sourceLocation: sourceLocation)
        }
        var sealedFiles = 0
        for (key, secret) in secrets {
            let needle = Data(secret.utf8)
            for (label, bytes) in outputs where bytes.range(of: needle) != nil {
                Issue.record("the secret of \(key) is in the \(label)", sourceLocation: sourceLocation)
            }
            for (name, bytes) in files where bytes.range(of: needle) != nil {
                Issue.record("the secret of \(key) is in \(name)", sourceLocation: sourceLocation)
            }
            // Lower-cased, or its base64 (as a careless encoder might write it): not there either.
            let lower = Data(secret.lowercased().utf8)
            let base64 = Data(Data(secret.utf8).base64EncodedString().utf8)
            for (name, bytes) in files where bytes.range(of: lower) != nil || bytes.range(of: base64) != nil {
                Issue.record("the secret of \(key) is in \(name), encoded", sourceLocation: sourceLocation)
            }
        }
        for (name, bytes) in files where name.hasSuffix(".age") {
            sealedFiles += 1
            #expect(bytes.starts(with: Data("age-encryption.org/v1\n".utf8)), "\(name) is not an age file")
        }
        #expect(sealedFiles > 0, "no sealed file", sourceLocation: sourceLocation)
    }
}
