import Foundation
import Testing
import VCCCredentials

/// Discovery of manifest files and merging of what they declare.
@Suite struct ManifestLoaderTests {
    // MARK: - The shipped example

    @Test func loadsTheExampleManifests() throws {
        let directory = DomainSamples.packageRoot + "/manifests"
        let desired = try ManifestLoader(fileSystem: LocalFileSystem()).load(directory: directory)
        #expect(desired.account == "acme")
        #expect(desired.accountLocation.description == "\(directory)/account.yaml:3:10")
        #expect(desired.settings == Settings(prune: false, maxDeletes: 10, recipients: []))
        #expect(
            desired.files
                == [
                    "account.yaml", "credentials/account-level.yaml", "credentials/admins.yaml",
                    "credentials/supervisors.yaml", "users.yaml",
                ].map { "\(directory)/\($0)" })
        #expect(
            desired.users.map(\.id) == [
                "alice@acme.example", "bob@acme.example", "sam@acme.example", "sofia@acme.example",
                "sid@acme.example", "ana@acme.example", "andy@acme.example", "lobby-wallboard@acme.example",
            ])
        #expect(desired.users[2].user == User(id: "sam@acme.example", name: "Sam Supervisor", license: .supervisor))
        #expect(
            desired.credentials.map(\.spec.name) == [
                "wallboard-legacy", "crm-sync", "insights-export", "pci-gateway", "team-dashboard", "quality-export",
                "stats-dashboard", "old-report", "qa-recordings",
            ])
        let legacy = desired.credentials[0]
        #expect(legacy.clientId == "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f")
        #expect(legacy.spec == CredentialSpec(name: "wallboard-legacy", level: .account, owner: nil, scopes: [.stats]))
        #expect(legacy.ensure == .present)
        #expect(legacy.location.description == "\(directory)/credentials/account-level.yaml:5:5")
        let retired = desired.credentials[7]
        #expect(retired.ensure == .absent)
        #expect(retired.spec == CredentialSpec(name: "old-report", level: .user, owner: "sam@acme.example", scopes: []))
        #expect(desired.credentials[1].spec.scopes == [.usersRead, .usersWrite])
    }

    // MARK: - Defaults and values

    @Test func settingsDefaultWhenNotGiven() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("a.yaml", "account: acme\n")
        let desired = try folder.load()
        #expect(desired.account == "acme")
        #expect(desired.accountLocation.description == folder.file("a.yaml") + ":1:10")
        #expect(desired.settings.prune == false)
        #expect(desired.settings.maxDeletes == 10)
        #expect(desired.settings.recipients == [])
        #expect(desired.users.isEmpty)
        #expect(desired.credentials.isEmpty)
        #expect(desired.files == [folder.file("a.yaml")])
    }

    @Test func settingsAreRead() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "a.yaml",
            """
            account: acme
            settings:
              prune: true
              maxDeletes: 0
              recipients:
                - \(DomainSamples.recipient)
                - \(DomainSamples.otherRecipient)

            """)
        let desired = try folder.load()
        #expect(
            desired.settings
                == Settings(
                    prune: true, maxDeletes: 0,
                    recipients: [DomainSamples.recipient, DomainSamples.otherRecipient].sorted()))
    }

    @Test func usersAndCredentialsAreDecoded() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "a.yaml",
            """
            account: acme
            users:
              - id: alice@acme.example
                name: Alice Example
                license: admin
              - id: "sam@acme.example"
                name: 'Sam Supervisor'
                license: supervisor
                ensure: present
            credentials:
              - name: crm-sync
                owner: alice@acme.example
                scopes: [users:write, users:read, stats]
              - name: dashboard
                level: user
                owner: sam@acme.example
                scopes:
                  - users:read

            """)
        let desired = try folder.load()
        #expect(
            desired.users.map(\.user) == [
                User(id: "alice@acme.example", name: "Alice Example", license: .admin),
                User(id: "sam@acme.example", name: "Sam Supervisor", license: .supervisor),
            ])
        #expect(desired.users.map { $0.location.description } == ["a.yaml:3:5", "a.yaml:6:5"].map(folder.file))
        #expect(desired.credentials.count == 2)
        #expect(desired.credentials[0].clientId == nil)
        #expect(desired.credentials[0].ensure == .present)
        #expect(
            desired.credentials[0].spec
                == CredentialSpec(
                    name: "crm-sync", level: .user, owner: "alice@acme.example",
                    scopes: [.stats, .usersRead, .usersWrite]))
        #expect(desired.credentials[0].location.description == folder.file("a.yaml") + ":11:5")
        #expect(
            desired.credentials[1].spec
                == CredentialSpec(name: "dashboard", level: .user, owner: "sam@acme.example", scopes: [.usersRead]))
    }

    @Test func uppercaseClientIdIsAcceptedAndLowercased() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "a.yaml",
            """
            account: acme
            credentials:
              - name: wallboard-legacy
                level: account
                clientId: 6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F
                scopes: [stats]

            """)
        let desired = try folder.load()
        #expect(desired.credentials.map(\.clientId) == ["6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"])
        #expect(desired.credentials.first?.spec.owner == nil)
        #expect(desired.credentials.first?.spec.level == .account)
    }

    @Test func ensureAbsentUsersAndCredentials() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "a.yaml",
            """
            account: acme
            users:
              - id: alice
                name: Alice
                license: admin
              - id: old
                ensure: absent
              - id: gone
                name: Gone Away
                license: agent
                ensure: absent
            credentials:
              - name: crm
                owner: alice
                ensure: absent
              - name: export
                owner: old
                ensure: absent
                scopes: [stats]
              - name: legacy
                level: account
                clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
                ensure: absent

            """)
        let desired = try folder.load()
        #expect(desired.users.map(\.id) == ["alice", "old", "gone"])
        #expect(desired.users[0].user != nil)
        #expect(desired.users[1].user == nil)
        #expect(desired.users[2].user == nil)
        #expect(desired.users[1].location.description == folder.file("a.yaml") + ":6:5")
        #expect(desired.credentials.map(\.ensure) == [.absent, .absent, .absent])
        #expect(desired.credentials[0].spec.scopes.isEmpty)
        #expect(desired.credentials[0].spec.owner == "alice")
        #expect(desired.credentials[1].spec.scopes == [.stats])
        #expect(desired.credentials[2].spec.owner == nil)
        #expect(desired.credentials[2].clientId == "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f")
    }

    // MARK: - Discovery

    @Test func discoversFilesRecursivelyInSortedPathOrder() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("users.yaml", "users:\n  - {id: u-users, name: U, license: agent}\n")
        try folder.write("a/z.yml", "users:\n  - {id: u-a-z, name: U, license: agent}\n")
        try folder.write("a/b/c.yaml", "users:\n  - {id: u-a-b-c, name: U, license: agent}\n")
        try folder.write("a.yaml", "account: acme\nusers:\n  - {id: u-a, name: U, license: agent}\n")
        try folder.write("m/n/o/p.yml", "users:\n  - {id: u-deep, name: U, license: agent}\n")
        let expected = ["a.yaml", "a/b/c.yaml", "a/z.yml", "m/n/o/p.yml", "users.yaml"].map(folder.file)

        let files = try ManifestLoader(fileSystem: LocalFileSystem()).manifestFiles(in: folder.path)
        #expect(files == expected)
        let desired = try folder.load()
        #expect(desired.files == expected)
        #expect(desired.users.map(\.id) == ["u-a", "u-a-b-c", "u-a-z", "u-deep", "u-users"])
    }

    @Test func readsYmlAndYamlAndIgnoresOtherExtensions() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("account.yml", "account: acme\n")
        try folder.write("users.yaml", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        // Not manifests: these would fail to load if they were read.
        let junk = "account: [not, valid\n"
        for name in ["notes.txt", "state.json", "users.yaml.bak", "users.yaml~", "README.md", "yaml", "x.ymlx"] {
            try folder.write(name, junk)
        }
        let desired = try folder.load()
        #expect(desired.files == [folder.file("account.yml"), folder.file("users.yaml")])
        #expect(desired.users.map(\.id) == ["alice"])
    }

    @Test func skipsDotFilesAndDotDirectories() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("a.yaml", "account: acme\n")
        let junk = "account: [not, valid\n"
        try folder.write(".hidden.yaml", junk)
        try folder.write(".git/config.yaml", junk)
        try folder.write("sub/.draft.yml", junk)
        try folder.write("sub/.cache/x.yaml", junk)
        try folder.write("sub/real.yaml", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        let desired = try folder.load()
        #expect(desired.files == [folder.file("a.yaml"), folder.file("sub/real.yaml")])
        #expect(desired.users.map(\.id) == ["alice"])
    }

    @Test func mergesMultiDocumentFilesAndSkipsEmptyDocuments() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "all.yaml",
            """
            # leading comment only, then an empty document
            ---
            ---
            account: acme
            ---
            # a document with only a comment
            ---
            users:
              - id: alice
                name: Alice
                license: admin
            ...
            ---
            credentials:
              - name: crm
                owner: alice
                scopes: [stats]
            ---

            """)
        try folder.write("empty.yaml", "")
        try folder.write("comments.yml", "# nothing here yet\n")
        let desired = try folder.load()
        #expect(desired.account == "acme")
        #expect(desired.accountLocation.description == folder.file("all.yaml") + ":4:10")
        #expect(desired.users.map(\.id) == ["alice"])
        #expect(desired.users[0].location.description == folder.file("all.yaml") + ":9:5")
        #expect(desired.credentials.map(\.spec.name) == ["crm"])
        #expect(desired.credentials[0].location.description == folder.file("all.yaml") + ":15:5")
        #expect(desired.files.count == 3)
    }

    @Test func mergesAcrossFilesInFileOrder() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("10-account.yaml", "account: acme\nsettings:\n  prune: true\n")
        try folder.write("20-users.yaml", "account: acme\nusers:\n  - {id: bob, name: Bob, license: admin}\n")
        try folder.write(
            "30-more.yaml",
            "settings:\n  prune: true\n  maxDeletes: 3\nusers:\n  - {id: alice, name: Alice, license: supervisor}\n")
        try folder.write(
            "40-creds.yaml",
            "credentials:\n  - {name: a, owner: alice, scopes: [users:read]}\n  - {name: a, owner: bob, scopes: "
                + "[stats]}\n"
        )
        let desired = try folder.load()
        // Same account and same prune in two files is not a conflict; the first location is kept.
        #expect(desired.account == "acme")
        #expect(desired.accountLocation.description == folder.file("10-account.yaml") + ":1:10")
        #expect(desired.settings == Settings(prune: true, maxDeletes: 3, recipients: []))
        #expect(desired.users.map(\.id) == ["bob", "alice"])
        #expect(desired.credentials.map { $0.spec.owner } == ["alice", "bob"])
    }

    @Test func missingAccountIsReportedOnlyWhenNothingElseIsWrong() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("a.yaml", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        #expect(folder.loadErrors() == ["<dir>: error: no manifest declares 'account'"])
        try folder.write("b.yaml", "users: alice\n")
        #expect(folder.loadErrors() == ["b.yaml:1:8: error: users must be a list, not a scalar"])
    }

    // MARK: - Symlinks

    @Test func followsSymlinkToAFileInside() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("account.yaml", "account: acme\n")
        try folder.write(".shared/users.txt", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        try folder.symlink("users.yaml", to: ".shared/users.txt")
        let desired = try folder.load()
        #expect(desired.files == [folder.file("account.yaml"), folder.file("users.yaml")])
        #expect(desired.users.map(\.id) == ["alice"])
        // Locations name the path as found in the folder, not the link target.
        #expect(desired.users[0].location.description == folder.file("users.yaml") + ":2:5")
    }

    @Test func followsSymlinkToADirectoryInside() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("account.yaml", "account: acme\n")
        try folder.write(".team/users.yaml", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        try folder.symlink("team", to: ".team")
        let desired = try folder.load()
        #expect(desired.files == [folder.file("account.yaml"), folder.file("team/users.yaml")])
        #expect(desired.users.map(\.id) == ["alice"])
    }

    @Test func symlinkPointingOutsideIsAnErrorNamingTheSymlink() throws {
        let outside = try ScratchFolder("vcc-creds-outside")
        defer { outside.remove() }
        try outside.write("secret.yaml", "users:\n  - {id: eve, name: Eve, license: admin}\n")
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("account.yaml", "account: acme\n")
        try folder.symlink("escape.yaml", to: outside.file("secret.yaml"))
        try folder.symlink("escape-dir", to: outside.path)
        try folder.symlink("relative.yaml", to: "../" + PathComponents.fileName(of: outside.path) + "/secret.yaml")
        #expect(
            folder.loadErrors() == [
                "escape-dir: error: symlink points outside the manifests directory (to \(outside.path)); not followed",
                "escape.yaml: error: symlink points outside the manifests directory (to "
                    + "\(outside.file("secret.yaml"))); not followed",
                "relative.yaml: error: symlink points outside the manifests directory (to "
                    + "\(outside.file("secret.yaml"))); not followed",
            ])
    }

    @Test(.timeLimit(.minutes(1))) func symlinkLoopsDoNotHang() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("account.yaml", "account: acme\n")
        try folder.write("sub/users.yaml", "users:\n  - {id: alice, name: Alice, license: admin}\n")
        // Directory links back up the tree: followed at most once, never forever.
        try folder.symlink("sub/up", to: "..")
        try folder.symlink("sub/self", to: ".")
        try folder.symlink("sub/root", to: folder.path)
        let desired = try folder.load()
        #expect(desired.files == [folder.file("account.yaml"), folder.file("sub/users.yaml")])
        #expect(desired.users.map(\.id) == ["alice"])

        // A file link that loops on itself cannot be resolved: an error naming it, not a hang.
        try folder.symlink("ping.yaml", to: "pong.yaml")
        try folder.symlink("pong.yaml", to: "ping.yaml")
        try folder.symlink("dangling.yaml", to: "nothing-here.yaml")
        #expect(
            folder.loadErrors() == [
                "dangling.yaml: error: symlink points to nothing, or loops",
                "ping.yaml: error: symlink points to nothing, or loops",
                "pong.yaml: error: symlink points to nothing, or loops",
            ])
    }

    // MARK: - Digest

    private static let oneFile = """
        account: acme
        settings:
          prune: true
          maxDeletes: 4
          recipients: [\(DomainSamples.recipient), \(DomainSamples.otherRecipient)]
        users:
          - id: alice
            name: Alice
            license: admin
          - id: sam
            name: Sam
            license: supervisor
          - id: old
            ensure: absent
        credentials:
          - name: crm
            owner: alice
            scopes: [users:read, stats]
          - name: dash
            owner: sam
            scopes: [users:read]
          - name: legacy
            level: account
            clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
            scopes: [stats]
          - name: gone
            owner: alice
            ensure: absent

        """

    private static func digest(_ files: [String: String]) throws -> String {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        for (name, text) in files { try folder.write(name, text) }
        return try folder.load().digest
    }

    @Test func digestIgnoresFilesOrderAndFormatting() throws {
        let base = try Self.digest(["all.yaml": Self.oneFile])
        #expect(base.count == 64)
        #expect(base.allSatisfy { "0123456789abcdef".contains($0) })

        // The same meaning, split over three files in another order, flow and block
        // styles swapped, scopes and recipients reordered, quoting and comments added.
        let split = try Self.digest([
            "z/credentials.yml": """
            # credentials, in another order
            credentials:
              - {name: gone, owner: "alice", ensure: absent}
              - name: legacy
                level: account
                clientId: 6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F   # upper case is the same id
                scopes:
                  - stats
              - name: dash
                owner: sam
                scopes: ['users:read']
              - name: "crm"
                owner: alice
                scopes:
                  - stats
                  - users:read

            """,
            "a-users.yaml": """
            users:
              - {id: old, ensure: absent}
              - {id: sam, license: supervisor, name: Sam}
            ---
            users:
              - license: admin
                name: "Alice"
                id: alice

            """,
            "m-account.yaml": """
            settings:
              recipients:
                - \(DomainSamples.otherRecipient)
                - \(DomainSamples.recipient)
              maxDeletes: 4
            ---
            settings: {prune: true}
            account: 'acme'   # the account

            """,
        ])
        #expect(split == base)
    }

    @Test func digestChangesWhenAnyValueChanges() throws {
        let base = try Self.digest(["all.yaml": Self.oneFile])
        let edits: [(String, String)] = [
            ("account: acme", "account: acme-prod"),
            ("prune: true", "prune: false"),
            ("maxDeletes: 4", "maxDeletes: 5"),
            ("[\(DomainSamples.recipient), \(DomainSamples.otherRecipient)]", "[\(DomainSamples.recipient)]"),
            ("name: Alice", "name: Alice B"),
            ("license: supervisor", "license: admin"),
            ("  - id: old\n    ensure: absent\n", ""),
            ("name: crm", "name: crm2"),
            ("scopes: [users:read, stats]", "scopes: [users:read]"),
            ("owner: sam", "owner: alice"),
            ("clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f", "clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e20"),
            ("name: gone\n    owner: alice\n    ensure: absent", "name: gone\n    owner: alice\n    scopes: [stats]"),
            ("  - id: old\n    ensure: absent\n", "  - id: old\n    name: Old\n    license: agent\n"),
        ]
        var seen: Set<String> = [base]
        for (from, to) in edits {
            #expect(Self.oneFile.contains(from), "fixture lacks \(from)")
            let digest = try Self.digest(["all.yaml": Self.oneFile.replacingOccurrences(of: from, with: to)])
            #expect(digest != base, "changing \(from) to \(to) kept the digest")
            #expect(seen.insert(digest).inserted, "changing \(from) to \(to) gave a digest seen before")
        }
    }
}
