import Foundation
import Testing
import VCCCredentials

/// The journal (`STATE.pending`) is bound to what it journals: recovery acts only on a
/// journal of this state, before or after this very apply, and never renames a file it
/// did not write or appends an audit line twice. Real applies are interrupted by a file
/// size limit (RLIMIT_FSIZE with SIGXFSZ ignored, as a full disk would), then rerun.
@Suite struct JournalRecoveryTests {
    static let recipient = ApplyFilesHardeningTests.recipient
    static let arguments = ["apply", "--state", "state.json", "--as", Acme.sam, "--recipient", recipient]

    /// A limit of `kib` KiB on every file the run writes.
    static func limited(_ kib: Int, _ arguments: [String], in sandbox: Sandbox) throws -> Hostile.Run {
        let bash = try #require(PeerTools.find("bash"))
        return try Hostile.run(
            ["-c", "trap '' XFSZ; ulimit -f \(kib); exec \"$0\" \"$@\"", CLI.executable.path] + arguments, in: sandbox,
            executable: bash)
    }

    /// Stops an apply after sealing, before its state is committed: 2 KiB fits the
    /// journal and the sealed file, not the 3.9 KB state backup.
    static func interruptBeforeCommit(_ sandbox: Sandbox, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        let run = try limited(2, arguments, in: sandbox)
        #expect(run.status == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        try #require(
            run.stderr.contains("The state was not changed. Secrets are sealed in secrets/acme-8.age."),
            "\(run.stderr)", sourceLocation: sourceLocation)
    }

    /// An audit log of 80 lines, 8,000 bytes: an apply under an 8 KiB limit commits its
    /// state (about 4 KB) and then cannot append its three lines.
    static let earlierLines = (0..<80).map { index in
        let line = #"{"earlier":\#(index),"pad":""#
        return line + String(repeating: "x", count: 99 - line.count - 2) + "\"}\n"
    }.joined()

    static func interruptAfterCommit(_ sandbox: Sandbox, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        try sandbox.write("state.json.audit.jsonl", earlierLines)
        let run = try limited(8, arguments, in: sandbox)
        #expect(run.status == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        try #require(
            run.stderr.contains("The state was committed but the apply did not finish."), "\(run.stderr)",
            sourceLocation: sourceLocation)
    }

    /// The journal's audit lines (the ones an apply appends), whatever its format.
    static func journalAuditLines(_ sandbox: Sandbox) throws -> [String] {
        try sandbox.read("state.json.pending").split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix(#"{"action":"#) }
    }

    static func auditLines(_ sandbox: Sandbox) throws -> [String] {
        try sandbox.read("state.json.audit.jsonl").split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
    }

    // MARK: 3. the journal is trusted only when it matches

    /// A hand-written journal naming another file as its sealed file (in the format of
    /// the release before, or in none): the next apply refuses it and renames nothing.
    @Test func aHandWrittenJournalIsRefusedAndNothingIsRenamed() throws {
        let untouched = "; nothing was renamed or appended. If no apply was interrupted here, remove it\n"
        for (journal, message) in [
            (
                #"{"formatVersion":1,"serial":999,"sealedPath":"important.txt"}"#,
                "state.json.pending:1:1: error: journal format version 1 is not supported (this vcc-creds writes 3): "
                    + "finish the interrupted apply with the vcc-creds that started it"
            ),
            (
                #"{"serial":999,"sealedPath":"important.txt"}"#,
                "state.json.pending:1:1: error: not a journal vcc-creds wrote (it has no digest line), or one cut short"
            ),
        ] {
            let sandbox = try ApplyFilesHardeningTests.acme()
            try sandbox.write("important.txt", "the quarterly numbers\n")
            try sandbox.write("state.json.pending", journal + "\n")
            let before = try sandbox.snapshot()
            Hostile.expectOneLineError(try Hostile.run(Self.arguments, in: sandbox), message + untouched)
            #expect(try sandbox.snapshot() == before)
        }
    }

    /// A journal whose audit lines were edited (and its digest made to match again): the
    /// lines do not describe the committed state, so none is appended.
    @Test func forgedAuditLinesAreNotAppended() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        let lines = try sandbox.read("state.json.pending").split(separator: "\n").map(String.init)
        let create = try #require(lines.firstIndex { $0.contains(#""action":"create""#) })
        let minted = try #require(lines[create].firstMatch(of: /"clientId":"([0-9a-f-]{36})"/)).1
        var forged = lines.dropLast()
        forged[create] = lines[create].replacingOccurrences(
            of: String(minted), with: "00000000-0000-4000-8000-000000000000")
        let body = forged.joined(separator: "\n") + "\n"
        try sandbox.write("state.json.pending", body + #"{"sha256":"\#(Digest.sha256Hex(Array(body.utf8)))"}"# + "\n")
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Hostile.run(Self.arguments, in: sandbox),
            "state.json.pending: error: it does not match the committed state: audit line \(create) records a create "
                + "of credential '00000000-0000-4000-8000-000000000000', which the state does not hold; nothing was "
                + "appended. Check it, then remove it\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    /// The state was replaced after an interrupted apply (a `git pull` of another run's
    /// commit): recovery sees it is neither the state before nor the one committed.
    @Test func aStateReplacedSinceTheInterruptedApplyIsReported() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        let committed = try sandbox.read("state.json")
        try #require(committed.contains(#""serial": 8,"#))
        try sandbox.write(
            "state.json",
            committed.replacingOccurrences(of: #""serial": 8,"#, with: #""serial": 9,"#)
                .replacingOccurrences(of: "Sam Supervisor", with: "Sam Senior"))
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Hostile.run(Self.arguments, in: sandbox),
            "state.json.pending: error: it journals an interrupted apply from serial 7 to 8, but state.json is "
                + "neither (serial 9): it was replaced since; nothing was renamed or appended. Check "
                + "state.json.audit.jsonl and secrets/acme-8.age, then remove the journal\n"
        )
        #expect(try sandbox.snapshot() == before, "the audit log or the sealed file changed")
    }

    /// The journal names its sealed file by absolute path: a rerun from another folder
    /// (with `--state ../state.json`) sets aside the file the interrupted run sealed.
    @Test func aRerunFromAnotherFolderFindsTheSealedFile() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptBeforeCommit(sandbox)
        let orphan = try sandbox.contents(of: "secrets/acme-8.age")
        try FileManager.default.createDirectory(atPath: sandbox.path("elsewhere"), withIntermediateDirectories: false)
        let rerun = try PeerTools.run(
            CLI.executable,
            [
                "apply", "--state", "../state.json", "--manifests", "../manifests", "--as", Acme.sam, "--recipient",
                Self.recipient,
            ],
            in: sandbox.url.appendingPathComponent("elsewhere"))
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(try sandbox.contents(of: "secrets/acme-8.interrupted.age") == orphan, "the orphan was not set aside")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-8.age")))
        #expect(FileManager.default.fileExists(atPath: sandbox.path("elsewhere/secrets/acme-8.age")), "no new seal")
        #expect(
            rerun.stderr.contains("Kept as \(sandbox.realPath("secrets/acme-8.interrupted.age"))."), "\(rerun.stderr)")
    }

    /// Killed between giving the sealed file its name (a hard link from its temp file)
    /// and removing the temp name: the file has two names, both its own. Recovery drops
    /// the temp name and sets the file aside, and the rerun seals anew (found by
    /// `scripts/crash-test --command record`).
    @Test func aSealedFileStillLinkedFromItsTempFileIsSetAside() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptBeforeCommit(sandbox)
        let orphan = try sandbox.contents(of: "secrets/acme-8.age")
        try FileManager.default.linkItem(
            atPath: sandbox.path("secrets/acme-8.age"), toPath: sandbox.path("secrets/.acme-8.age.0a1b2c3d4e5f.tmp"))
        let rerun = try Hostile.run(Self.arguments, in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(try sandbox.contents(of: "secrets/acme-8.interrupted.age") == orphan, "the orphan was not set aside")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("secrets/.acme-8.age.0a1b2c3d4e5f.tmp")))
        #expect(FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-8.age")), "no new seal")
    }

    /// A file that took the sealed file's place after the interruption is not the one
    /// the journal names by digest: it is left where it is.
    @Test func aFileInTheSealedFilesPlaceIsNotRenamed() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptBeforeCommit(sandbox)
        try sandbox.write("secrets/acme-8.age", "not what apply sealed\n")
        let rerun = try Hostile.run(Self.arguments + ["--sealed-out", "secrets/second.age"], in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(try sandbox.read("secrets/acme-8.age") == "not what apply sealed\n")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-8.interrupted.age")))
        #expect(
            rerun.stderr.contains("secrets/acme-8.age is not the file it sealed, so it was left as it is"),
            "\(rerun.stderr)")
    }

    /// A journal as vcc-creds writes it, digest line included: what anyone who can
    /// write the folder can forge, since no secret signs it.
    static func forgeJournal(
        _ sandbox: Sandbox, previous: (Int, String), next: (Int, String), sealed: (String, String)? = nil,
        auditLines: String = ""
    ) throws {
        let lineage = try #require(try sandbox.read("state.json").firstMatch(of: /"lineage": "([0-9a-f-]{36})"/)).1
        var header =
            #"{"formatVersion":2,"lineage":"\#(lineage)","next":{"serial":\#(next.0),"sha256":"\#(next.1)"},"#
            + #""previous":{"serial":\#(previous.0),"sha256":"\#(previous.1)"}"#
        if let sealed { header += #","sealed":{"path":"\#(sealed.0)","sha256":"\#(sealed.1)"}"# }
        let body = header + "}\n" + auditLines
        try sandbox.write("state.json.pending", body + #"{"sha256":"\#(Digest.sha256Hex(Array(body.utf8)))"}"# + "\n")
    }

    static func sha256(of relative: String, in sandbox: Sandbox) throws -> String {
        Digest.sha256Hex(Array(try sandbox.contents(of: relative)))
    }

    /// A forged journal, digest and all, naming files that are not age files (the state
    /// itself, a manifest, a file elsewhere) with their true digests, and temp-named
    /// files that are not pieces of one: nothing is renamed or removed.
    @Test func aForgedJournalNeverRenamesOrRemovesAFileThatIsNotAnAgeFile() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try sandbox.write("elsewhere/important.txt", "the quarterly numbers\n")
        try sandbox.write("elsewhere/.notes.txt.abcdef.tmp", "keep\n")
        try sandbox.write("elsewhere/.looks.age.abcdef.tmp", "not a piece of an age file\n")
        let state = try Self.sha256(of: "state.json", in: sandbox)
        let pristine = try sandbox.contents(of: "state.json")
        for victim in [
            "elsewhere/important.txt", "state.json", "manifests/users.yaml", "elsewhere/notes.txt",
            "elsewhere/looks.age",
        ] {
            let digest = (try? Self.sha256(of: victim, in: sandbox)) ?? String(repeating: "0", count: 64)
            try Self.forgeJournal(
                sandbox, previous: (7, state), next: (8, String(repeating: "0", count: 64)),
                sealed: (sandbox.realPath(victim), digest))
            let before = try sandbox.snapshot().filter { !$0.key.hasPrefix("state.json") }
            // The journal matches the state it started from, so the apply goes on after it.
            let run = try Hostile.run(Self.arguments, in: sandbox)
            #expect(run.status == 3, "\(victim): \(run.stderr)")
            #expect(!run.stderr.contains("Kept as"), "\(victim): \(run.stderr)")
            let after = try sandbox.snapshot()
            for (path, bytes) in before where !path.hasPrefix("secrets/") {
                #expect(after[path] == bytes, "\(victim): \(path) was renamed, removed or changed")
            }
            try pristine.write(to: sandbox.url.appendingPathComponent("state.json"))
            for leftover in ["state.json.backup", "state.json.audit.jsonl", "secrets"] {
                try? FileManager.default.removeItem(atPath: sandbox.path(leftover))
            }
        }
    }

    /// Forged audit lines with a valid digest: a serial the state does not have, an
    /// actor or time the state does not record, keys apply never writes. None is
    /// appended.
    @Test func forgedAuditLinesThatDisagreeWithTheStateAreNotAppended() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        let journaled = try Self.journalAuditLines(sandbox)
        let create = try #require(journaled.first { $0.contains(#""action":"create""#) })
        let state = try Self.sha256(of: "state.json", in: sandbox)
        let backup = try Self.sha256(of: "state.json.backup", in: sandbox)
        let cases: [(String, (Int, String), (Int, String), String)] = [
            (
                "a serial the state does not have", (423241, backup), (424242, state),
                create.replacingOccurrences(of: #""serial":8"#, with: #""serial":424242"#)
            ),
            (
                "another actor", (7, backup), (8, state),
                create.replacingOccurrences(
                    of: #""actor":"sam@acme.example""#, with: #""actor":"mallory@acme.example""#)
            ),
            (
                "another time", (7, backup), (8, state),
                create.replacing(/"time":"[^"]+"/, with: #""time":"1999-01-01T00:00:00Z""#)
            ),
            (
                "a key apply never writes", (7, backup), (8, state),
                create.replacingOccurrences(of: #"{"action""#, with: #"{"note":"hi","action""#)
            ),
        ]
        let audit = try sandbox.read("state.json.audit.jsonl")
        for (what, previous, next, line) in cases {
            try Self.forgeJournal(sandbox, previous: previous, next: next, auditLines: line + "\n")
            let run = try Hostile.run(Self.arguments, in: sandbox)
            #expect(run.status == 1, "\(what): \(run.stderr)")
            #expect(try sandbox.read("state.json.audit.jsonl") == audit, "\(what): a forged line was appended")
        }
    }

    /// A journal's sealed path holds whatever the working folder's path holds (here a
    /// DEL): the journal must still be readable, so the interrupted apply recovers.
    @Test func aFolderWithAControlCharacterInItsNameStillRecovers() throws {
        let sandbox = try Sandbox(inside: Sandbox(), named: "odd\u{7F}folder")
        try sandbox.copyAcmeExampleAccount()
        try Self.interruptBeforeCommit(sandbox)
        let rerun = try Hostile.run(Self.arguments, in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(FileManager.default.fileExists(atPath: sandbox.path("secrets/acme-8.interrupted.age")))
    }

    // MARK: 4. audit lines: whole, and once each

    /// A failed append is cut back, so it leaves no torn line; a torn line left by a
    /// kill part way through an append (written here by hand, as a kill would leave it)
    /// is repaired, and every line ends up in the log exactly once.
    @Test func aTornAuditLineIsRepairedAndNoLineIsDuplicated() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        #expect(try sandbox.read("state.json.audit.jsonl") == Self.earlierLines, "the failed append left bytes behind")
        let journaled = try Self.journalAuditLines(sandbox)
        try #require(journaled.count == 3)
        try sandbox.write(
            "state.json.audit.jsonl", Self.earlierLines + journaled[0] + "\n" + String(journaled[1].prefix(40)))

        let rerun = try Hostile.run(Self.arguments, in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(
            rerun.stderr.contains(
                "appended 2 audit lines of serial 8, which an interrupted apply had committed (after removing the "
                    + "torn line it had left)"
            ), "\(rerun.stderr)")
        #expect(try sandbox.read("state.json.audit.jsonl") == Self.earlierLines + journaled.map { $0 + "\n" }.joined())
        for line in try Self.auditLines(sandbox).dropLast() {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("state.json.pending")))
    }

    /// Lines are recognized wherever they stand near the end, not only as its last
    /// bytes: a blank line after them (a hand edit) does not make them appended twice.
    @Test func auditLinesAlreadyThereAreNotAppendedAgain() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        let journaled = try Self.journalAuditLines(sandbox)
        let present = Self.earlierLines + journaled[0] + "\n" + journaled[2] + "\n\n"
        try sandbox.write("state.json.audit.jsonl", present)
        let rerun = try Hostile.run(Self.arguments, in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(try sandbox.read("state.json.audit.jsonl") == present + journaled[1] + "\n")
    }

    /// A torn last line that is not one of the journal's is reported, not built upon.
    @Test func aForeignTornLineIsReportedNotBuiltUpon() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        try sandbox.write("state.json.audit.jsonl", Self.earlierLines + #"{"someone":"else"#)
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Hostile.run(Self.arguments, in: sandbox),
            "state.json.audit.jsonl: error: the last line has no line break (a write was cut short?), and appending "
                + "would join a line onto it: end it with a line break if it is whole, or remove it, then rerun; "
                + "nothing was changed\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    // MARK: 12. leftovers of a killed run

    /// Temp files of the sealed file (`secrets/.NAME.age.HEX.tmp`, encrypted) are removed
    /// by the run that recovers its journal; others' temp files are left alone.
    @Test func sealedTempFilesOfAnInterruptedRunAreRemoved() throws {
        let sandbox = try ApplyFilesHardeningTests.acme()
        try Self.interruptAfterCommit(sandbox)
        try sandbox.write("secrets/.acme-8.age.1a2b3c.tmp", "age-encryption.org/v1\npartial")
        try sandbox.write("secrets/.other-3.age.1a2b3c.tmp", "not ours")
        let rerun = try Hostile.run(Self.arguments, in: sandbox)
        #expect(rerun.status == 3, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("removed 1 temporary sealed file left by an interrupted run"), "\(rerun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("secrets/.acme-8.age.1a2b3c.tmp")))
        #expect(try sandbox.read("secrets/.other-3.age.1a2b3c.tmp") == "not ours")
    }
}

extension Sandbox {
    func contents(of relative: String) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(relative))
    }

    /// The absolute path with links resolved (the temp folder may sit behind one), as
    /// a journal records it.
    func realPath(_ relative: String) -> String {
        let folder = (try? LocalFileSystem().resolve(url.path)) ?? url.path
        return folder + "/" + relative
    }
}
