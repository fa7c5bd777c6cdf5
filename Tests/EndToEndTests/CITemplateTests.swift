import Foundation
import Testing

/// The CI templates in examples/ci stay in step with the tool: every vcc-creds command
/// they run uses only flags that command has, and they are valid YAML.
@Suite struct CITemplateTests {
    static let templates = ["examples/ci/github/vcc-creds.yml", "examples/ci/gitlab/.gitlab-ci.yml"]

    @Test(arguments: templates)
    func everyFlagExists(_ template: String) throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent(template), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") {
            guard let start = line.range(of: "vcc-creds "), !line.contains("#"), !line.contains("repository:") else {
                continue
            }
            let words = line[start.upperBound...].split(separator: " ").map(String.init)
            guard let command = words.first, ["plan", "apply", "show", "validate", "export"].contains(command) else {
                continue
            }
            let help = try CLI.run([command, "--help"], in: Repository.root).stdout
            for flag in words.dropFirst() where flag.wholeMatch(of: /--[a-z][a-z-]*/) != nil {
                #expect(help.contains(flag), "\(template): vcc-creds \(command) has no \(flag)")
                checked += 1
            }
        }
        #expect(checked >= 6)
        #expect(text.contains("--detailed-exitcode"))
        #expect(text.contains("apply plan.json"))
        // Identities never belong in the templates, not even as examples.
        #expect(text.firstMatch(of: /AGE-SECRET-KEY-1[0-9A-Z]{20,}/) == nil)
    }

    @Test(.enabled(if: Python.has("yaml"), "needs python3 with PyYAML"), arguments: templates)
    func templatesAreValidYAML(_ template: String) throws {
        let path = Repository.root.appendingPathComponent(template).path
        #expect(try Python.run("import sys, yaml; yaml.safe_load(open(sys.argv[1]))", [path]) == 0)
    }
}

/// python3, for checks with tools the Swift side does not have (a YAML 1.1 reader, a
/// JSON Schema validator).
enum Python {
    static func has(_ module: String) -> Bool {
        (try? run("import \(module)", [])) == 0
    }

    static func run(_ script: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
