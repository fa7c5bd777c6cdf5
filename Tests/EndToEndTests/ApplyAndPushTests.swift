import Foundation
import Testing

/// `examples/ci/apply-and-push` against real git: a bare repository as the remote, clones
/// as CI runners, the real `vcc-creds` on PATH and the real `age` opening what is left.
@Suite(.enabled(if: PeerTools.git != nil && PeerTools.age != nil, "needs git and age"))
struct ApplyAndPushTests {
    static let script = Repository.root.appendingPathComponent("examples/ci/apply-and-push")
    static let admin = "olga@race.example"

    /// Two merges close together, each applied by its own runner at the same moment, from
    /// clones at the two merge commits: whatever the interleaving, the remote ends with
    /// every credential once, and every sealed file left opens and holds only secrets of
    /// recorded credentials, each new secret in exactly one file.
    @Test func twoMergesAppliedAtOnceRecordEachCredentialOnce() throws {
        var rejected = 0
        for round in 1...20 {
            let world = try Remote()
            let first = try world.merge("a", scopes: "[users:read]")
            _ = try world.merge("b", scopes: "[stats]")
            let runnerA = try world.clone("runner-a", at: first)
            let runnerB = try world.clone("runner-b", at: "HEAD")

            let runs = try [runnerA, runnerB].map { try world.startScript(in: $0) }
            let results = try runs.map { try $0.finish() }
            for result in results {
                #expect(result.status == 0, "round \(round): \(result.stderr)")
                #expect(!result.stderr.contains("Secret"), "round \(round): \(result.stderr)")
            }
            rejected += results.filter { $0.stderr.contains("the push was rejected") }.count

            let final = try world.clone("final", at: "HEAD")
            let credentials = try world.credentials(in: final)
            #expect(credentials.map(\.name).sorted() == ["a", "b"], "round \(round)")
            var leftBehind = try world.trackedSealedFiles(in: final)
            for runner in [runnerA, runnerB] {
                leftBehind += try world.untrackedSealedFiles(in: runner)
            }
            var holders: [String: Int] = [:]
            for file in leftBehind {
                for (clientId, secret) in try world.open(file) {
                    let recorded = credentials.first { $0.clientId == clientId }
                    #expect(
                        recorded != nil,
                        "round \(round): \(file.lastPathComponent) holds a secret of \(clientId), not in the state"
                    )
                    #expect(try recorded?.secretSha256 == PeerTools.sha256Hex(secret), "round \(round)")
                    holders[clientId, default: 0] += 1
                }
            }
            for credential in credentials {
                #expect(
                    holders[credential.clientId] == 1,
                    "round \(round): \(credential.name) is in \(holders[credential.clientId] ?? 0) sealed files")
            }
        }
        // Not an assertion about timing, only a record of what the rounds exercised; the
        // rejection path itself is pinned down by the next test.
        print("apply-and-push: \(rejected) of 20 rounds had a push rejected")
    }

    /// A run triggered by an older merge applies the branch's tip, at once: the state it
    /// plans from is the newest, never the one its commit saw.
    @Test func appliesTheTipNotTheCommitThatTriggeredIt() throws {
        let world = try Remote()
        let first = try world.merge("a", scopes: "[users:read]")
        _ = try world.merge("b", scopes: "[stats]")
        let runner = try world.clone("runner", at: first)

        let result = try world.startScript(in: runner).finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("attempt 2"), "\(result.stderr)")
        let final = try world.clone("final", at: "HEAD")
        #expect(try world.credentials(in: final).map(\.name).sorted() == ["a", "b"])
        #expect(try world.trackedSealedFiles(in: final).map(\.lastPathComponent) == ["race-2.age"])
    }

    /// The rejection path, made certain: runner B's pre-push hook lets runner A apply and
    /// push first. B's push is refused; B removes the sealed file it had just written,
    /// says so, resets to A's commit, plans again and finds nothing left to do.
    @Test func aRejectedPushRemovesItsSealedFileAndPlansAgain() throws {
        let world = try Remote()
        _ = try world.merge("a", scopes: "[users:read]")
        let runnerA = try world.clone("runner-a", at: "HEAD")
        let runnerB = try world.clone("runner-b", at: "HEAD")
        try world.runFirst(in: runnerA, whenPushing: runnerB)

        let result = try world.startScript(in: runnerB).finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "removed secrets/race-2.age: the push was rejected, so the credentials whose secrets it holds were "
                    + "never recorded"
            ), "\(result.stderr)")
        #expect(result.stderr.contains("attempt 2 of 5"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing to apply at"), "\(result.stderr)")
        // What B has now is A's commit, A's race-2.age included, and nothing of its own.
        #expect(try world.untrackedSealedFiles(in: runnerB).isEmpty)
        #expect(try world.git(["rev-parse", "HEAD"], in: runnerB) == world.git(["rev-parse", "HEAD"], in: runnerA))

        let final = try world.clone("final", at: "HEAD")
        let credentials = try world.credentials(in: final)
        #expect(credentials.map(\.name) == ["a"])
        let sealed = try world.trackedSealedFiles(in: final)
        #expect(sealed.map(\.lastPathComponent) == ["race-2.age"])
        let secrets = try world.open(try #require(sealed.first))
        #expect(Array(secrets.keys) == credentials.map(\.clientId))
        #expect(try world.git(["log", "-1", "--format=%s"], in: final).contains("vcc-creds: apply on"))
    }

    /// Credentials' own sealed files and the index travel with the state: committed when
    /// pushed, removed when the push is rejected, and the retry's index is the new tip's.
    @Test func ownSealedFilesAndTheIndexAreCommittedOrRemovedWithTheState() throws {
        let world = try Remote(ownFiles: true)
        _ = try world.merge("a", scopes: "[users:read]")
        let runnerA = try world.clone("runner-a", at: "HEAD")
        let runnerB = try world.clone("runner-b", at: "HEAD")
        try world.runFirst(in: runnerA, whenPushing: runnerB)

        let result = try world.startScript(in: runnerB).finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed secrets/race-2.age: the push was rejected"), "\(result.stderr)")
        #expect(
            result.stderr.contains(#/removed secrets/race/[0-9a-f-]{36}\.age: the push was rejected/#),
            "\(result.stderr)")
        #expect(try world.untrackedSealedFiles(in: runnerB).isEmpty)

        let final = try world.clone("final", at: "HEAD")
        let credentials = try world.credentials(in: final)
        let id = try #require(credentials.first?.clientId)
        #expect(
            try world.trackedSealedFiles(in: final).map { $0.path.replacingOccurrences(of: final.path + "/", with: "") }
                .sorted()
                == ["secrets/race-2.age", "secrets/race/\(id).age"])
        #expect(try world.open(final.appendingPathComponent("secrets/race/\(id).age")).keys.sorted() == [id])
        let index = try world.read("secrets/race/index.json", in: final)
        #expect(index.contains(id) && index.contains("\"serial\": 2"))
    }

    /// A remote that refuses every push: the script gives up after --attempts, exit 1,
    /// and leaves no sealed file of credentials it could not record.
    @Test func givesUpAfterItsAttemptsAndLeavesNoOrphanedSecrets() throws {
        let world = try Remote()
        _ = try world.merge("a", scopes: "[users:read]")
        let refuse = world.bare.appendingPathComponent("hooks/pre-receive")
        try "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n".write(to: refuse, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: refuse.path)
        let runner = try world.clone("runner", at: "HEAD")

        let result = try world.startScript(in: runner, extra: ["--attempts", "2"]).finish()
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "apply-and-push: error: gave up after 2 attempts; nothing of this run is on origin/main"),
            "\(result.stderr)")
        #expect(try world.untrackedSealedFiles(in: runner).isEmpty)
        #expect(try world.trackedSealedFiles(in: runner).isEmpty)
    }

    /// Flags it does not know, a detached HEAD without --branch, local edits: refused
    /// before anything is fetched, planned or written.
    @Test func badInvocationsAreRefusedBeforeAnyChange() throws {
        let world = try Remote()
        let runner = try world.clone("runner", at: "HEAD")
        let unknown = try world.startScript(in: runner, extra: ["--format", "json"]).finish()
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr
                == "apply-and-push: error: unknown argument '--format' (a saved plan is made by this script; see "
                + "--help)\n"
        )

        try world.git(["checkout", "--quiet", "--detach"], in: runner)
        let detached = try world.startScript(in: runner).finish()
        #expect(detached.stderr == "apply-and-push: error: HEAD is detached: name the branch with --branch\n")

        try world.git(["checkout", "--quiet", "main"], in: runner)
        try "edited\n".write(
            to: runner.appendingPathComponent("manifests/account.yaml"), atomically: true, encoding: .utf8)
        let dirty = try world.startScript(in: runner).finish()
        #expect(dirty.status == 1)
        #expect(dirty.stderr.contains("the clone has uncommitted changes to tracked files"))
        #expect(try world.read("manifests/account.yaml", in: runner) == "edited\n")
    }
}

