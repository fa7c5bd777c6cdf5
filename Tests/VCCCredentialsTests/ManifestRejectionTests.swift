import Foundation
import Testing
import VCCCredentials

/// Writes `files` into a fresh folder, loads it and returns the diagnostics, printed as
/// `file:line:column: error: message` with the folder's path left out.
private func errors(
    _ files: KeyValuePairs<String, String>, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> [String] {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    for (name, text) in files { try folder.write(name, text) }
    return folder.loadErrors(sourceLocation: sourceLocation)
}

private func errors(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
    try errors(["a.yaml": text], sourceLocation: sourceLocation)
}

private let allScopes =
    "admin:read, admin:write, agents-availability:read, globalpci, interaction-content:delete, interaction-content:read, "
    + "interactions:write, stats, users:read, users:write"
private let allLicenses = "admin, supervisor, agent, wallboard"

// MARK: - Unknown keys

@Suite struct ManifestUnknownKeyTests {
    @Test func unknownTopLevelKeySuggestsTheClosest() throws {
        #expect(
            try errors("account: acme\ncredentails: []\n") == [
                "a.yaml:2:1: error: unknown key 'credentails' in manifest; did you mean 'credentials'?"
            ])
        #expect(
            try errors("acount: acme\n") == [
                "a.yaml:1:1: error: unknown key 'acount' in manifest; did you mean 'account'?"
            ])
        // Nothing close: no suggestion.
        #expect(try errors("account: acme\nkind: Manifest\n") == ["a.yaml:2:1: error: unknown key 'kind' in manifest"])
    }

    @Test func unknownKeyInUser() throws {
        let text = """
            account: acme
            users:
              - id: alice
                name: Alice
                licence: admin

            """
        #expect(
            try errors(text) == [
                "a.yaml:3:5: error: user 'alice' is missing 'license'",
                "a.yaml:5:5: error: unknown key 'licence' in user; did you mean 'license'?",
            ])
        #expect(
            try errors("account: acme\nusers:\n  - {id: old, ensur: absent}\n") == [
                "a.yaml:3:5: error: user 'old' is missing 'license'",
                "a.yaml:3:5: error: user 'old' is missing 'name'",
                "a.yaml:3:15: error: unknown key 'ensur' in user; did you mean 'ensure'?",
            ])
    }

    @Test func unknownKeyInCredential() throws {
        let text = """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - name: crm
                owner: alice
                scope: [stats]

            """
        #expect(
            try errors(text) == [
                "a.yaml:4:5: error: credential 'crm' is missing 'scopes'",
                "a.yaml:6:5: error: unknown key 'scope' in credential; did you mean 'scopes'?",
            ])
        #expect(
            try errors(
                "account: acme\ncredentials:\n  - {name: x, level: account, clientID: "
                    + "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f, scopes: [stats]}\n"
            ).contains("a.yaml:3:31: error: unknown key 'clientID' in credential; did you mean 'clientId'?"))
    }

    @Test func unknownKeyInSettings() throws {
        #expect(
            try errors("account: acme\nsettings:\n  maxDelete: 3\n") == [
                "a.yaml:3:3: error: unknown key 'maxDelete' in settings; did you mean 'maxDeletes'?"
            ])
        #expect(
            try errors("account: acme\nsettings:\n  recipient: []\n") == [
                "a.yaml:3:3: error: unknown key 'recipient' in settings; did you mean 'recipients'?"
            ])
    }
}

// MARK: - Types

