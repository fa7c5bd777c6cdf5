import Foundation
import Testing

/// Pull-request comments: golden files for the example account and for a plan far too
/// big for one comment.
@Suite struct MarkdownTests {
    @Test(arguments: ["sam", "alice"])
    func theExampleAsMarkdown(_ user: String) throws {
        let result = try CLI.run(
            ["plan", "--state", "examples/acme/state.json", "--as", "\(user)@acme.example", "--format", "markdown"],
            in: Repository.root, environment: Golden.clock)
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
            ["plan", "--state", "state.json", "--as", "admin-0@big.example", "--format", "markdown"], in: sandbox.url,
            environment: Golden.clock)
        #expect(result.status == 3)
        let markdown = result.stdout
        #expect(markdown.utf8.count <= 65_000)
        #expect(
            markdown.hasPrefix(
                "### vcc-creds plan for `big` as `admin-0@big.example`: 1500 to create, 0 to update, 0 to delete, "
                    + "**1530 refused**"
            ))
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

/// Names come from manifests anyone can edit: the comment must show them exactly and
/// never turn one into a mention of a forge user or team.
@Suite struct MarkdownSafetyTests {
    static let names = ["a`b", "``x``", "`edge", "@team/ops"]

    func hostilePlan() throws -> String {
        let sandbox = try Sandbox()
        var credentials: [[String: Any]] = []
        for (index, name) in Self.names.enumerated() {
            credentials.append([
                "clientId": String(format: "00000000-0000-4000-8000-%012d", index), "name": name, "level": "user",
                "owner": "@octocat", "scopes": ["stats"], "secretSha256": String(repeating: "0", count: 64),
                "createdAt": "2026-01-01T00:00:00Z", "createdBy": "@octocat", "updatedAt": "2026-01-01T00:00:00Z",
            ])
        }
        let state: [String: Any] = [
            "formatVersion": 1, "lineage": "11111111-2222-4333-8444-555555555555", "serial": 1,
            "account": ["id": "small", "apiCredentialsEnabled": true],
            "users": [
                ["id": "alice@small.example", "name": "Alice", "license": "admin"],
                ["id": "@octocat", "name": "@octocat", "license": "supervisor"],
            ],
            "credentials": credentials,
        ]
        try sandbox.write(
            "state.json",
            String(decoding: try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]), as: UTF8.self))
        try sandbox.write(
            "manifests/account.yaml",
            """
            account: small
            users:
              - {id: alice@small.example, name: Alice, license: admin}
              - {id: "@octocat", name: "@hubot (cc @github/security)", license: supervisor}
            credentials:
              - {name: "a`b", owner: "@octocat", ensure: absent}
              - {name: "``x``", owner: "@octocat", ensure: absent}
              - {name: "`edge", owner: "@octocat", ensure: absent}
              - {name: "@team/ops", owner: "@octocat", ensure: absent}
              - {name: "new @octocat `one`", owner: "@octocat", scopes: [users:read]}
            """)
        let result = try CLI.run(
            ["plan", "--state", "state.json", "--as", "alice@small.example", "--format", "markdown"], in: sandbox.url)
        #expect(result.status == 3, "\(result.stderr)")
        return result.stdout
    }

    /// Outside code blocks and code spans, every `@` that no letter or digit precedes
    /// (where GitHub and GitLab see a mention) is followed by a word joiner, so no
    /// `@login` or `@org/team` mentions anyone; the names are still all there. (Addresses
    /// such as `sam@acme.example` stay as they are: the example's golden files hold them.)
    @Test func noNameMentionsAnyone() throws {
        let markdown = try hostilePlan()
        let prose = MarkdownProse.outsideCode(markdown)
        var mentionable = 0
        for index in prose.indices where prose[index] == "@" {
            if index > prose.startIndex, let before = prose[prose.index(before: index)].unicodeScalars.first,
                before.isASCII, before.properties.isAlphabetic || ("0"..."9").contains(before)
            {
                continue
            }
            mentionable += 1
            let next = prose.index(after: index)
            #expect(next < prose.endIndex && prose[next] == "\u{2060}", "bare @ in: \(prose[index...].prefix(40))")
        }
        #expect(mentionable >= 4, "the test must put user-controlled @ where a mention could be")
        #expect(markdown.contains("@hubot (cc @github/security)"), "the display name, shown in the diff block")
        let joinersRemoved = markdown.replacingOccurrences(of: "\u{2060}", with: "")
        #expect(joinersRemoved.contains("<b>@octocat</b>"))
        #expect(
            joinersRemoved.contains("| only the owner, @octocat, may create this user-level credential | @octocat |"))
    }

    /// The deletion banner shows every name exactly: its code spans, read back as
    /// CommonMark reads them, are the names.
    @Test func theDeletionBannerShowsNamesExactly() throws {
        let markdown = try hostilePlan()
        let banner = markdown.split(separator: "\n").first { $0.hasPrefix("> `") }.map(String.init) ?? ""
        let spans = MarkdownProse.codeSpans(banner)
        let expected = Self.names.enumerated().map { index, name in
            "credential @octocat/\(name) (" + String(format: "00000000-0000-4000-8000-%012d", index) + ")"
        }
        #expect(Set(spans) == Set(expected), "\(banner)")
        #expect(spans.count == Self.names.count)
    }
}

/// Just enough of CommonMark to test what a forge sees outside code.
enum MarkdownProse {
    /// The text with fenced blocks and code spans removed.
    static func outsideCode(_ markdown: String) -> String {
        var kept: [String] = []
        var fence: String?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let ticks = String(line.prefix { $0 == "`" })
            if let open = fence {
                if ticks.count >= open.count && line.drop(while: { $0 == "`" }).allSatisfy(\.isWhitespace) {
                    fence = nil
                }
                continue
            }
            if ticks.count >= 3 {
                fence = ticks
                continue
            }
            kept.append(removingCodeSpans(String(line)))
        }
        return kept.joined(separator: "\n")
    }

    /// The contents of each code span in a line, as CommonMark reads them: a run of n
    /// backticks up to the next run of exactly n, one space stripped from each side when
    /// both are there.
    static func codeSpans(_ line: String) -> [String] {
        scan(line).spans
    }

    static func removingCodeSpans(_ line: String) -> String {
        scan(line).prose
    }

    static func scan(_ line: String) -> (prose: String, spans: [String]) {
        let characters = Array(line)
        var prose = ""
        var spans: [String] = []
        var index = 0
        func run(at start: Int) -> Int {
            var end = start
            while end < characters.count && characters[end] == "`" { end += 1 }
            return end - start
        }
        while index < characters.count {
            guard characters[index] == "`" else {
                prose.append(characters[index])
                index += 1
                continue
            }
            let opening = run(at: index)
            var search = index + opening
            var closing: Int?
            while search < characters.count {
                if characters[search] == "`" {
                    let length = run(at: search)
                    if length == opening {
                        closing = search
                        break
                    }
                    search += length
                } else {
                    search += 1
                }
            }
            guard let close = closing else {
                prose += String(characters[index..<(index + opening)])
                index += opening
                continue
            }
            var content = String(characters[(index + opening)..<close])
            if content.count >= 2, content.hasPrefix(" "), content.hasSuffix(" "),
                content.contains(where: { $0 != " " })
            {
                content = String(content.dropFirst().dropLast())
            }
            spans.append(content)
            index = close + opening
        }
        return (prose, spans)
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
            manifestCredentials +=
                "  - {name: theirs-\(index), owner: admin-\(1 + index % 39)@big.example, scopes: [stats]}\n"
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
