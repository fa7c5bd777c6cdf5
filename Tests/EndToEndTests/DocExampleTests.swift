import Foundation
import Testing

/// Every console example in README.md, CONTRIBUTING.md and docs/ runs, in order, and
/// prints what the document shows (``DocExample`` says how a document writes them).
///
/// Each document runs in a scratch folder of its own that starts as a copy of the
/// repository's `manifests/`, `examples/`, `schema/` and `standin/`, with the built `vcc-creds` first
/// on PATH, the tests' fixed clock (`VCC_CREDS_NOW`, which a document may change), HOME
/// inside the scratch folder, COLUMNS=80 and empty stdin. Commands run in bash; `cd`,
/// `export` and variables carry over from one command to the next.
/// `VCC_CREDS_UPDATE_DOCS=1 swift test --filter DocExampleTests` writes what the commands
/// print into the documents; review that diff like code.
@Suite struct DocExampleTests {
    /// The documents, relative to the repository root.
    static let documents: [String] = {
        var found = ["README.md", "CONTRIBUTING.md"].filter {
            FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent($0).path)
        }
        let docs = Repository.root.appendingPathComponent("docs")
        let enumerator = FileManager.default.enumerator(atPath: docs.path)
        var inDocs: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".md") { inDocs.append("docs/" + relative) }
        }
        found += inDocs.sorted()
        return found
    }()

    @Test(arguments: documents)
    func examplesPrintWhatTheDocumentShows(_ document: String) throws {
        let file = Repository.root.appendingPathComponent(document)
        let text = try String(contentsOf: file, encoding: .utf8)
        let example: DocExample
        do {
            example = try DocExample(document: document, text: text)
        } catch {
            Issue.record("\(error)")
            return
        }
        let session = try DocSession()
        var replacements: [(lines: Range<Int>, with: [String])] = []
        for step in example.steps {
            switch step {
            case .file(let path, let contents, let line):
                guard try session.write(path, contents) else {
                    Issue.record(
                        "\(document):\(line): save \(path): its folder does not exist yet; make it in a step before")
                    return
                }
            case .command(let command):
                let result = try session.run(command.text)
                let actual = result.lines
                if result.timedOut {
                    Issue.record(
                        "\(document):\(command.line): `\(command.text)` did not finish in \(DocSession.timeLimit) s")
                    return
                }
                if result.status != command.exitStatus {
                    Issue.record(
                        """
                        \(document):\(command.line): `\(command.text)` exited \(result.status), \
                        the document says \(command.exitStatus) (write '# exit N' after a command that fails):
                        \(actual.joined(separator: "\n"))
                        """)
                }
                let matches =
                    actual.count == command.expected.count
                    && zip(command.expected, actual).allSatisfy { LineMatch.matches($0, $1) }
                if matches { continue }
                if GeneratedRegion.updating {
                    // Lines that still match keep their wildcards; the rest become what was printed.
                    let kept =
                        actual.count == command.expected.count
                        ? zip(command.expected, actual).map { LineMatch.matches($0, $1) ? $0 : $1 } : actual
                    replacements.append((command.outputLines, kept.map { $0.isEmpty ? "" : command.indent + $0 }))
                } else {
                    Issue.record(
                        """
                        \(document):\(command.line): `\(command.text)` printed something else \
                        (- the document, + the command):
                        \(LineDiff.render(expected: command.expected, actual: actual))
                        """)
                }
            }
        }
        if GeneratedRegion.updating, !replacements.isEmpty {
            var lines = text.components(separatedBy: "\n")
            for replacement in replacements.reversed() {
                lines.replaceSubrange(replacement.lines, with: replacement.with)
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
        }
    }

    /// Documents read in a terminal and a diff too: no line wider than 120 columns.
    @Test(arguments: documents)
    func linesFitInOneHundredTwentyColumns(_ document: String) throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(document), encoding: .utf8)
        for (index, line) in text.components(separatedBy: "\n").enumerated() where line.count > 120 {
            Issue.record("\(document):\(index + 1): \(line.count) columns, more than 120")
        }
    }

    /// The harness itself, on a document made here: a fresh account, a file block, a
    /// failing command declared with `# exit N`, a wildcard, a variable and `cd` carried
    /// from one command to the next.
    @Test func theHarnessRunsADocumentAsAReaderWould() throws {
        let document = """
            Save this:

            ```console
            $ mkdir notes
            ```

            ```yaml file=notes/hello.txt
            hello
            ```

            ```console
            $ cat notes/hello.txt
            hello
            $ cd notes && GREETING=hi
            $ echo "$GREETING from $(basename "$PWD")" \\
                && vcc-creds nonsense   # exit 1
            hi from notes
            error: unknown command 'nonsense'; run 'vcc-creds --help' to list the commands
            $ vcc-creds keygen -o key.txt
            Public key: age1...
            $ cat <<'EOF' | wc -l
            one
            two
            EOF
            2
            ```
            """
        let example = try DocExample(document: "test.md", text: document)
        let session = try DocSession()
        var outputs: [[String]] = []
        for step in example.steps {
            switch step {
            case .file(let path, let contents, _): #expect(try session.write(path, contents))
            case .command(let command):
                let result = try session.run(command.text)
                #expect(result.status == command.exitStatus, "\(command.text): \(result.lines)")
                #expect(result.lines.count == command.expected.count, "\(command.text): \(result.lines)")
                for (expected, actual) in zip(command.expected, result.lines) {
                    #expect(LineMatch.matches(expected, actual), "\(expected) vs \(actual)")
                }
                outputs.append(result.lines)
            }
        }
        #expect(outputs.count == 6)
        // Saving into a folder nobody made fails, as it would in an editor.
        #expect(try !session.write("nowhere/file.txt", "x"))
        #expect(outputs.last == ["2"])
    }

    @Test func wildcardsStandForOneOrMoreCharacters() {
        #expect(LineMatch.matches("id 6f1c2f8e-...", "id 6f1c2f8e-81e7-4ef5-a8e2-5d940ed90475"))
        #expect(LineMatch.matches("a...b...c", "a1b2c"))
        #expect(LineMatch.matches("...", "anything"))
        #expect(!LineMatch.matches("id 6f1c2f8e-...", "id 6f1c2f8e-"), "the wildcard stands for something")
        #expect(!LineMatch.matches("a...b", "ab"))
        #expect(!LineMatch.matches("a...b", "a1b2"), "the tail must end the line")
        #expect(!LineMatch.matches("plain", "plain "), "no wildcard: equal or nothing")
    }

    @Test func commandsOutsideAConsoleBlockAreAMistake() {
        #expect(throws: DocExample.ParseError.self) {
            try DocExample(document: "x.md", text: "```sh\n$ vcc-creds plan\n```\n")
        }
        #expect(throws: DocExample.ParseError.self) {
            try DocExample(document: "x.md", text: "```console\noutput first\n```\n")
        }
        #expect(throws: DocExample.ParseError.self) {
            try DocExample(document: "x.md", text: "```yaml file=../outside.yaml\na: 1\n```\n")
        }
    }
}