@Suite struct ManifestTypeTests {
    @Test func usersMustBeAList() throws {
        #expect(
            try errors("account: acme\nusers: alice\n") == ["a.yaml:2:8: error: users must be a list, not a scalar"])
        #expect(
            try errors("account: acme\nusers:\n  id: alice\n") == [
                "a.yaml:3:3: error: users must be a list, not a mapping"
            ])
        #expect(
            try errors("account: acme\ncredentials: {}\n") == [
                "a.yaml:2:14: error: credentials must be a list, not a mapping"
            ])
    }

    @Test func userMustBeAMapping() throws {
        #expect(
            try errors("account: acme\nusers:\n  - alice\n  - [bob]\n") == [
                "a.yaml:3:5: error: user must be a mapping, not a scalar",
                "a.yaml:4:5: error: user must be a mapping, not a list",
            ])
        #expect(
            try errors("account: acme\ncredentials:\n  -\n") == [
                "a.yaml:3:4: error: credential must be a mapping, not nothing (null)"
            ])
    }

    @Test func documentAndSettingsMustBeMappings() throws {
        #expect(try errors("- account: acme\n") == ["a.yaml:1:1: error: manifest must be a mapping, not a list"])
        #expect(try errors("~\n") == ["a.yaml:1:1: error: manifest must be a mapping, not nothing (null)"])
        #expect(
            try errors("account: acme\nsettings: true\n") == [
                "a.yaml:2:11: error: settings must be a mapping, not a scalar"
            ])
    }

    @Test func nameGivenAsAList() throws {
        let text = """
            account: acme
            users:
              - id: alice
                name: [Alice, Example]
                license: admin
              - id: bob
                name:
                  - Bob
                license: admin

            """
        #expect(
            try errors(text) == [
                "a.yaml:4:11: error: user name must be a string, not a list",
                "a.yaml:8:7: error: user name must be a string, not a list",
            ])
    }

    @Test func scalarsThatMustBeStrings() throws {
        #expect(try errors("account: [acme]\n") == ["a.yaml:1:10: error: account must be a string, not a list"])
        #expect(try errors("account:\n") == ["a.yaml:1:9: error: account must be a string, not nothing (null)"])
        #expect(try errors("account: \"\"\n") == ["a.yaml:1:10: error: account is empty"])
        #expect(
            try errors("account: acme\nusers:\n  - {id: ~, name: A, license: admin}\n") == [
                "a.yaml:3:10: error: user id must be a string, not nothing (null)"
            ])
    }

    @Test(arguments: ["yes", "no", "on", "off", "True", "FALSE", "y", "1", "\"true\"", "'false'", "[true]"])
    func pruneAcceptsOnlyPlainTrueOrFalse(_ value: String) throws {
        let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        let shown =
            value.hasPrefix("[")
            ? "a list" : unquoted != value ? "the quoted string '\(unquoted)' (remove the quotes)" : "'\(value)'"
        #expect(
            try errors("account: acme\nsettings:\n  prune: \(value)\n") == [
                "a.yaml:3:10: error: prune must be true or false, not \(shown)"
            ])
    }

    @Test func maxDeletesMustBeANonNegativeDecimalInteger() throws {
        func check(_ value: String, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        {
            let found = try errors("account: acme\nsettings:\n  maxDeletes: \(value)\n", sourceLocation: sourceLocation)
            #expect(found == ["a.yaml:3:15: error: \(message)"], sourceLocation: sourceLocation)
        }
        try check("ten", "maxDeletes must be a decimal integer, not 'ten'")
        try check("-1", "maxDeletes must be at least 0, not -1")
        try check("010", "maxDeletes must be a decimal integer, not '010'")
        try check("0x10", "maxDeletes must be a decimal integer, not '0x10'")
        try check("1e3", "maxDeletes must be a decimal integer, not '1e3'")
        try check("5.0", "maxDeletes must be a decimal integer, not '5.0'")
        try check("+5", "maxDeletes must be a decimal integer, not '+5'")
        try check("\"5\"", "maxDeletes must be a decimal integer, not the quoted string '5' (remove the quotes)")
        try check("99999999999999999999999", "maxDeletes must be a decimal integer, not '99999999999999999999999'")
        try check("[]", "maxDeletes must be a decimal integer, not a list")
        try check("~", "maxDeletes must be a decimal integer, not nothing (null)")
        // Nothing written at all: libyaml places the empty value right after the colon.
        #expect(
            try errors("account: acme\nsettings:\n  maxDeletes:\n") == [
                "a.yaml:3:14: error: maxDeletes must be a decimal integer, not nothing (null)"
            ])
    }
}

// MARK: - Enumerations and values

