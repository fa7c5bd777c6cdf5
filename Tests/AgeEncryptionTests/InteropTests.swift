import AgeEncryption
import Foundation
import Testing

/// Interoperability with the reference `age` CLI (Debian's age 1.1.1). When /usr/bin/age
/// is not installed, the whole suite is SKIPPED (reported as skipped, not passed).
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/age")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/age-keygen"),
        "/usr/bin/age or /usr/bin/age-keygen not installed: age CLI interop tests skipped"))
struct InteropTests {
    /// A temporary directory for one test, removed by `cleanUp()`.
    struct Scratch {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("age-interop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = path(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

        func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path(name)))) }

        func cleanUp() { try? FileManager.default.removeItem(at: url) }
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a tool with stdin from /dev/null and stdout/stderr sent to files (no pipes,
    /// so no deadlock on large output). Returns (status, stdout, stderr).
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in scratch: Scratch) throws -> (Int32, [UInt8], String) {
        let id = UUID().uuidString
        let outPath = scratch.path("stdout-\(id)")
        let errPath = scratch.path("stderr-\(id)")
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
            FileManager.default.createFile(atPath: errPath, contents: nil)
        else { throw ToolFailure(description: "cannot create output files in \(scratch.url.path)") }
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()
        let output = Array(try Data(contentsOf: URL(fileURLWithPath: outPath)))
        let errors = String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self)
        return (process.terminationStatus, output, errors)
    }

    /// `run` that must succeed.
    @discardableResult
    static func succeed(_ tool: String, _ arguments: [String], in scratch: Scratch) throws -> [UInt8] {
        let (status, output, errors) = try run(tool, arguments, in: scratch)
        guard status == 0 else { throw ToolFailure(description: "\(tool) \(arguments) exited \(status): \(errors)") }
        return output
    }

    static let age = "/usr/bin/age"
    static let keygen = "/usr/bin/age-keygen"

    /// (a) Our files, binary and armored, open with `age -d -i` and a key file we rendered.
    @Test(arguments: [false, true])
    func ageDecryptsOurFiles(armor: Bool) throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let identity = AgeFixtures.identity(seed: 300)
        let keyFile = try scratch.write("key.txt", IdentityFile.render(identity, created: "2024-01-01T00:00:00Z"))
        for size in [0, 1, 1000, 65536, 65537] {
            let plaintext = AgeFixtures.content(size, seed: 30)
            let sealed = try scratch.write(
                "sealed-\(size).age", try Age.encrypt(plaintext, to: [identity.recipient], armor: armor))
            // To stdout (a file): age -o creates its output only once it writes a byte.
            let opened = try Self.succeed(Self.age, ["-d", "-i", keyFile, sealed], in: scratch)
            #expect(opened == plaintext, "size \(size), armor \(armor)")
        }
    }

    /// age refuses a file we sealed for someone else, and one we tampered with.
    @Test func ageRejectsWhatItShould() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let identity = AgeFixtures.identity(seed: 301)
        let stranger = AgeFixtures.identity(seed: 302)
        let keyFile = try scratch.write("key.txt", IdentityFile.render(identity, created: "2024-01-01T00:00:00Z"))
        var sealed = try Age.encrypt(AgeFixtures.content(100), to: [stranger.recipient])
        let notOurs = try scratch.write("stranger.age", sealed)
        #expect(try Self.run(Self.age, ["-d", "-i", keyFile, notOurs], in: scratch).0 != 0)
        sealed = try Age.encrypt(AgeFixtures.content(100), to: [identity.recipient])
        sealed[sealed.count - 1] ^= 1
        let tampered = try scratch.write("tampered.age", sealed)
        #expect(try Self.run(Self.age, ["-d", "-i", keyFile, tampered], in: scratch).0 != 0)
    }

    /// (b) `age -e -r` output, binary and armored, opens with `Age.decrypt`.
    @Test(arguments: [false, true])
    func weDecryptAgeFiles(armor: Bool) throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let identity = AgeFixtures.identity(seed: 310)
        for size in [0, 1, 1000, 65536, 65537] {
            let plaintext = AgeFixtures.content(size, seed: 31)
            let input = try scratch.write("plain-\(size)", plaintext)
            let output = scratch.path("sealed-\(size).age")
            try Self.succeed(
                Self.age, ["-e"] + (armor ? ["-a"] : []) + ["-r", identity.recipient.description, "-o", output, input],
                in: scratch)
            let sealed = try scratch.read("sealed-\(size).age")
            #expect(Armor.isArmored(sealed) == armor)
            #expect(try Age.decrypt(sealed, identities: [identity]) == plaintext, "size \(size), armor \(armor)")
            // The files age writes have the structure ours have.
            if !armor {
                let headerLength = try #require(AgeFixtures.headerLength(sealed))
                #expect(sealed.count - headerLength == 16 + size + 16 * AgeFixtures.chunkCount(size))
            }
        }
    }

    /// (c) An `age-keygen` key file parses, its `# public key:` is the recipient we derive,
    /// and `age-keygen -y` derives the same recipient from a key file we render.
    @Test func keyFilesInteroperate() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let keyPath = scratch.path("keygen.txt")
        try Self.succeed(Self.keygen, ["-o", keyPath], in: scratch)
        let text = String(decoding: try scratch.read("keygen.txt"), as: UTF8.self)
        let identities = try IdentityFile.parse(text)
        try #require(identities.count == 1)
        let publicLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("# public key: ") })
        #expect(String(publicLine.dropFirst("# public key: ".count)) == identities[0].recipient.description)
        #expect(text.split(separator: "\n").contains { $0 == identities[0].secretKeyString })

        // Our render has age-keygen's shape: same line prefixes, same line count, trailing newline.
        let rendered = IdentityFile.render(identities[0], created: "2024-01-01T00:00:00Z")
        let theirs = text.split(separator: "\n", omittingEmptySubsequences: false)
        let ours = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(theirs.count == ours.count)
        #expect(theirs[0].hasPrefix("# created: ") && ours[0].hasPrefix("# created: "))
        #expect(theirs[1] == ours[1])
        #expect(theirs[2] == ours[2])
        #expect(theirs.last == "" && ours.last == "")

        // age-keygen -y on our rendered file prints our recipient.
        let identity = AgeFixtures.identity(seed: 320)
        let ourKey = try scratch.write("ours.txt", IdentityFile.render(identity, created: "2024-01-01T00:00:00Z"))
        let derived = try Self.succeed(Self.keygen, ["-y", ourKey], in: scratch)
        #expect(String(decoding: derived, as: UTF8.self) == "\(identity.recipient)\n")

        // Our rendered file works as `age -d -i`; the keygen file works for our decrypt.
        let plaintext = AgeFixtures.content(5000, seed: 32)
        let input = try scratch.write("plain", plaintext)
        let sealedPath = scratch.path("sealed.age")
        try Self.succeed(
            Self.age,
            [
                "-e", "-r", identity.recipient.description, "-r", identities[0].recipient.description, "-o", sealedPath,
                input,
            ],
            in: scratch)
        let opened = try Self.succeed(Self.age, ["-d", "-i", ourKey, sealedPath], in: scratch)
        #expect(opened == plaintext)
        #expect(try Age.decrypt(try scratch.read("sealed.age"), identities: identities) == plaintext)
    }

    /// (d) `age -e -r A -r B` opens with either identity alone; and a file we seal to
    /// several recipients opens with age using any one of their key files.
    @Test func multipleRecipientsBothWays() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let a = AgeFixtures.identity(seed: 330)
        let b = AgeFixtures.identity(seed: 331)
        let c = AgeFixtures.identity(seed: 332)
        let plaintext = AgeFixtures.content(70_000, seed: 33)
        let input = try scratch.write("plain", plaintext)
        let output = scratch.path("sealed.age")
        try Self.succeed(
            Self.age, ["-e", "-r", a.recipient.description, "-r", b.recipient.description, "-o", output, input],
            in: scratch)
        let sealed = try scratch.read("sealed.age")
        #expect(try Age.decrypt(sealed, identities: [a]) == plaintext)
        #expect(try Age.decrypt(sealed, identities: [b]) == plaintext)
        #expect(throws: AgeError.noMatch) { try Age.decrypt(sealed, identities: [c]) }

        let ours = try scratch.write("ours.age", try Age.encrypt(plaintext, to: [a, b, c].map(\.recipient)))
        for (index, identity) in [a, b, c].enumerated() {
            let key = try scratch.write(
                "key-\(index).txt", IdentityFile.render(identity, created: "2024-01-01T00:00:00Z"))
            #expect(try Self.succeed(Self.age, ["-d", "-i", key, ours], in: scratch) == plaintext)
        }
    }

    /// (e) A payload of 1 MiB + 1 byte (17 chunks, the last holding one byte), both ways.
    @Test func largePayloadBothWays() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let identity = AgeFixtures.identity(seed: 340)
        let keyFile = try scratch.write("key.txt", IdentityFile.render(identity, created: "2024-01-01T00:00:00Z"))
        let plaintext = AgeFixtures.content(1_048_577, seed: 34)

        let ours = try scratch.write("ours.age", try Age.encrypt(plaintext, to: [identity.recipient]))
        try Self.succeed(Self.age, ["-d", "-i", keyFile, "-o", scratch.path("ours.out"), ours], in: scratch)
        #expect(try scratch.read("ours.out") == plaintext)

        let input = try scratch.write("plain", plaintext)
        let theirs = scratch.path("theirs.age")
        try Self.succeed(Self.age, ["-e", "-r", identity.recipient.description, "-o", theirs, input], in: scratch)
        let sealed = try scratch.read("theirs.age")
        #expect(try Age.decrypt(sealed, identities: [identity]) == plaintext)
        let headerLength = try #require(AgeFixtures.headerLength(sealed))
        #expect(sealed.count - headerLength == 16 + plaintext.count + 16 * 17)
    }
}