/// One document's run: its scratch folder, and the shell state carried between commands.
final class DocSession {
    static let timeLimit: TimeInterval = 60

    struct Result {
        var status: Int32
        var lines: [String]
        var timedOut: Bool
    }

    private let sandbox: Sandbox
    /// Outside the scratch folder, so that `ls` there shows only the reader's files.
    private let control: Sandbox
    private var environment: [String: String]

    init() throws {
        sandbox = try Sandbox()
        control = try Sandbox()
        for folder in ["manifests", "examples", "schema", "standin"] {
            try FileManager.default.copyItem(
                at: Repository.root.appendingPathComponent(folder), to: sandbox.url.appendingPathComponent(folder))
        }
        let home = sandbox.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VCC_CREDS_") }
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "CI")
        // Documents run at the fixed VCC_CREDS_NOW; under scripts/test-moved-clock their
        // shells keep the real clock (libfaketime stalls the HTTP client's threads at exit).
        environment.removeValue(forKey: "LD_PRELOAD")
        environment["PATH"] =
            CLI.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = home.path
        environment["COLUMNS"] = "80"
        environment["VCC_CREDS_NOW"] = Golden.clock["VCC_CREDS_NOW"]
        self.environment = environment
        try sandbox.url.path.write(to: control.url.appendingPathComponent("cwd"), atomically: true, encoding: .utf8)
    }

    /// Saves a file the document asks the reader to save. Its folder must exist already,
    /// as it must for a reader's editor: a walk-through that never makes it fails here.
    func write(_ path: String, _ contents: String) throws -> Bool {
        // `pwd > cwd` leaves a newline after the folder; the shell's "$(cat cwd)" drops it, and so must this.
        let folder = try String(contentsOf: control.url.appendingPathComponent("cwd"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let file = URL(fileURLWithPath: folder).appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.deletingLastPathComponent().path, isDirectory: &isFolder),
            isFolder.boolValue
        else { return false }
        try Data(contents.utf8).write(to: file)
        return true
    }

    /// Runs `command` in bash where the last one left off; its variables and folder are
    /// kept for the next.
    func run(_ command: String) throws -> Result {
        let cwd = control.url.appendingPathComponent("cwd").path
        let variables = control.url.appendingPathComponent("variables").path
        let script = """
            set -a
            [ -f '\(variables)' ] && . '\(variables)'
            cd "$(cat '\(cwd)')" || exit 97
            \(command)
            __doc_status=$?
            pwd > '\(cwd)'
            export -p > '\(variables)'
            exit $__doc_status
            """
        let output = control.url.appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["--noprofile", "--norc", "-c", script]
        process.environment = environment
        process.currentDirectoryURL = sandbox.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(Self.timeLimit)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }
        process.waitUntilExit()
        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        while lines.last == "" { lines.removeLast() }
        return Result(status: process.terminationStatus, lines: lines, timedOut: timedOut)
    }
}