@Suite struct ManifestValueTests {
    @Test func unknownLicenseSuggestsTheClosest() throws {
        let text = """
            account: acme
            users:
              - id: sam
                name: Sam
                license: supervisr

            """
        #expect(
            try errors(text) == [
                "a.yaml:5:14: error: unknown license 'supervisr'; did you mean 'supervisor'?"
            ])
        #expect(
            try errors("account: acme\nusers:\n  - {id: x, name: X, license: root}\n") == [
                "a.yaml:3:31: error: unknown license 'root' (one of: \(allLicenses))"
            ])
    }

    @Test func unknownScopeSuggestsTheClosest() throws {
        let text = """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - name: crm
                owner: alice
                scopes: [user:read]

            """
        #expect(
            try errors(text) == [
                "a.yaml:6:14: error: unknown scope 'user:read'; did you mean 'users:read'?"
            ])
        // Nothing close: the message lists every scope instead.
        #expect(
            try errors(text.replacingOccurrences(of: "user:read", with: "reports")) == [
                "a.yaml:6:14: error: unknown scope 'reports' (one of: \(allScopes)); a scope VCC added since this "
                    + "release is declared in settings.scopes"
            ])
    }

    @Test func unknownLevelAndEnsure() throws {
        let text = """
            account: acme
            users:
              - {id: alice, name: Alice, license: admin, ensure: gone}
            credentials:
              - name: legacy
                level: acount
                clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
                scopes: [stats]
              - name: crm
                owner: alice
                scopes: [stats]
                ensure: Absent

            """
        #expect(
            try errors(text) == [
                "a.yaml:3:54: error: unknown ensure value 'gone' (one of: present, absent)",
                "a.yaml:6:12: error: unknown level 'acount'; did you mean 'account'?",
                "a.yaml:12:13: error: unknown ensure value 'Absent'; did you mean 'absent'?",
            ])
    }

    @Test func scopesMustBeANonEmptyListWithoutRepeats() throws {
        func credential(_ scopes: String) -> String {
            "account: acme\nusers: [{id: alice, name: Alice, license: admin}]\ncredentials:\n  - name: crm\n    "
                + "owner: alice\n    scopes: \(scopes)\n"
        }
        #expect(try errors(credential("[]")) == ["a.yaml:6:13: error: scopes is empty: give at least one scope"])
        #expect(
            try errors(credential("[stats, users:read, stats]")) == [
                "a.yaml:6:33: error: scope 'stats' is listed twice"
            ])
        #expect(try errors(credential("stats")) == ["a.yaml:6:13: error: scopes must be a list, not a scalar"])
        #expect(
            try errors(credential("[[stats]]")) == ["a.yaml:6:14: error: scope must be a string, not a list"])
    }

    @Test func presentUserNeedsNameAndLicense() throws {
        let text = """
            account: acme
            users:
              - id: alice
              - id: bob
                name: Bob
              - id: carol
                license: agent
              - name: Nobody
                license: agent

            """
        #expect(
            try errors(text) == [
                "a.yaml:3:5: error: user 'alice' is missing 'license'",
                "a.yaml:3:5: error: user 'alice' is missing 'name'",
                "a.yaml:4:5: error: user 'bob' is missing 'license'",
                "a.yaml:6:5: error: user 'carol' is missing 'name'",
                "a.yaml:8:5: error: user is missing 'id'",
            ])
    }

    @Test func userIdMustNotContainSpacesOrSlashes() throws {
        let text = """
            account: acme
            users:
              - id: alice smith
                name: Alice
                license: admin
              - id: ops/bob
                name: Bob
                license: admin
              - id: ""
                ensure: absent
              - id: "tab\\there"
                ensure: absent

            """
        #expect(
            try errors(text) == [
                "a.yaml:3:9: error: user id 'alice smith' contains whitespace or a control character",
                "a.yaml:6:9: error: user id 'ops/bob' contains '/'",
                "a.yaml:9:9: error: user id is empty",
                "a.yaml:11:9: error: user id 'tab\\u{9}here' contains whitespace or a control character",
            ])
    }

    @Test func invalidRecipients() throws {
        let identity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
        let text = """
            account: acme
            settings:
              recipients:
                - \(DomainSamples.recipient)
                - age1xyz
                - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG
                - \(DomainSamples.recipient.uppercased())
                - \(DomainSamples.recipient.dropLast())q
                - \(identity)

            """
        let message = "is not an age X25519 recipient (age1..., as age-keygen prints)"
        #expect(
            try errors(text) == [
                "a.yaml:5:7: error: recipient: 'age1xyz' \(message)",
                "a.yaml:6:7: error: recipient: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG' \(message)",
                "a.yaml:7:7: error: recipient: '\(DomainSamples.recipient.uppercased())' \(message)",
                // Right shape, wrong checksum: caught by decoding the key, not by its look.
                "a.yaml:8:7: error: recipient: '\(DomainSamples.recipient.dropLast())q' \(message)",
                // A private key where a recipient belongs is named as such, never echoed.
                "a.yaml:9:7: error: recipient: an age identity (a private key) was given where a recipient belongs; "
                    + "use its public key (age-keygen -y FILE)",
            ])
    }

    @Test func nameProblems() throws {
        let text = """
            account: acme
            users:
              - id: alice
                name: "   "
                license: admin
            credentials:
              - name: "bad\\u0007name"
                owner: alice
                scopes: [stats]

            """
        #expect(
            try errors(text) == [
                "a.yaml:4:11: error: user name is empty",
                "a.yaml:7:11: error: credential name contains a control character or line separator",
            ])
    }
}