/// A small account in a bare repository, and clones of it.
private final class Remote {
    let sandbox: Sandbox
    let bare: URL
    let seed: URL
    let recipient: String
    /// git as a CI runner has it: an identity, no user config, no prompts.
    let environment: [String: String]

    /// `ownFiles`: the admin has a recipient of its own (the same key), so each new
    /// credential is also sealed in secrets/race/CLIENT-ID.age, with an index.
    init(ownFiles: Bool = false) throws {
        sandbox = try Sandbox()
        bare = sandbox.url.appendingPathComponent("origin.git")
        seed = sandbox.url.appendingPathComponent("seed")
        environment = [
            "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@race.example",
            "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@race.example",
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
            "PATH": CLI.executable.deletingLastPathComponent().path + ":"
                + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        recipient = try PeerTools.newKey("key.txt", in: sandbox)
        try git(["init", "--quiet", "--bare", "--initial-branch=main", bare.path], in: sandbox.url)
        try git(["clone", "--quiet", bare.path, seed.path], in: sandbox.url)
        try git(["symbolic-ref", "HEAD", "refs/heads/main"], in: seed)
        let initialized = try CLI.run(
            ["init", "--state", "state.json", "--account", "race", "--admin", ApplyAndPushTests.admin], in: seed)
        try #require(initialized.status == 0, "\(initialized.stderr)")
        try write("manifests/account.yaml", "account: race\nsettings:\n  recipients: [\(recipient)]\n", in: seed)
        try write(
            "manifests/users.yaml",
            "users:\n  - id: \(ApplyAndPushTests.admin)\n    name: \(ApplyAndPushTests.admin)\n    license: admin\n"
                + (ownFiles ? "    recipients: [\(recipient)]\n" : ""),
            in: seed)
        // What a user's repository ignores: the files apply keeps beside the state.
        try write(".gitignore", "state.json.lock\nstate.json.backup\nstate.json.pending\n", in: seed)
        try commitAndPush("base")
    }

    /// A merge to main adding one credential of the admin's; returns its commit.
    func merge(_ name: String, scopes: String) throws -> String {
        try write(
            "manifests/credentials/\(name).yaml",
            "credentials:\n  - name: \(name)\n    owner: \(ApplyAndPushTests.admin)\n    scopes: \(scopes)\n", in: seed)
        try commitAndPush("merge \(name)")
        return try git(["rev-parse", "HEAD"], in: seed).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A clone of the remote with main checked out at `commit`, as a runner triggered by it.
    func clone(_ name: String, at commit: String) throws -> URL {
        let folder = sandbox.url.appendingPathComponent(name)
        try git(["clone", "--quiet", bare.path, folder.path], in: sandbox.url)
        try git(["reset", "--quiet", "--hard", commit], in: folder)
        return folder
    }

    /// A pre-push hook in `later` that runs the script in `first` (to completion) the
    /// first time `later` pushes: `later`'s push is then rejected, for certain.
    func runFirst(in first: URL, whenPushing later: URL) throws {
        let hook = later.appendingPathComponent(".git/hooks/pre-push")
        try """
        #!/usr/bin/env bash
        [ -e ../hooked ] && exit 0
        touch ../hooked
        unset $(git rev-parse --local-env-vars)
        cd ../\(first.lastPathComponent) && bash "\(ApplyAndPushTests.script.path)" --state state.json --as \
        \(ApplyAndPushTests.admin) >../\(first.lastPathComponent).log 2>&1
        """.write(to: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
    }

    func startScript(in clone: URL, extra: [String] = []) throws -> PeerTools.Running {
        try PeerTools.start(
            URL(fileURLWithPath: "/bin/bash"),
            [ApplyAndPushTests.script.path, "--state", "state.json", "--as", ApplyAndPushTests.admin] + extra,
            in: clone, environment: environment)
    }

    struct Credential {
        var name: String
        var clientId: String
        var secretSha256: String
    }

    func credentials(in clone: URL) throws -> [Credential] {
        let data = try Data(contentsOf: clone.appendingPathComponent("state.json"))
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try (state["credentials"] as? [[String: Any]] ?? []).map {
            Credential(
                name: try #require($0["name"] as? String), clientId: try #require($0["clientId"] as? String),
                secretSha256: try #require($0["secretSha256"] as? String))
        }
    }

    func trackedSealedFiles(in clone: URL) throws -> [URL] {
        try files(git(["ls-files", "--", "*.age"], in: clone), in: clone)
    }

    func untrackedSealedFiles(in clone: URL) throws -> [URL] {
        try files(git(["ls-files", "--others", "--", "*.age"], in: clone), in: clone)
    }

    /// `age -d -i key.txt FILE`: clientId -> clientSecret.
    func open(_ file: URL) throws -> [String: String] {
        let age = try #require(PeerTools.age)
        let opened = try PeerTools.run(age, ["-d", "-i", "key.txt", file.path], in: sandbox.url)
        try #require(opened.status == 0, "age -d \(file.lastPathComponent) failed: \(opened.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: opened.stdout) as? [String: Any])
        var secrets: [String: String] = [:]
        for credential in document["credentials"] as? [[String: Any]] ?? [] {
            secrets[try #require(credential["clientId"] as? String)] = try #require(
                credential["clientSecret"] as? String)
        }
        return secrets
    }

    @discardableResult
    func git(_ arguments: [String], in folder: URL) throws -> String {
        let git = try #require(PeerTools.git)
        let result = try PeerTools.run(git, arguments, in: folder, environment: environment)
        try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.text
    }

    func read(_ relative: String, in folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
    }

    private func write(_ relative: String, _ text: String, in folder: URL) throws {
        let file = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    private func commitAndPush(_ message: String) throws {
        try git(["add", "-A"], in: seed)
        try git(["commit", "--quiet", "-m", message], in: seed)
        try git(["push", "--quiet", "origin", "HEAD:main"], in: seed)
    }

    private func files(_ listing: String, in clone: URL) -> [URL] {
        listing.split(separator: "\n").map { clone.appendingPathComponent(String($0)) }
    }
}
