import Foundation
import Testing

/// The action's and the GitLab component's install steps, taken out of action.yml and
/// templates/vcc-creds.yml and run as the forges run them (bash -eo pipefail; sh -e), and
/// the README's download as a reader pastes it, against a release in a folder (a
/// `file://` release URL): they install a release whose tarball matches SHA256SUMS, and
/// refuse, installing nothing, one that does not.
@Suite(
    .enabled(if: Python.has("yaml"), "needs python3 with PyYAML"),
    .enabled(if: PeerTools.find("curl") != nil, "needs curl"))
struct InstallerTests {
    static let version = "9.9.9"
    static let name = "vcc-creds-\(version)-linux-x86_64"

    /// A release folder: `vVERSION/NAME.tar.gz` whose bin/vcc-creds prints a version
    /// line (ending in `build`), and SHA256SUMS, which also names a file that is not there
    /// (a signature, say).
    private func release(
        in sandbox: Sandbox, tampered: Bool = false, build: String = "fixture", folder releases: String = "releases"
    ) throws -> URL {
        let top = "build-\(releases)/\(Self.name)"
        try sandbox.write("\(top)/bin/vcc-creds", "#!/bin/sh\necho 'vcc-creds \(Self.version) (\(build))'\n")
        try sandbox.write("\(top)/LICENSE", "fixture\n")
        #expect(chmod(sandbox.path("\(top)/bin/vcc-creds"), 0o755) == 0)
        let folder = "\(releases)/v\(Self.version)"
        try FileManager.default.createDirectory(atPath: sandbox.path(folder), withIntermediateDirectories: true)
        let tarball = sandbox.path("\(folder)/\(Self.name).tar.gz")
        let packed = try PeerTools.run(
            URL(fileURLWithPath: "/bin/sh"),
            [
                "-c", "tar -czf \"$1\" -C \"$3\" \"$2\" && cd \"$(dirname \"$1\")\" && sha256sum \"$2.tar.gz\"",
                "sh", tarball, Self.name, "build-\(releases)",
            ],
            in: sandbox.url)
        #expect(packed.status == 0, "\(packed.stderr)")
        let sums = packed.text + String(repeating: "0", count: 64) + "  \(Self.name).tar.gz.sig\n"
        try sandbox.write("\(folder)/SHA256SUMS", sums)
        if tampered {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tarball))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([0]))
            try handle.close()
        }
        return sandbox.url.appendingPathComponent(releases)
    }

    /// Where the action unpacks a release: its version and the start of its checksum.
    private func installFolder(in sandbox: Sandbox, releases: URL) throws -> String {
        let sums = try String(
            contentsOf: releases.appendingPathComponent("v\(Self.version)/SHA256SUMS"), encoding: .utf8)
        return "\(Self.version)-\(sums.prefix(16))"
    }

    /// An install step that succeeded: the tarball checked, then the installed binary run.
    private func expectInstalled(
        _ installed: PeerTools.Result, build: String = "fixture", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(installed.status == 0, "\(installed.text)\(installed.stderr)", sourceLocation: sourceLocation)
        #expect(installed.text.contains("\(Self.name).tar.gz: OK"), sourceLocation: sourceLocation)
        #expect(installed.text.contains("vcc-creds \(Self.version) (\(build))"), sourceLocation: sourceLocation)
    }

    /// The install steps' TMPDIR, which they must leave empty, whatever happened.
    private func temporaryFolder(in sandbox: Sandbox) throws -> String {
        try FileManager.default.createDirectory(atPath: sandbox.path("tmp"), withIntermediateDirectories: true)
        return sandbox.path("tmp")
    }

    private func leftInTemporaryFolder(_ sandbox: Sandbox) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sandbox.path("tmp"))
    }

    /// One install step's shell text, read from the YAML as the forge reads it.
    private func step(_ which: String, in sandbox: Sandbox) throws -> String {
        let script = """
            import sys, yaml
            documents = list(yaml.safe_load_all(open(sys.argv[1])))
            if sys.argv[3] == 'action':
                text = [s for s in documents[0]['runs']['steps'] if s.get('id') == 'install'][0]['run']
            else:
                text = documents[1]['.vcc-creds-install']['before_script'][0]
            open(sys.argv[2], 'w').write(text)
            """
        let file = which == "action" ? "action.yml" : "templates/vcc-creds.yml"
        let status = try Python.run(
            script, [Repository.root.appendingPathComponent(file).path, sandbox.path("\(which).sh"), which])
        #expect(status == 0)
        return sandbox.path("\(which).sh")
    }

    private func runAction(
        in sandbox: Sandbox, releases: URL, version: String = version
    ) throws -> PeerTools.Result {
        let script = try step("action", in: sandbox)
        for file in ["github-path", "github-output"] where !FileManager.default.fileExists(atPath: sandbox.path(file)) {
            _ = FileManager.default.createFile(atPath: sandbox.path(file), contents: nil)
        }
        return try PeerTools.run(
            URL(fileURLWithPath: "/bin/bash"), ["--noprofile", "--norc", "-eo", "pipefail", script], in: sandbox.url,
            environment: [
                "VERSION": version, "REPOSITORY": "vcc-creds/vcc-creds", "RELEASE_URL": releases.absoluteString,
                "RUNNER_ARCH_NAME": "X64", "RUNNER_OS_NAME": "Linux", "TOOL_CACHE": sandbox.path("tool-cache"),
                "GITHUB_PATH": sandbox.path("github-path"), "GITHUB_OUTPUT": sandbox.path("github-output"),
                "TMPDIR": try temporaryFolder(in: sandbox),
            ])
    }

    @Test func theActionInstallsACheckedReleaseOnPath() throws {
        let sandbox = try Sandbox()
        let releases = try release(in: sandbox)
        let installed = try installFolder(in: sandbox, releases: releases)
        let folder = sandbox.path("tool-cache/vcc-creds/\(installed)")
        for _ in 0..<2 {  // the second finds it installed and keeps it
            expectInstalled(try runAction(in: sandbox, releases: releases))
        }
        #expect(try sandbox.read("github-path") == "\(folder)/bin\n\(folder)/bin\n")
        #expect(try sandbox.read("github-output") == "path=\(folder)\npath=\(folder)\n")
        #expect(try sandbox.read("tool-cache/vcc-creds/\(installed)/LICENSE") == "fixture\n")
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
        // No half-unpacked folder left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: sandbox.path("tool-cache/vcc-creds")) == [installed])
        // Another build of the same version (a fork's, a mirror's) is another folder: the
        // one checked is the one run.
        let mirror = try release(in: sandbox, build: "mirror", folder: "mirror")
        expectInstalled(try runAction(in: sandbox, releases: mirror), build: "mirror")
        #expect(try installFolder(in: sandbox, releases: mirror) != installed)
    }

    /// A tarball that matches its checksum but does not unpack leaves nothing behind.
    @Test func theActionLeavesNoHalfUnpackedFolder() throws {
        let sandbox = try Sandbox()
        let releases = try release(in: sandbox)
        let tarball = releases.appendingPathComponent("v\(Self.version)/\(Self.name).tar.gz")
        let whole = try Data(contentsOf: tarball)
        try whole.prefix(whole.count / 2).write(to: tarball)
        let sum = try PeerTools.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "sha256sum \(Self.name).tar.gz > SHA256SUMS"],
            in: tarball.deletingLastPathComponent())
        #expect(sum.status == 0)
        let broken = try runAction(in: sandbox, releases: releases)
        #expect(broken.status != 0)
        #expect(broken.text.contains("\(Self.name).tar.gz: OK"), "\(broken.text)\(broken.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("tool-cache/vcc-creds")).isEmpty)
        #expect(try sandbox.read("github-path").isEmpty)
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
    }

    @Test func theActionRefusesATarballThatDoesNotMatchItsChecksum() throws {
        let sandbox = try Sandbox()
        let refused = try runAction(in: sandbox, releases: try release(in: sandbox, tampered: true))
        #expect(refused.status != 0)
        #expect(refused.text.contains("\(Self.name).tar.gz: FAILED"), "\(refused.text)\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("tool-cache")))
        #expect(try sandbox.read("github-path").isEmpty)
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
    }

    @Test func theActionRefusesAVersionItCannotFindOrRead() throws {
        let sandbox = try Sandbox()
        let releases = try release(in: sandbox)
        let missing = try runAction(in: sandbox, releases: releases, version: "9.9.8")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("curl:"), "\(missing.stderr)")
        let unreadable = try runAction(in: sandbox, releases: releases, version: "latest")
        #expect(unreadable.status == 1)
        #expect(unreadable.text.contains("::error::version 'latest' is not MAJOR.MINOR.PATCH"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("tool-cache")))
    }

    /// The README's download block, as a reader pastes it (no `set -e`), with the release
    /// in a folder, the install folder in the sandbox and the fixture as the release.
    private func runReadme(in sandbox: Sandbox, releases: URL) throws -> PeerTools.Result {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```sh\nversion=0.2.0\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let block = String(readme[readme.index(start.lowerBound, offsetBy: 6)..<end.lowerBound])
            .replacingOccurrences(of: "version=0.2.0", with: "version=\(Self.version)")
            .replacingOccurrences(
                of: "https://github.com/vcc-creds/vcc-creds/releases/download", with: releases.absoluteString
            )
            .replacingOccurrences(of: " /usr/local/bin/", with: " \(sandbox.path("bin"))/")
        #expect(block.contains(releases.absoluteString) && block.contains(sandbox.path("bin")))
        try FileManager.default.createDirectory(atPath: sandbox.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sandbox.path("download"), withIntermediateDirectories: true)
        try sandbox.write("readme.sh", block)
        return try PeerTools.run(
            URL(fileURLWithPath: "/bin/bash"), [sandbox.path("readme.sh")],
            in: sandbox.url.appendingPathComponent("download"),
            environment: ["PATH": sandbox.path("bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
    }

    @Test func theReadmesDownloadInstallsOnlyACheckedTarball() throws {
        let good = try Sandbox()
        let installed = try runReadme(in: good, releases: try release(in: good))
        expectInstalled(installed)
        #expect(FileManager.default.isExecutableFile(atPath: good.path("bin/vcc-creds")))

        let bad = try Sandbox()
        let refused = try runReadme(in: bad, releases: try release(in: bad, tampered: true))
        #expect(refused.text.contains("\(Self.name).tar.gz: FAILED"), "\(refused.text)\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bad.path("bin/vcc-creds")))
        #expect(!FileManager.default.fileExists(atPath: bad.path("download/\(Self.name)")), "unpacked")
    }

    private func runComponent(
        in sandbox: Sandbox, releases: URL, version: String = version
    ) throws -> PeerTools.Result {
        let script = try step("component", in: sandbox)
        let job = sandbox.url.appendingPathComponent("job")
        try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
        return try PeerTools.run(
            URL(fileURLWithPath: "/bin/sh"), ["-e", script], in: job,
            environment: [
                "VCC_CREDS_VERSION": version, "VCC_CREDS_RELEASE_URL": releases.absoluteString,
                "TMPDIR": try temporaryFolder(in: sandbox),
            ])
    }

    @Test func theComponentInstallsACheckedReleaseOnPath() throws {
        let sandbox = try Sandbox()
        let installed = try runComponent(in: sandbox, releases: try release(in: sandbox))
        expectInstalled(installed)  // `vcc-creds --version`, found on PATH
        // Nothing downloaded is left in the job's folder, which is the user's checkout.
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("job")) == [".vcc-creds"])
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
        let component = try String(
            contentsOf: Repository.root.appendingPathComponent("templates/vcc-creds.yml"), encoding: .utf8)
        #expect(component.contains("VCC_CREDS_VERSION: $[[ inputs.version ]]"))
        #expect(component.contains("default: https://github.com/vcc-creds/vcc-creds/releases/download"))
    }

    @Test func theComponentRefusesATamperedTarballAndAnOddVersion() throws {
        let sandbox = try Sandbox()
        let refused = try runComponent(in: sandbox, releases: try release(in: sandbox, tampered: true))
        #expect(refused.status != 0)
        #expect(refused.text.contains("\(Self.name).tar.gz: FAILED"), "\(refused.text)\(refused.stderr)")
        #expect(refused.stderr.contains("vcc-creds: \(Self.name) was not installed"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("job/.vcc-creds/bin/vcc-creds")))
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
        let missing = try runComponent(in: sandbox, releases: try release(in: sandbox), version: "9.9.8")
        #expect(missing.status == 1 && missing.stderr.contains("curl: (37)"), "\(missing.stderr)")
        #expect(try leftInTemporaryFolder(sandbox).isEmpty)
        for version in ["../../etc", "latest", "1.2", "../../x\n1.0.0"] {
            let odd = try runComponent(in: sandbox, releases: try release(in: sandbox), version: version)
            #expect(odd.status == 1)
            #expect(odd.stderr.contains("version '\(version)' is not MAJOR.MINOR.PATCH"), "\(odd.stderr)")
        }
    }
}