// MARK: - Credentials and owners

@Suite struct ManifestCredentialTests {
    @Test func userLevelCredentialNeedsAnOwner() throws {
        let text = """
            account: acme
            credentials:
              - name: crm
                scopes: [stats]

            """
        #expect(try errors(text) == ["a.yaml:3:5: error: user-level credential 'crm' is missing 'owner'"])
        #expect(
            try errors("account: acme\ncredentials:\n  - {name: crm, level: user, scopes: [stats]}\n") == [
                "a.yaml:3:5: error: user-level credential 'crm' is missing 'owner'"
            ])
    }

    @Test func credentialNeedsNameAndScopes() throws {
        let text = """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - owner: alice
                scopes: [stats]
              - name: crm
                owner: alice

            """
        #expect(
            try errors(text) == [
                "a.yaml:4:5: error: credential is missing 'name'",
                "a.yaml:6:5: error: credential 'crm' is missing 'scopes'",
            ])
    }

    @Test func accountLevelCredentialMustNotHaveAnOwner() throws {
        let text = """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - name: legacy
                level: account
                owner: alice
                clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
                scopes: [stats]

            """
        #expect(try errors(text) == ["a.yaml:6:5: error: account-level credential 'legacy' must not have an 'owner'"])
    }

    @Test func accountLevelCredentialNeedsAClientId() throws {
        let text = """
            account: acme
            credentials:
              - name: legacy
                level: account
                scopes: [stats]

            """
        #expect(
            try errors(text) == [
                "a.yaml:3:5: error: account-level credential 'legacy' needs 'clientId': account-level credentials "
                    + "are deprecated and can only be adopted"
            ])
    }

    @Test func invalidClientId() throws {
        let text = """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - name: crm
                owner: alice
                clientId: 6f1c2f8e-9b3d
                scopes: [stats]
              - name: legacy
                level: account
                clientId: "{6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f}"
                scopes: [stats]
              - name: other
                level: account
                clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2g
                scopes: [stats]

            """
        let like = "is not a UUID like 6f1c2f8e-1b2c-4d3e-8f90-a1b2c3d4e5f6"
        #expect(
            try errors(text) == [
                "a.yaml:6:15: error: clientId '6f1c2f8e-9b3d' \(like)",
                "a.yaml:10:15: error: clientId '{6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f}' \(like)",
                "a.yaml:14:15: error: clientId '6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2g' \(like)",
            ])
    }

    @Test func ownerMustBeADeclaredUser() throws {
        let text = """
            account: acme
            users:
              - {id: alice@acme.example, name: Alice, license: admin}
            credentials:
              - name: crm
                owner: alicee@acme.example
                scopes: [stats]
              - name: export
                owner: mallory@elsewhere.example
                scopes: [stats]

            """
        #expect(
            try errors(text) == [
                "a.yaml:6:12: error: owner 'alicee@acme.example' is not declared as a user in the manifests; did you "
                    + "mean 'alice@acme.example'?",
                "a.yaml:9:12: error: owner 'mallory@elsewhere.example' is not declared as a user in the manifests",
            ])
    }

    @Test func ownerDeclaredInAnotherFileIsFound() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("z-users.yaml", "users: [{id: alice, name: Alice, license: admin}]\n")
        try folder.write("a-creds.yaml", "account: acme\ncredentials: [{name: crm, owner: alice, scopes: [stats]}]\n")
        #expect(try folder.load().credentials.map(\.spec.owner) == ["alice"])
    }

    @Test func presentCredentialOfAnAbsentOwner() throws {
        let text = """
            account: acme
            users:
              - id: old
                ensure: absent
            credentials:
              - name: crm
                owner: old
                scopes: [stats]
              - name: export
                owner: old
                ensure: absent

            """
        #expect(
            try errors(text) == [
                "a.yaml:7:12: error: owner 'old' is declared 'ensure: absent' at a.yaml:3:5, but this credential is "
                    + "present"
            ])
    }
}

// MARK: - Across files

