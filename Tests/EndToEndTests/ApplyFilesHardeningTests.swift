import Foundation
import Testing
import VCCCredentials

#if canImport(Glibc)
    import Glibc
#endif

/// Apply's own files can never be turned against it. Each test plants what someone with
/// write access to the working folder could (a CI runner shared between jobs, a checkout
/// with a planted file): a link, a journal, a torn line, a hostile name; or breaks a run
/// part way. Through the real binary, it checks that nothing is written through a link,
/// renamed, appended or lost, and that every refusal is one line naming the file.
@Suite struct ApplyFilesHardeningTests {
    static let alice = "alice@acme.example"
    static let recipient = HostileInputTests.someRecipient

    static func apply(_ extra: [String] = [], as actor: String = Acme.sam, in sandbox: Sandbox) throws -> Hostile.Run {
        try Hostile.run(
            ["apply", "--state", "state.json", "--as", actor, "--recipient", recipient] + extra, in: sandbox)
    }

    /// The example account in a new sandbox.
    static func acme() throws -> Sandbox {
        let sandbox = try Sandbox.acme()
        return sandbox
    }

    // MARK: 1. the lock file

    @Test func aSymlinkedLockFileIsRefusedAndWhatItNamesIsUntouched() throws {
        let sandbox = try Self.acme()
        try sandbox.write("passwd", "root:x:0:0\n")
        try FileManager.default.createSymbolicLink(
            atPath: sandbox.path("state.json.lock"), withDestinationPath: "passwd")
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "state.json.lock: error: is a symbolic link, and vcc-creds never writes through links: remove it, or "
                + "name the real file; nothing was changed\n"
        )
        #expect(try sandbox.snapshot() == before)
        #expect(try sandbox.read("passwd") == "root:x:0:0\n")
        #expect(sandbox.isSymlink("state.json.lock"), "the planted link was removed or replaced")
    }

    @Test func aDanglingLockLinkCreatesNothing() throws {
        let sandbox = try Self.acme()
        try FileManager.default.createSymbolicLink(
            atPath: sandbox.path("state.json.lock"), withDestinationPath: "created-by-apply")
        let result = try Self.apply(in: sandbox)
        Hostile.expectOneLineError(result, "state.json.lock: error: is a symbolic link")
        #expect(
            !FileManager.default.fileExists(atPath: sandbox.path("created-by-apply")), "the link's target was created")
    }

    @Test func aHardLinkedLockFileIsRefusedBeforeItIsTruncated() throws {
        let sandbox = try Self.acme()
        try sandbox.write("passwd", "root:x:0:0\n")
        try #require(link(sandbox.path("passwd"), sandbox.path("state.json.lock")) == 0)
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "state.json.lock: error: has 2 hard links, and writing it would change the other names too: give it a "
                + "file of its own; nothing was changed\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    /// A lock path holding something that is not a lock holder's line (another tool's
    /// file, a file named by mistake) is neither truncated nor removed.
    @Test func aLockPathHoldingSomethingElseIsLeftAlone() throws {
        let sandbox = try Self.acme()
        try sandbox.write("state.json.lock", "also precious\nsecond line\n")
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "state.json.lock: error: exists and is not a vcc-creds lock file; it was left as it is: move it away; "
                + "nothing was changed\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    // MARK: 2. the audit log

    @Test func aSymlinkedAuditLogIsRefusedBeforeAnythingIsWritten() throws {
        for target in ["elsewhere.log", "missing.log"] {
            let sandbox = try Self.acme()
            if target == "elsewhere.log" { try sandbox.write(target, "keep\n") }
            try FileManager.default.createSymbolicLink(
                atPath: sandbox.path("state.json.audit.jsonl"), withDestinationPath: target)
            let before = try sandbox.snapshot()
            Hostile.expectOneLineError(
                try Self.apply(in: sandbox),
                "state.json.audit.jsonl: error: is a symbolic link, and vcc-creds never writes through links: remove "
                    + "it, or name the real file; nothing was changed\n"
            )
            #expect(try sandbox.snapshot() == before, "a link to \(target): files changed")
            #expect(!FileManager.default.fileExists(atPath: sandbox.path("missing.log")))
        }
    }

    @Test func aHardLinkedAuditLogIsRefused() throws {
        let sandbox = try Self.acme()
        try sandbox.write("elsewhere.log", "keep\n")
        try #require(link(sandbox.path("elsewhere.log"), sandbox.path("state.json.audit.jsonl")) == 0)
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox), "state.json.audit.jsonl: error: has 2 hard links")
        #expect(try sandbox.snapshot() == before)
    }

    // MARK: 5. --sealed-out naming a folder

    @Test func aSealedOutFolderIsRefusedBeforeAnythingIsWritten() throws {
        let sandbox = try Self.acme()
        try FileManager.default.createDirectory(atPath: sandbox.path("out"), withIntermediateDirectories: false)
        let before = try sandbox.snapshot()
        for folder in ["newdir/", "out", "out/.", "secrets/.."] {
            Hostile.expectOneLineError(
                try Self.apply(["--sealed-out", folder], in: sandbox),
                "error: --sealed-out \(folder): names a folder, not a file; give a file name such as "
                    + "\(PathComponents.join(folder, "secrets.age")); nothing was written\n"
            )
            #expect(try sandbox.snapshot() == before, "--sealed-out \(folder) left files")
            #expect(!FileManager.default.fileExists(atPath: sandbox.path("newdir")))
        }
        // Nothing was left to break the next run.
        let next = try Self.apply(in: sandbox)
        #expect(next.status == 3, "\(next.stderr)")
        #expect(next.text.contains("State serial 8 committed."))
    }

    /// A sealed file must not take the name of a file apply writes for the state (the
    /// backup step would overwrite the only copy of the secrets), nor a temp file's name
    /// (the next run's sweep would remove it), nor hold a control character.
    @Test func aSealedPathThatApplyWouldDestroyIsRefused() throws {
        let sandbox = try Self.acme()
        let before = try sandbox.snapshot()
        let sideFile =
            "is one of the files apply keeps beside the state (the state, its backup, journal, lock or audit log); "
            + "choose another name; nothing was written"
        for (path, problem) in [
            ("state.json.backup", sideFile), ("state.json.audit.jsonl", sideFile), ("./state.json.pending", sideFile),
            ("state.json.lock", sideFile),
            (
                ".state.json.abc123.tmp",
                "is named like a temp file (.NAME.tmp), which the next run would remove; choose another name; "
                    + "nothing was written"
            ),
            ("secrets/x\ty.age", "contains a control character; choose a plain file name; nothing was written"),
        ] {
            Hostile.expectOneLineError(
                try Self.apply(["--sealed-out", path], in: sandbox),
                "error: --sealed-out \(Printable.escaped(path)): \(problem)\n")
            #expect(try sandbox.snapshot() == before, "--sealed-out \(path) left files")
        }
    }

    /// A folder where apply seals by default is named as such, not as a flag.
    @Test func aFolderAtTheDefaultSealedPathIsNamedAsTheDefault() throws {
        let sandbox = try Self.acme()
        try FileManager.default.createDirectory(
            atPath: sandbox.path("secrets/acme-8.age"), withIntermediateDirectories: true)
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "secrets/acme-8.age: error: names a folder, not a file, and apply seals there by default; pass "
                + "--sealed-out FILE; nothing was written\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    /// A saved plan names the state it was made against: one edited to name another
    /// file is stale (exit 4) before anything beside that file is touched, even an
    /// empty lock file another tool left.
    @Test func aPlanEditedToNameAnotherStateIsStaleBeforeTheLock() throws {
        let sandbox = try Self.acme()
        #expect(
            try Hostile.run(["plan", "--state", "state.json", "--as", Acme.sam, "--out", "plan.json"], in: sandbox)
                .status == 3)
        try sandbox.write(
            "plan.json",
            try sandbox.read("plan.json").replacingOccurrences(
                of: #""state": "state.json""#, with: #""state": "other/foo""#))
        try sandbox.write("other/foo", "not a state\n")
        try sandbox.write("other/foo.lock", "")
        let before = try sandbox.snapshot()
        let run = try Hostile.run(["apply", "plan.json", "--as", Acme.sam, "--recipient", Self.recipient], in: sandbox)
        Hostile.expectOneLineError(
            run, status: 4, "plan.json: error: stale plan: the state file contents changed since it was planned")
        #expect(try sandbox.snapshot() == before)
        #expect(FileManager.default.fileExists(atPath: sandbox.path("other/foo.lock")))
    }

    // MARK: 6. a symlinked state

    /// apply replaces the state by rename, which would turn the link into a file at the
    /// new serial and leave its target at the old one: it is refused, naming the real
    /// file. Reading through the link (plan) is fine; applying to the real file keeps the
    /// link true.
    @Test func aSymlinkedStateIsRefusedAndNeverSplit() throws {
        let sandbox = try Self.acme()
        try FileManager.default.createDirectory(atPath: sandbox.path("real"), withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: sandbox.path("state.json"), toPath: sandbox.path("real/state.json"))
        try FileManager.default.createSymbolicLink(
            atPath: sandbox.path("state.json"), withDestinationPath: "real/state.json")
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "state.json: error: is a symbolic link; apply replaces the state by renaming a new file over it, which "
                + "would leave the file it points to at the old serial: pass that file, --state "
                + "\(sandbox.realPath("real/state.json")); nothing was written\n"
        )
        #expect(try sandbox.snapshot() == before)
        #expect(sandbox.isSymlink("state.json"))

        let plan = try Hostile.run(["plan", "--state", "state.json", "--as", Acme.sam], in: sandbox)
        #expect(plan.status == 3, "plan reads through the link: \(plan.stderr)")
        #expect(plan.text.contains("state serial 7"))
        let applied = try Hostile.run(
            ["apply", "--state", "real/state.json", "--as", Acme.sam, "--recipient", Self.recipient], in: sandbox)
        #expect(applied.status == 3, "\(applied.stderr)")
        #expect(sandbox.isSymlink("state.json"))
        #expect(try sandbox.read("state.json").contains(#""serial": 8,"#), "the link no longer shows the state")
    }

    @Test func aHardLinkedStateIsRefused() throws {
        let sandbox = try Self.acme()
        try #require(link(sandbox.path("state.json"), sandbox.path("copy.json")) == 0)
        let before = try sandbox.snapshot()
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox),
            "state.json: error: has 2 hard links; apply replaces the state by renaming a new file over it, which "
                + "would leave the other names at the old serial: give it a file of its own; nothing was written\n"
        )
        #expect(try sandbox.snapshot() == before)
    }

    @Test func aStateThatIsAFolderOrMissingWritesNothing() throws {
        let sandbox = try Self.acme()
        try FileManager.default.removeItem(atPath: sandbox.path("state.json"))
        let missing = try Self.apply(in: sandbox)
        Hostile.expectOneLineError(missing, "state.json: error: no such state file; create one with")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("state.json.lock")))
        try FileManager.default.createDirectory(atPath: sandbox.path("state.json"), withIntermediateDirectories: false)
        Hostile.expectOneLineError(
            try Self.apply(in: sandbox), "state.json: error: is a folder, not a regular file; nothing was written\n")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("state.json.lock")))
    }

    // MARK: 12. durability and modes

    /// A private state stays private: the state, its backup, the journal and the audit
    /// log all get its mode.
    @Test func theStatesModeIsKept() throws {
        for (mode, kept) in [(0o600, 0o600), (0o6755, 0o755)] {
            let sandbox = try Self.acme()
            try #require(chmod(sandbox.path("state.json"), mode_t(mode)) == 0)
            let result = try Self.apply(in: sandbox)
            #expect(result.status == 3, "\(result.stderr)")
            // Set-id bits are never copied onto the files apply makes.
            for name in ["state.json", "state.json.backup", "state.json.audit.jsonl"] {
                #expect(try sandbox.permissions(name) == kept, "\(name) of a state with mode \(String(mode, radix: 8))")
            }
        }
    }

    /// A reader that goes away (`apply | head -1`) does not kill an apply that has
    /// committed: it ends with its own exit status, not SIGPIPE.
    @Test func aClosedStdoutDoesNotKillACommittedApply() throws {
        let sandbox = try Self.acme()
        let bash = try #require(PeerTools.find("bash"))
        let run = try Hostile.run(
            [
                "-c",
                "\"$0\" apply --state state.json --as sam@acme.example --recipient \"$1\" | true; echo "
                    + "${PIPESTATUS[0]} > status",
                CLI.executable.path, Self.recipient,
            ],
            in: sandbox, executable: bash)
        #expect(run.status == 0)
        let status = try sandbox.read("status")
        #expect(status == "3\n", "apply ended with \(status)")
        #expect(try sandbox.read("state.json").contains(#""serial": 8,"#))
    }

    /// `strace` watches the real binary: each new level of a nested sealed folder is
    /// made, then its parent is fsynced, before the next; a new audit log's folder is
    /// fsynced after the log is created.
    @Test(.enabled(if: PeerTools.find("strace") != nil, "needs strace"))
    func newFoldersAndANewAuditLogAreFsyncedLevelByLevel() throws {
        let sandbox = try Self.acme()
        let strace = try #require(PeerTools.find("strace"))
        let run = try Hostile.run(
            [
                "-f", "-y", "-qq", "-e", "trace=mkdir,mkdirat,fsync,openat", "-o", "trace.txt", CLI.executable.path,
                "apply", "--state", "state.json", "--as", Acme.sam, "--recipient", Self.recipient,
                "--sealed-out", "a/b/c/new.age",
            ],
            in: sandbox, executable: strace)
        #expect(run.status == 3, "\(run.stderr)")
        let top = String(sandbox.realPath("").dropLast())
        let events = try sandbox.read("trace.txt").split(separator: "\n").compactMap { line -> String? in
            if let made = line.firstMatch(
                of: /mkdir(?:at)?\((?:AT_FDCWD[^,]*, )?"([^"]+)"[^)]*(?:\)\s+= 0| <unfinished \.\.\.>)/)
            {
                return "mkdir \(made.1)"
            }
            // A call another thread interrupts is split by strace -f: `fsync(5</a/b> <unfinished ...>`.
            if let synced = line.firstMatch(of: /fsync\(\d+<([^>]+)>(?:\)\s+= 0| <unfinished \.\.\.>)/) {
                return "fsync \(PathComponents.display(String(synced.1), from: top))"
            }
            if line.contains("state.json.audit.jsonl"), line.contains("O_CREAT") { return "open audit" }
            return nil
        }
        let sealing = try #require(events.firstIndex(of: "mkdir a"), "no mkdir of a: \(events)")
        #expect(
            Array(events[sealing..<min(sealing + 6, events.count)])
                == ["mkdir a", "fsync \(top)", "mkdir a/b", "fsync a", "mkdir a/b/c", "fsync a/b"],
            "\(events)")
        let audit = try #require(events.firstIndex(of: "open audit"), "\(events)")
        #expect(
            events[audit...].contains("fsync \(top)"),
            "the new audit log's folder was not fsynced: \(events[audit...])")
    }
}

// MARK: - Helpers

extension Sandbox {
    func isSymlink(_ relative: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path(relative))) != nil
    }

    func permissions(_ relative: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path(relative))[.posixPermissions] as? Int)
    }
}
