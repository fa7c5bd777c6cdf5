import Foundation
import Testing

/// Pull-request comments: golden files for the example account and for a plan far too
/// big for one comment.
@Suite struct MarkdownTests {
    @Test(arguments: ["sam", "alice"])
    func theExampleAsMarkdown(_ user: String) throws {
        let result = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "\(user)@acme.example", "--format", "markdown"],
            in: Repository.root)
        #expect(result.status == 3)
        try Golden.check(result.stdout, "acme-\(user).md")
        #expect(result.stdout.hasPrefix("### vcc-creds plan for `acme`"))
        #expect(result.stdout.contains("> [!CAUTION]"))
        #expect(result.stdout.contains("| change | rule | reason | can be applied by |"))
    }

    /// 3,000 changes for one owner and many for others: the comment stays under the limit,
    /// keeps its summary, banner, refusals and footer, and counts what it leaves out.
    @Test func aHugePlanFitsInOneComment() throws {
        let sandbox = try Sandbox()
        try HugeAccount.write(into: sandbox)
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "admin-0@big.example", "--format", "markdown"], in: sandbox.url)
        #expect(result.status == 3)
        let markdown = result.stdout
        #expect(markdown.utf8.count <= 65_000)
        #expect(markdown.hasPrefix("### vcc-creds plan for `big` as `admin-0@big.example`: 1500 to create, 0 to update, 0 to delete, **1530 refused**"))
        #expect(markdown.contains("> [!CAUTION]"))
        #expect(markdown.contains("changes not shown: this comment is limited to 65000 characters"))
        #expect(markdown.contains("more refusals"))
        #expect(markdown.contains("<sub>account `big`"))
        try Golden.check(markdown, "huge-plan.md")
    }

    @Test func anEmptyPlanIsOneLine() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFixture("small")
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            users:
              - {id: alice@small.example, name: Alice, license: admin}
              - {id: sam@small.example, name: Sam, license: supervisor}
            """)
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--format", "markdown"], in: sandbox.url)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("### vcc-creds plan for `small` as `alice@small.example`: no changes\n"))
        #expect(!result.stdout.contains("[!CAUTION]"))
    }
}

/// A generated account whose plan is much larger than a pull-request comment.
enum HugeAccount {
    static func write(into sandbox: Sandbox) throws {
        var users: [[String: Any]] = []
        var manifestUsers = ""
        for index in 0..<40 {
            let id = "admin-\(index)@big.example"
            users.append(["id": id, "name": "Admin \(index)", "license": "admin"])
            manifestUsers += "  - {id: \(id), name: Admin \(index), license: admin}\n"
        }
        var credentials: [[String: Any]] = []
        var manifestCredentials = ""
        // Admin 0 creates 1,500 credentials (permitted); everyone else's 1,500 creates are
        // refused (not-owner); 30 deletions of admin-1's exceed maxDeletes (delete-guard).
        for index in 0..<1_500 {
            manifestCredentials += "  - {name: mine-\(index), owner: admin-0@big.example, scopes: [stats]}\n"
            manifestCredentials += "  - {name: theirs-\(index), owner: admin-\(1 + index % 39)@big.example, scopes: [stats]}\n"
        }
        for index in 0..<30 {
            let clientId = String(format: "00000000-0000-4000-8000-%012d", index)
            credentials.append([
                "clientId": clientId, "name": "old-\(index)", "level": "user", "owner": "admin-1@big.example",
                "scopes": ["stats"], "secretSha256": String(repeating: "0", count: 64),
                "createdAt": "2026-01-01T00:00:00Z", "createdBy": "admin-1@big.example",
                "updatedAt": "2026-01-01T00:00:00Z",
            ])
            manifestCredentials += "  - {name: old-\(index), owner: admin-1@big.example, ensure: absent}\n"
        }
        let state: [String: Any] = [
            "formatVersion": 1, "lineage": "11111111-2222-4333-8444-555555555555", "serial": 1,
            "account": ["id": "big", "apiCredentialsEnabled": true], "users": users, "credentials": credentials,
        ]
        try sandbox.write(
            "state.json",
            String(decoding: try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]), as: UTF8.self))
        try sandbox.write(
            "manifests/big.yaml",
            "account: big\nusers:\n\(manifestUsers)credentials:\n\(manifestCredentials)")
    }
}