@Suite struct ManifestAcrossFilesTests {
    @Test func duplicateUsersNameTheFirstPlace() throws {
        let found = try errors([
            "a.yaml": "account: acme\nusers:\n  - id: alice\n    name: Alice\n    license: admin\n",
            "b.yaml":
                "users:\n  - id: sam\n    name: Sam\n    license: supervisor\n  - id: alice\n    ensure: absent\n  - "
                + "id: sam\n    name: Sam\n    license: supervisor\n",
        ])
        #expect(
            found == [
                "b.yaml:5:5: error: duplicate user 'alice' (first declared at a.yaml:3:5)",
                "b.yaml:7:5: error: duplicate user 'sam' (first declared at b.yaml:2:5)",
            ])
    }

    @Test func duplicateCredentialsByOwnerAndName() throws {
        let found = try errors([
            "a.yaml": """
            account: acme
            users: [{id: alice, name: Alice, license: admin}]
            credentials:
              - name: crm
                owner: alice
                scopes: [stats]

            """,
            "sub/b.yml": """
            credentials:
              - name: crm
                owner: alice
                scopes: [users:read]
                ensure: absent

            """,
        ])
        #expect(
            found == [
                "sub/b.yml:2:5: error: duplicate credential 'crm' of owner 'alice' (first declared at a.yaml:4:5)"
            ])
    }

    @Test func duplicateCredentialsByClientId() throws {
        let found = try errors([
            "a.yaml": """
            account: acme
            credentials:
              - name: legacy
                level: account
                clientId: 6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f
                scopes: [stats]

            """,
            "b.yaml": """
            credentials:
              - name: legacy-renamed
                level: account
                clientId: 6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F
                scopes: [stats]

            """,
        ])
        #expect(
            found == [
                "b.yaml:2:5: error: duplicate credential with clientId '6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f' (first "
                    + "declared at a.yaml:3:5)"
            ])
    }

    @Test func conflictingAccount() throws {
        let found = try errors([
            "a.yaml": "account: acme\n", "b.yaml": "account: acme\n", "c.yaml": "account: acme-prod\n",
        ])
        #expect(found == ["c.yaml:1:10: error: account 'acme-prod' conflicts with 'acme' given at a.yaml:1:10"])
    }

    @Test func conflictingSettings() throws {
        let found = try errors([
            "a.yaml":
                "account: acme\nsettings:\n  prune: true\n  maxDeletes: 5\n  recipients: "
                + "[\(DomainSamples.recipient)]\n",
            "b.yaml":
                "settings:\n  prune: false\n  maxDeletes: 6\n  recipients:\n    - \(DomainSamples.otherRecipient)\n",
            "c.yaml": "settings:\n  prune: true\n  maxDeletes: 5\n  recipients: [\(DomainSamples.recipient)]\n",
        ])
        #expect(
            found == [
                "b.yaml:2:10: error: settings.prune false conflicts with true given at a.yaml:3:10",
                "b.yaml:3:15: error: settings.maxDeletes 6 conflicts with 5 given at a.yaml:4:15",
                "b.yaml:5:5: error: settings.recipients [\(DomainSamples.otherRecipient)] conflicts with "
                    + "[\(DomainSamples.recipient)] given at a.yaml:5:15",
            ])
    }

    @Test func missingAccountEntirely() throws {
        let found = try errors(["a.yaml": "users: []\n", "b.yml": "settings: {prune: false}\n"])
        #expect(found == ["<dir>: error: no manifest declares 'account'"])
    }

    @Test func emptyDirectory() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        #expect(folder.loadErrors() == ["<dir>: error: no manifests (*.yaml, *.yml) found"])
        try folder.write("README.md", "# manifests\n")
        try folder.write(".hidden.yaml", "account: acme\n")
        #expect(folder.loadErrors() == ["<dir>: error: no manifests (*.yaml, *.yml) found"])
    }

    @Test func missingDirectoryOrNotADirectory() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("a.yaml", "account: acme\n")
        for (path, message) in [("nope", "no such manifests directory"), ("a.yaml", "not a directory")] {
            do {
                _ = try ManifestLoader(fileSystem: LocalFileSystem()).load(directory: folder.file(path))
                Issue.record("loading \(path) should fail")
            } catch {
                #expect(error.diagnostics.map(\.description) == ["\(folder.file(path)): error: \(message)"])
            }
        }
    }

    @Test func allProblemsAreReportedTogetherAndSorted() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // Written in reverse order; each file has its own problems.
        try folder.write("z.yaml", "account: acme\nusers:\n  - id: alice\n    name: Alice\n    license: admin\n")
        try folder.write("m/b.yaml", "users:\n  - {id: bob, name: Bob, license: adm}\nsettings:\n  prune: yes\n")
        try folder.write("m/a.yaml", "account: [acme\n")
        try folder.write("b.yaml", "users:\n  - {id: alice, name: A, license: admin}\nsettingz: {}\n")
        let found = folder.loadErrors()
        #expect(
            found == [
                "b.yaml:3:1: error: unknown key 'settingz' in manifest; did you mean 'settings'?",
                "m/a.yaml:2:1: error: did not find expected ',' or ']' while parsing a flow sequence",
                "m/b.yaml:2:35: error: unknown license 'adm' (one of: \(allLicenses))",
                "m/b.yaml:4:10: error: prune must be true or false, not 'yes'",
                "z.yaml:3:5: error: duplicate user 'alice' (first declared at b.yaml:2:5)",
            ])
        // The error prints one diagnostic per line, with the path as given.
        do {
            _ = try folder.load()
            Issue.record("expected failure")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 5)
            #expect(
                lines.first == folder.path
                    + "/b.yaml:3:1: error: unknown key 'settingz' in manifest; did you mean 'settings'?")
            #expect(error.diagnostics.allSatisfy { $0.severity == .error })
        }
    }
}

