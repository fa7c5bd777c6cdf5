import Foundation
import Testing

/// `vcc-creds keygen`, `unseal` and `verify`, checked against the real `age` and
/// `age-keygen` CLIs: keys and sealed files must work both ways.
@Suite struct KeyCommandsTests {
    // MARK: keygen

    @Test func keygenWritesAnAgeKeygenFileWithMode0600() throws {
        let sandbox = try Sandbox()
        let result = try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout == "")
        let key = try KeyFile(try sandbox.read("key.txt"))
        #expect(result.stderr == "Public key: \(key.recipient)\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path("key.txt"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.uint16Value == 0o600)
        // Nothing else is left behind (no temp file).
        #expect(Set(try sandbox.snapshot().keys) == ["key.txt"])
    }

    /// age-keygen -y derives the public key from the identity: it must be the one
    /// keygen printed and wrote in its comment.
    @Test(.enabled(if: PeerTools.ageKeygen != nil, "needs age-keygen (Debian package age)"))
    func keygenPublicKeyIsTheOneAgeKeygenDerives() throws {
        let sandbox = try Sandbox()
        let result = try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url)
        #expect(result.status == 0)
        let key = try KeyFile(try sandbox.read("key.txt"))
        let derived = try PeerTools.run(try #require(PeerTools.ageKeygen), ["-y", "key.txt"], in: sandbox.url)
        #expect(derived.status == 0, "\(derived.stderr)")
        #expect(derived.text == key.recipient + "\n")
        #expect(result.stderr == "Public key: \(key.recipient)\n")
    }

    @Test func keygenWithoutOutputPrintsTheIdentityOnStdout() throws {
        let sandbox = try Sandbox()
        let first = try CLI.run(["keygen"], in: sandbox.url)
        let second = try CLI.run(["keygen"], in: sandbox.url)
        #expect(first.status == 0)
        let key = try KeyFile(first.stdout)
        #expect(first.stderr == "Public key: \(key.recipient)\n")
        #expect(try KeyFile(second.stdout).secret != key.secret, "two keygens gave the same key")
        #expect(try sandbox.snapshot().isEmpty, "keygen without -o wrote a file")
    }

    @Test func keygenNeverOverwrites() throws {
        let sandbox = try Sandbox()
        try sandbox.write("key.txt", "precious\n")
        let result = try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("key.txt"))
        #expect(result.stderr.contains("already exists"))
        #expect(!result.stderr.contains("AGE-SECRET-KEY"))
        #expect(try sandbox.read("key.txt") == "precious\n")
        #expect(Set(try sandbox.snapshot().keys) == ["key.txt"])
    }

    /// A dangling symlink is an existing name too: keygen must not write through it.
    @Test func keygenDoesNotFollowADanglingSymlink() throws {
        let sandbox = try Sandbox()
        try FileManager.default.createSymbolicLink(
            atPath: sandbox.path("key.txt"), withDestinationPath: "elsewhere.txt")
        let result = try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("elsewhere.txt")))
    }

    @Test(.enabled(if: PeerTools.age != nil, "needs the age CLI (Debian package age)"))
    func aKeygenKeyOpensWhatAgeSealedForIt() throws {
        let sandbox = try Sandbox()
        let age = try #require(PeerTools.age)
        #expect(try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url).status == 0)
        let key = try KeyFile(try sandbox.read("key.txt"))
        let plaintext = Data("hello from age\n".utf8)
        let sealed = try PeerTools.run(
            age, ["-e", "-r", key.recipient, "-o", "msg.age"], in: sandbox.url, stdin: plaintext)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let opened = try PeerTools.run(age, ["-d", "-i", "key.txt", "msg.age"], in: sandbox.url)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout == plaintext)
        let unsealed = try CLI.runBytes(["unseal", "--identity", "key.txt", "msg.age"], in: sandbox.url)
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(unsealed.stdout == plaintext)
    }

    // MARK: unseal

    /// Keys from age-keygen, files from age (binary and armored, binary plaintext): the
    /// exact bytes come back, from a file and from stdin.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func unsealOpensWhatAgeSealedExactly() throws {
        let sandbox = try Sandbox()
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let age = try #require(PeerTools.age)
        // Not UTF-8: 0xFF, 0xC0 0x80, NUL, CR LF, and every byte value.
        var plaintext = Data([0xFF, 0xC0, 0x80, 0x00, 0x0D, 0x0A, 0xFE])
        plaintext.append(Data((0...255).map { UInt8($0) }))
        try plaintext.write(to: sandbox.url.appendingPathComponent("plain.bin"))
        for (name, armor) in [("binary.age", false), ("armored.age", true)] {
            let arguments = ["-e"] + (armor ? ["-a"] : []) + ["-r", recipient, "-o", name, "plain.bin"]
            let sealed = try PeerTools.run(age, arguments, in: sandbox.url)
            #expect(sealed.status == 0, "\(sealed.stderr)")
            let fromFile = try CLI.runBytes(["unseal", "--identity", "key.txt", name], in: sandbox.url)
            #expect(fromFile.status == 0, "\(name): \(fromFile.stderr)")
            #expect(fromFile.stdout == plaintext, "\(name) from a file")
            #expect(fromFile.stderr == "")
            let bytes = try Data(contentsOf: sandbox.url.appendingPathComponent(name))
            let fromStdin = try CLI.runBytes(["unseal", "--identity", "key.txt", "-"], in: sandbox.url, stdin: bytes)
            #expect(fromStdin.status == 0, "\(name) on stdin: \(fromStdin.stderr)")
            #expect(fromStdin.stdout == plaintext, "\(name) from stdin")
        }
        let armored = try sandbox.read("armored.age")
        #expect(
            armored.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"), "age -a did not armor: the test proves nothing")
    }

    /// A file for several recipients opens with any one of their keys, and an identity
    /// file holding several keys opens a file sealed to any of them.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func unsealTriesEveryIdentityAndRecipient() throws {
        let sandbox = try Sandbox()
        let age = try #require(PeerTools.age)
        let one = try PeerTools.newKey("one.txt", in: sandbox)
        let two = try PeerTools.newKey("two.txt", in: sandbox)
        let plaintext = Data("for two\n".utf8)
        let sealed = try PeerTools.run(
            age, ["-e", "-r", one, "-r", two, "-o", "both.age"], in: sandbox.url, stdin: plaintext)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        for key in ["one.txt", "two.txt"] {
            let opened = try CLI.runBytes(["unseal", "--identity", key, "both.age"], in: sandbox.url)
            #expect(opened.status == 0, "\(key): \(opened.stderr)")
            #expect(opened.stdout == plaintext)
        }
        let onlyTwo = try PeerTools.run(age, ["-e", "-r", two, "-o", "two.age"], in: sandbox.url, stdin: plaintext)
        #expect(onlyTwo.status == 0)
        try sandbox.write("both-keys.txt", try sandbox.read("one.txt") + sandbox.read("two.txt"))
        let opened = try CLI.runBytes(["unseal", "--identity", "both-keys.txt", "two.age"], in: sandbox.url)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout == plaintext)
    }

    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func unsealWithTheWrongKeyPrintsNothing() throws {
        let sandbox = try Sandbox()
        let age = try #require(PeerTools.age)
        let right = try PeerTools.newKey("right.txt", in: sandbox)
        _ = try PeerTools.newKey("wrong.txt", in: sandbox)
        let sealed = try PeerTools.run(
            age, ["-e", "-r", right, "-o", "msg.age"], in: sandbox.url, stdin: Data("top secret\n".utf8))
        #expect(sealed.status == 0)
        let before = try sandbox.snapshot()
        let result = try CLI.runBytes(["unseal", "--identity", "wrong.txt", "msg.age"], in: sandbox.url)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("msg.age"))
        #expect(result.stderr.split(separator: "\n").count == 1, "not one line: \(result.stderr)")
        #expect(try sandbox.snapshot() == before)
    }

    /// Flip one byte in the middle (header or payload), drop the last byte, or flip one
    /// in the last chunk of a multi-chunk file: exit 1 and not a byte of plaintext, not
    /// even the chunks before the damage.
    @Test(.enabled(if: PeerTools.age != nil && PeerTools.ageKeygen != nil, "needs age and age-keygen"))
    func unsealOfATamperedFilePrintsNothing() throws {
        let sandbox = try Sandbox()
        let age = try #require(PeerTools.age)
        let recipient = try PeerTools.newKey("key.txt", in: sandbox)
        let small = Data("{\"clientSecret\": \"not really\"}\n".utf8)
        let large = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 9)) })  // 4 chunks
        for (name, plaintext) in [("small.age", small), ("large.age", large)] {
            let sealed = try PeerTools.run(age, ["-e", "-r", recipient, "-o", name], in: sandbox.url, stdin: plaintext)
            #expect(sealed.status == 0, "\(sealed.stderr)")
            let good = try Data(contentsOf: sandbox.url.appendingPathComponent(name))
            var damaged: [(String, Data)] = []
            var middle = good
            middle[middle.count / 2] ^= 0x01
            damaged.append(("middle", middle))
            damaged.append(("truncated", good.dropLast()))
            var lastChunk = good
            lastChunk[lastChunk.count - 20] ^= 0x80
            damaged.append(("last chunk", lastChunk))
            for (what, bytes) in damaged {
                try bytes.write(to: sandbox.url.appendingPathComponent("bad.age"))
                let result = try CLI.runBytes(["unseal", "--identity", "key.txt", "bad.age"], in: sandbox.url)
                #expect(result.status == 1, "\(name), \(what)")
                #expect(result.stdout.isEmpty, "\(name), \(what): plaintext printed from a damaged file")
                #expect(result.stderr.contains("bad.age"), "\(name), \(what): \(result.stderr)")
            }
            // The undamaged file still opens: the failures above are the damage's doing.
            let opened = try CLI.runBytes(["unseal", "--identity", "key.txt", name], in: sandbox.url)
            #expect(opened.status == 0)
            #expect(opened.stdout == plaintext)
        }
    }

    @Test func unsealWithAMissingIdentityOrSealedFileFails() throws {
        let sandbox = try Sandbox()
        #expect(try CLI.run(["keygen", "-o", "key.txt"], in: sandbox.url).status == 0)
        try sandbox.write("msg.age", "age-encryption.org/v1\n")
        let noKey = try CLI.runBytes(["unseal", "--identity", "missing-key.txt", "msg.age"], in: sandbox.url)
        #expect(noKey.status == 1)
        #expect(noKey.stdout.isEmpty)
        #expect(noKey.stderr.contains("missing-key.txt"))
        let noFile = try CLI.runBytes(["unseal", "--identity", "key.txt", "missing.age"], in: sandbox.url)
        #expect(noFile.status == 1)
        #expect(noFile.stdout.isEmpty)
        #expect(noFile.stderr.contains("missing.age"))
        // An identity file that is not one: a one-line error, nothing else.
        try sandbox.write("not-a-key.txt", "hello\n")
        let notAKey = try CLI.runBytes(["unseal", "--identity", "not-a-key.txt", "msg.age"], in: sandbox.url)
        #expect(notAKey.status == 1)
        #expect(notAKey.stdout.isEmpty)
        #expect(notAKey.stderr.contains("not-a-key.txt"))
    }

    // MARK: verify

    /// The `applyable` fixture's digests are SHA-256 of "fixture-secret-" + the name.
    @Test func verifyComparesTheSecretOnStdinWithTheDigest() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("applyable")
        let crmSync = "1c3e5a7b-2d4f-4a6b-8c0d-1e2f3a4b5c6d"
        let before = try sandbox.snapshot()
        func verify(_ secret: String, _ clientId: String = crmSync) throws -> CLI.Result {
            try CLI.run(["verify", "--state", "state.json", "--client-id", clientId], in: sandbox.url, stdin: secret)
        }
        for accepted in ["fixture-secret-crm-sync", "fixture-secret-crm-sync\n"] {
            let result = try verify(accepted)
            #expect(result.status == 0, "\(accepted.debugDescription): \(result.stderr)")
            #expect(result.stdout == "")
            #expect(!result.stderr.contains("fixture-secret"), "verify printed the secret")
        }
        for rejected in [
            "fixture-secret-crm-syn", "fixture-secret-crm-syncc", "fixture-secret-crm-sync\n\n",
            " fixture-secret-crm-sync",
            "", "fixture-secret-old-export",
        ] {
            let result = try verify(rejected)
            #expect(result.status == 1, "\(rejected.debugDescription) was accepted")
            #expect(result.stdout == "")
            #expect(!result.stderr.contains("fixture-secret"), "verify printed the secret")
        }
        // old-export's secret, rejected above for crm-sync, is right for old-export.
        #expect(try verify("fixture-secret-old-export", "2d4f6a8b-3e5a-4b7c-9d1e-2f3a4b5c6d7e").status == 0)
        let unknown = try verify("fixture-secret-crm-sync", "00000000-0000-4000-8000-000000000000")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("00000000-0000-4000-8000-000000000000"))
        #expect(try sandbox.snapshot() == before, "verify wrote a file")
    }
}

