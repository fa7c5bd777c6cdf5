import Foundation
import Testing
import VCCCredentials

/// What comes in from files, flags and stdin is checked before it can name a file,
/// overflow a number, hide in a name or fill the memory; and what goes out to a person
/// shows control and invisible characters escaped.
@Suite struct InputHygieneTests {
    static let alice = ApplyFilesHardeningTests.alice

    // MARK: 7. account ids stay inside secrets/

    @Test func anAccountIdThatWalksOutOfAFolderIsRefusedEverywhere() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let rule = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names files)"
        Hostile.expectOneLineError(
            try Hostile.run(["init", "--state", "new.json", "--account", "../../escaped"], in: sandbox),
            "error: --account: account id '../../escaped' \(rule)\n")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("new.json")))

        let state = try sandbox.read("state.json")
        try sandbox.write(
            "state.json", state.replacingOccurrences(of: #""id": "acme""#, with: #""id": "../../escaped""#))
        let before = try sandbox.snapshot()
        let applied = try ApplyFilesHardeningTests.apply(in: sandbox)
        Hostile.expectOneLineError(applied, "state.json:")
        #expect(applied.stderr.contains(": error: account id '../../escaped' \(rule)"), "\(applied.stderr)")
        #expect(try sandbox.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: sandbox.url.appendingPathComponent("../../escaped-8.age").path))

        try sandbox.write("state.json", state)
        let manifest = try sandbox.read("manifests/account.yaml")
        try sandbox.write(
            "manifests/account.yaml", manifest.replacingOccurrences(of: "account: acme", with: "account: ../acme"))
        Hostile.expectOneLineError(
            try Hostile.run(["validate"], in: sandbox),
            "manifests/account.yaml:3:10: error: account '../acme' \(rule)\n")
    }

    // MARK: 8. integers from files are range-checked

    /// A serial at Int.max would overflow at + 1 (a crash, and a lock file left behind):
    /// it is refused where it stands. The last serial but one still applies; the state
    /// it makes is read and planned, but never applied to again.
    @Test func aSerialWhoseNextWouldOverflowIsRefusedCleanly() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let state = try sandbox.read("state.json")
        try sandbox.write(
            "state.json", state.replacingOccurrences(of: #""serial": 7,"#, with: #""serial": 9223372036854775807,"#))
        let before = try sandbox.snapshot()
        for arguments in [
            ["plan", "--state", "state.json", "--as", Acme.sam],
            ["apply", "--state", "state.json", "--as", Acme.sam, "--recipient", ApplyFilesHardeningTests.recipient],
        ] {
            let run = try Hostile.run(arguments, in: sandbox)
            Hostile.expectOneLineError(
                run, "state.json:102:13: error: serial must be at most 9007199254740991, not 9223372036854775807\n")
            #expect(try sandbox.snapshot() == before, "\(arguments[0]) left files (a lock?)")
        }

        try sandbox.write(
            "state.json", state.replacingOccurrences(of: #""serial": 7,"#, with: #""serial": 9007199254740990,"#))
        let applied = try ApplyFilesHardeningTests.apply(in: sandbox)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(applied.text.contains("State serial 9007199254740991 committed."))
        #expect(FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-9007199254740991.age")))
        let planned = try Hostile.run(["plan", "--state", "state.json", "--as", Self.alice], in: sandbox)
        #expect(planned.status == 3, "the last state cannot be read: \(planned.stderr)")
        let last = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try ApplyFilesHardeningTests.apply(as: Self.alice, in: sandbox),
            "state.json: error: serial 9007199254740991 is the largest a state can have, so no further apply can be "
                + "recorded; start a new state with 'vcc-creds init'; nothing was written\n"
        )
        #expect(try sandbox.snapshot() == last)
    }

    // MARK: 9. --lock-timeout

    @Test(arguments: [
        "nan", "inf", "-inf", "-1", "0x1", "1e3", "3601", "1.", ".5", " 1", "1,5", "99999999999999999999",
    ])
    func aLockTimeoutThatIsNotDecimalSecondsInRangeIsRefused(_ value: String) throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try ApplyFilesHardeningTests.apply(["--lock-timeout=\(value)"], in: sandbox),
            "error: The value '\(value)' is invalid for '--lock-timeout <seconds>': must be a number of seconds from "
                + "0 to 3600, written like 30 or 2.5\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    @Test(arguments: ["0", "2.5", "3600", "0.000001"])
    func aLockTimeoutInRangeIsTaken(_ value: String) throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let run = try ApplyFilesHardeningTests.apply(["--lock-timeout", value], in: sandbox)
        #expect(run.status == 3, "\(run.stderr)")
    }

    // MARK: 10. nothing invisible reaches a reviewer, nothing repaints a terminal

    /// A zero-width space in a credential name would make `crm​-sync` read as
    /// `crm-sync`: refused in manifests and in the state, and the message shows it.
    @Test func invisibleCharactersInCredentialNamesAreRefused() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try sandbox.write(
            "manifests/credentials/hidden.yaml",
            "credentials:\n  - name: \"crm\\u200B-sync\"\n    owner: sam@acme.example\n    scopes: [users:read]\n")
        let validated = try Hostile.run(["validate"], in: sandbox)
        Hostile.expectOneLineError(
            validated,
            "manifests/credentials/hidden.yaml:2:11: error: credential name 'crm\\u{200B}-sync' contains an "
                + "invisible or blank character (U+200B)\n"
        )
        try FileManager.default.removeItem(atPath: sandbox.path("manifests/credentials/hidden.yaml"))

        let state = try sandbox.read("state.json")
        try sandbox.write(
            "state.json",
            state.replacingOccurrences(of: #""name": "team-dashboard""#, with: "\"name\": \"\u{202E}team-dashboard\""))
        let planned = try Hostile.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox)
        Hostile.expectOneLineError(planned, "state.json:")
        #expect(
            planned.stderr.contains(
                "error: credential name '\\u{202E}team-dashboard' contains an invisible or blank character (U+202E)"),
            "\(planned.stderr)")
        #expect(!planned.stderr.unicodeScalars.contains("\u{202E}"))
    }

    /// A display name may hold format characters (a Persian name's zero-width
    /// non-joiner): the text and Markdown plans show them escaped; JSON keeps the value.
    @Test func invisibleCharactersInDisplayNamesArePrintedEscaped() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let users = try sandbox.read("manifests/users.yaml")
        try sandbox.write(
            "manifests/users.yaml",
            users.replacingOccurrences(of: "name: Sam Supervisor", with: "name: \"Sam \\u202Erosivrepus\""))
        for format in ["text", "markdown"] {
            let run = try Hostile.run(
                ["plan", "--state", "state.json", "--as", Self.alice, "--format", format], in: sandbox)
            #expect(run.status == 3, "\(run.stderr)")
            #expect(run.text.contains(#""Sam Supervisor" -> "Sam \u{202E}rosivrepus""#), "\(format): \(run.text)")
            #expect(!run.text.unicodeScalars.contains("\u{202E}"), "\(format) printed the override raw")
        }
        let json = try Hostile.run(
            ["plan", "--state", "state.json", "--as", Self.alice, "--format", "json"], in: sandbox)
        #expect(
            String(decoding: json.stdout, as: UTF8.self).unicodeScalars.contains("\u{202E}"), "JSON changed the value")
    }

    /// An ANSI escape or a line break in a flag, echoed back in an error, is shown
    /// escaped: it can neither repaint the terminal nor forge a line of its own.
    @Test func controlCharactersFromFlagsAreEscapedInErrors() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let run = try Hostile.run(["plan", "--state", "state.json", "--as", "\u{1B}[2Jeve@acme.example"], in: sandbox)
        Hostile.expectOneLineError(run, "error: --as \\u{1B}[2Jeve@acme.example: not a user in state.json")
        #expect(!run.stderr.unicodeScalars.contains("\u{1B}"))
        for arguments in [
            ["plan", "--state", "state.json", "--as", "nobody\nnote: plan approved by alice"],
            ["plan", "--state", "missing\nnote: ok.json", "--as", Acme.sam],
            ["plan", "--state", "state.json", "--as", Acme.sam, "--format", "json\nnote: ok"],
        ] {
            let forged = try Hostile.run(arguments, in: sandbox)
            Hostile.expectOneLineError(forged, "")
            #expect(forged.stderr.contains("\\u{A}note: "), "\(forged.stderr)")
        }
    }

    /// Characters outside Unicode's format class that are just as invisible or blank:
    /// a Hangul filler makes `alice@acme.example\u{3164}` a second admin that reads as
    /// Alice. Refused in user ids and credential names alike.
    @Test(arguments: [0x3164, 0x034F, 0x00A0, 0x2800, 0xFE0F, 0x115F, 0xE000, 0x3000])
    func blankCharactersInIdsAndNamesAreRefused(_ value: Int) throws {
        let scalar = try #require(Unicode.Scalar(UInt32(value)))
        let sandbox = try ApplyFilesHardeningTests.acme()
        let hex = String(value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        try sandbox.write(
            "manifests/extra.yaml",
            "users:\n  - id: "
                + "\"alice@acme.example\\u\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)\"\n"
                + "    name: Alice Again\n    license: admin\n"
        )
        let user = try Hostile.run(["validate"], in: sandbox)
        Hostile.expectOneLineError(user, "manifests/extra.yaml:2:9: error: user id 'alice@acme.example")
        #expect(user.stderr.contains("\\u{\(hex)}'") && !user.stderr.unicodeScalars.contains(scalar), "\(user.stderr)")
        try sandbox.write(
            "manifests/extra.yaml",
            "credentials:\n  - name: \"team-dashboard\(String(scalar))\"\n    owner: sam@acme.example\n    scopes: "
                + "[users:read]\n"
        )
        let credential = try Hostile.run(["validate"], in: sandbox)
        Hostile.expectOneLineError(
            credential,
            "manifests/extra.yaml:2:11: error: credential name 'team-dashboard\\u{\(hex)}' contains an invisible or "
                + "blank character (\(code))\n"
        )
    }

    /// A lock file's holder line is read back into the "locked by" message: escapes in
    /// it (an attacker's terminal title sequence) are shown, not obeyed.
    @Test(.enabled(if: PeerTools.flock != nil, "needs util-linux flock"))
    func aLockHolderLineIsEscapedInTheBusyMessage() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try sandbox.write("state.json.lock", "pid 1 on \u{1B}]0;owned\u{7}host since 2026-01-01T00:00:00Z\n")
        let holder = try LockHolderProcess(holding: "state.json.lock", in: sandbox)
        defer { holder.release() }
        let run = try ApplyFilesHardeningTests.apply(in: sandbox)
        Hostile.expectOneLineError(
            run, status: 5,
            "state.json: error: is locked by another run (pid 1 on \\u{1B}]0;owned\\u{7}host since "
                + "2026-01-01T00:00:00Z); retry later or pass --lock-timeout SECONDS\n"
        )
    }

    // MARK: 11. stdin has the caps files have

    @Test func verifyReadsAtMostALineOfStdin() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        let run = try Hostile.run(
            ["verify", "--state", "state.json", "--client-id", "36f675cc-81e7-4ef5-a8e2-5d940ed90475"], in: sandbox,
            stdin: Data(repeating: UInt8(ascii: "a"), count: 1 << 20))
        Hostile.expectOneLineError(run, "stdin: error: larger than the limit of 4096 bytes\n")
    }

    /// 1 GiB on stdin: refused once past the 256 MiB a sealed file may have, without
    /// holding the whole stream.
    @Test(.enabled(if: Hostile.gnuTime != nil, "needs GNU time"))
    func unsealStopsReadingStdinAtTheSealedFileLimit() throws {
        let sandbox = try Sandbox()
        let bash = try #require(PeerTools.find("bash"))
        #expect(try Hostile.run(["keygen", "-o", "key.txt"], in: sandbox).status == 0)
        let run = try Hostile.run(
            [
                "-c", "head -c 1073741824 /dev/zero | \"$0\" -f %M -o rss.txt \"$1\" unseal --identity key.txt -",
                try #require(Hostile.gnuTime).path, CLI.executable.path,
            ],
            in: sandbox, executable: bash)
        Hostile.expectOneLineError(run, "stdin: error: larger than the limit of 268435456 bytes\n")
        let rss = try #require(Int(try sandbox.read("rss.txt").split(separator: "\n").last ?? ""))
        #expect(rss < 600 * 1024, "peak memory \(rss) KiB for a stream refused at 256 MiB")
    }
}
