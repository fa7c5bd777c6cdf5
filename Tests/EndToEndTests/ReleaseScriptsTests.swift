import Foundation
import Testing

/// The release's helper scripts on the debug build (the release build and the bare-root
/// run are `.ci/run`'s, which takes minutes): the man pages are the binary's own help,
/// and the library check refuses anything but glibc's.
@Suite struct ReleaseScriptsTests {
    @Test func theManPagesAreTheHelp() throws {
        let sandbox = try Sandbox()
        let made = try PeerTools.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", Repository.root.appendingPathComponent("scripts/manual").path, CLI.executable.path, "9.9.9",
                "86400", sandbox.path("man1"),
            ], in: sandbox.url)
        #expect(made.status == 0, "\(made.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: sandbox.path("man1")).sorted()
        #expect(
            pages.contains("vcc-creds.1") && pages.contains("vcc-creds-probe.1") && pages.contains("vcc-creds-plan.1"))
        #expect(!pages.contains("vcc-creds-help.1"))
        let probe = try sandbox.read("man1/vcc-creds-probe.1")
        #expect(probe.hasPrefix(#".TH "VCC-CREDS-PROBE" "1" "1970-01-02" "vcc-creds 9.9.9" "vcc-creds Manual""#))
        #expect(probe.contains(".B \\-\\-identity <key\\-file>"), "\(probe)")
        #expect(probe.contains("Exit codes: 0 VCC agrees with the state"))
        // The page's own name in NAME, as whatis and apropos read it.
        #expect(probe.contains(".SH NAME\nvcc\\-creds\\-probe \\- Check the state's credentials"), "\(probe)")
        // Prose is filled to the reader's width; only the examples keep their lines.
        let prose = try #require(probe.range(of: "\n.PP\nExit codes: 0 VCC agrees"))
        let example = try #require(probe.range(of: "\n.nf\nVCC_CREDS_REGION=emea vcc\\-creds probe "))
        #expect(!probe[..<prose.lowerBound].contains(".nf") && prose.upperBound < example.lowerBound)
        #expect(probe.hasSuffix(".SH SEE ALSO\nvcc\\-creds(1)\n"))
        // The top page names no page that is not there (help is --help).
        let top = try sandbox.read("man1/vcc-creds.1")
        #expect(top.contains(".B vcc\\-creds\n<command> [\\-\\-version]"))
        for reference in top.matches(of: /See (vcc\\-creds\\-[a-z]+)\(1\)/) {
            let page = reference.1.replacingOccurrences(of: "\\-", with: "-") + ".1"
            #expect(pages.contains(page), "vcc-creds.1 names \(page), which is not made")
        }
        #expect(top.contains("See vcc\\-creds\\-probe(1)") && !top.contains("vcc\\-creds\\-help"))
        // The same binary gives the same pages.
        let again = try PeerTools.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", Repository.root.appendingPathComponent("scripts/manual").path, CLI.executable.path, "9.9.9",
                "86400", sandbox.path("again"),
            ], in: sandbox.url)
        #expect(again.status == 0)
        for page in pages { #expect(try sandbox.read("again/\(page)") == sandbox.read("man1/\(page)")) }
    }

    /// As the release and the docs run them: each shell's script, not "unknown command".
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(_ shell: String) throws {
        let made = try CLI.run(["--generate-completion-script", shell], in: FileManager.default.temporaryDirectory)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("vcc-creds"))
        #expect(made.stderr.isEmpty)
    }

    /// The debug build links the Swift runtime dynamically: the check names it and fails.
    @Test func theLibraryCheckRefusesWhatIsNotGlibcs() throws {
        let checked = try PeerTools.run(
            URL(fileURLWithPath: "/bin/bash"),
            [Repository.root.appendingPathComponent("scripts/check-libraries").path, CLI.executable.path],
            in: Repository.root)
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("needs libswiftCore.so, which is not glibc's"), "\(checked.stderr)")
        #expect(checked.text.contains("libc.so.6 (glibc)"))
    }
}