// MARK: - Support: the peer CLIs and byte-exact runs

/// An identity file in age-keygen's format, checked line by line.
struct KeyFile {
    var created: String
    var recipient: String
    var secret: String

    init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(
            lines.count == 4 && lines[3] == "", "not three lines ending in a newline: \(lines.count)",
            sourceLocation: sourceLocation)
        try #require(lines[0].hasPrefix("# created: "), sourceLocation: sourceLocation)
        try #require(lines[1].hasPrefix("# public key: age1"), sourceLocation: sourceLocation)
        try #require(lines[2].hasPrefix("AGE-SECRET-KEY-1"), sourceLocation: sourceLocation)
        created = String(lines[0].dropFirst("# created: ".count))
        recipient = String(lines[1].dropFirst("# public key: ".count))
        secret = lines[2]
        #expect(
            created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/) != nil, "created: \(created)",
            sourceLocation: sourceLocation)
        #expect(
            recipient.wholeMatch(of: /age1[02-9ac-hj-np-z]{58}/) != nil, "public key: \(recipient)",
            sourceLocation: sourceLocation)
        #expect(
            secret.wholeMatch(of: /AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}/) != nil, "secret key line malformed",
            sourceLocation: sourceLocation)
    }
}

/// The reference tools (`age`, `age-keygen`, `flock`, `sha256sum`, `git`) and a runner that
/// keeps stdout as bytes.
enum PeerTools {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let age = find("age")
    static let ageKeygen = find("age-keygen")
    static let flock = find("flock")
    static let sha256sum = find("sha256sum")
    static let git = find("git")

    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a program to completion; stdin from `stdin` (or empty), outputs through files.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL, stdin: Data? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let process = try start(executable, arguments, in: directory, stdin: stdin, environment: environment)
        process.process.waitUntilExit()
        return try process.finish()
    }

    /// A started process whose outputs are collected by `finish()`.
    final class Running {
        let process: Process
        let scratch: URL

        init(process: Process, scratch: URL) {
            self.process = process
            self.scratch = scratch
        }

        func finish() throws -> Result {
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: scratch) }
            return Result(
                status: process.terminationStatus,
                stdout: try Data(contentsOf: scratch.appendingPathComponent("stdout")),
                stderr: String(decoding: try Data(contentsOf: scratch.appendingPathComponent("stderr")), as: UTF8.self))
        }
    }

    static func start(
        _ executable: URL, _ arguments: [String], in directory: URL, stdin: Data? = nil,
        environment: [String: String] = [:]
    ) throws -> Running {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vcc-creds-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("stdin")
        try (stdin ?? Data()).write(to: input)
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
        try process.run()
        return Running(process: process, scratch: scratch)
    }

    /// `age-keygen -o NAME` in the sandbox; returns the public key.
    static func newKey(_ name: String, in sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let keygen = try #require(ageKeygen, "age-keygen is not installed", sourceLocation: sourceLocation)
        let made = try run(keygen, ["-o", name], in: sandbox.url)
        try #require(made.status == 0, "age-keygen failed: \(made.stderr)", sourceLocation: sourceLocation)
        let derived = try run(keygen, ["-y", name], in: sandbox.url)
        let recipient = derived.text.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(recipient.hasPrefix("age1"), sourceLocation: sourceLocation)
        return recipient
    }

    /// Lowercase hex SHA-256, computed by coreutils rather than by the code under test.
    static func sha256Hex(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let tool = try #require(sha256sum, "sha256sum is not installed", sourceLocation: sourceLocation)
        let result = try run(tool, [], in: FileManager.default.temporaryDirectory, stdin: Data(text.utf8))
        return String(result.text.prefix(64))
    }
}

extension CLI {
    /// Runs `vcc-creds` with stdout kept as bytes (for plaintext that is not UTF-8) and
    /// stdin given as bytes.
    static func runBytes(_ arguments: [String], in directory: URL, stdin: Data? = nil) throws -> PeerTools.Result {
        try PeerTools.run(executable, arguments, in: directory, stdin: stdin)
    }
}