// MARK: - YAML syntax and StrictYAML

@Suite struct ManifestYAMLSyntaxTests {
    @Test func syntaxErrorsNameTheFile() throws {
        #expect(
            try errors("account: acme\nusers: [alice\n") == [
                "a.yaml:3:1: error: did not find expected ',' or ']' while parsing a flow sequence"
            ])
        #expect(
            try errors("account: acme\nusers:\n\t- id: alice\n") == [
                "a.yaml:3:1: error: found character that cannot start any token while scanning for the next token"
            ])
        #expect(
            try errors("account: acme: prod\n") == [
                "a.yaml:1:14: error: mapping values are not allowed in this context"
            ])
    }

    @Test func encodingProblems() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("a.yaml", bytes: Array("account: ac".utf8) + [0x00] + Array("me\n".utf8))
        try folder.write("b.yaml", bytes: Array("account: acme\nusers: [\"".utf8) + [0xFF] + Array("\"]\n".utf8))
        #expect(
            folder.loadErrors() == [
                "a.yaml:1:12: error: NUL byte is not allowed",
                "b.yaml:2:10: error: invalid UTF-8 byte 0xFF",
            ])
    }

    @Test func anchorsAliasesTagsAndMergeKeysAreRejected() throws {
        #expect(try errors("account: &name acme\n") == ["a.yaml:1:10: error: anchors (&name) are not allowed"])
        #expect(
            try errors("account: acme\nusers: *people\n") == [
                "a.yaml:2:8: error: aliases (*name) are not allowed; write the value out"
            ])
        #expect(
            try errors("account: !!str acme\n") == ["a.yaml:1:10: error: tags (tag:yaml.org,2002:str) are not allowed"])
        #expect(try errors("account: !secret acme\n") == ["a.yaml:1:10: error: tags (!secret) are not allowed"])
        #expect(
            try errors("account: acme\nusers:\n  - <<: {id: alice}\n    name: Alice\n") == [
                "a.yaml:3:5: error: merge keys (<<) are not allowed; write the keys out"
            ])
    }

    @Test func duplicateKeysAreRejected() throws {
        #expect(
            try errors("account: acme\nusers: []\naccount: acme\n") == [
                "a.yaml:3:1: error: duplicate key 'account' (first at 1:1)"
            ])
        #expect(
            try errors("account: acme\nusers:\n  - id: alice\n    name: Alice\n    license: admin\n    name: Al\n") == [
                "a.yaml:6:5: error: duplicate key 'name' (first at 4:5)"
            ])
    }

    @Test func aSyntaxErrorInOneFileDoesNotHideProblemsInOthers() throws {
        let found = try errors([
            "a.yaml": "account: acme\nusers: &x []\n",
            "b.yaml": "account: acme\nsettings: {maxDeletes: -3}\n",
        ])
        #expect(
            found == [
                "a.yaml:2:8: error: anchors (&x) are not allowed",
                "b.yaml:2:24: error: maxDeletes must be at least 0, not -3",
            ])
    }
}
