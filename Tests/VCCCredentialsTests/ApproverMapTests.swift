import Testing
import VCCCredentials

/// `users[].login` and ``ApproverMap``: a merge's approving forge logins name the
/// users its apply acts as.
@Suite struct ApproverMapTests {
    static let users = """
        account: acme
        users:
          - {id: olga@t, name: Olga, license: admin, login: olga-gh}
          - {id: sam@t, name: Sam, license: supervisor, login: Sam-GH}
          - {id: pete@t, name: Pete, license: supervisor}
          - {id: gone@t, ensure: absent, login: gone-gh}

        """

    @Test func approvingLoginsNameTheirUsersInOrder() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("users.yaml", Self.users)
        let map = ApproverMap(try folder.load())
        let result = map.actors(approvedBy: ["sam-gh", "nobody", "olga-gh", "SAM-gh", "gone-gh"])
        #expect(result.actors == ["sam@t", "olga@t"], "case is ignored, as forges do; each user once")
        #expect(result.unknown == ["nobody", "gone-gh"], "a user to be deleted approves nothing")
    }

    @Test func aLoginChangesTheDigestAndNoLoginKeepsIt() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("users.yaml", "account: acme\nusers:\n  - {id: olga@t, name: Olga, license: admin}\n")
        let without = try folder.load().digest
        try folder.write(
            "users.yaml", "account: acme\nusers:\n  - {id: olga@t, name: Olga, license: admin, login: o}\n")
        let with = try folder.load().digest
        #expect(with != without)
        try folder.write(
            "users.yaml", "account: acme\nusers:\n  - {id: olga@t, name: Olga, license: admin, login: p}\n")
        #expect(try folder.load().digest != with)
    }

    @Test(arguments: [
        ("login: \"\"", "users.yaml:3:53: error: login is empty"),
        (
            "login: \"sam gh\"",
            "users.yaml:3:53: error: login 'sam gh' may hold only ASCII letters, digits, '.', '_' and '-'"
        ),
        (
            "login: \"@sam\"",
            "users.yaml:3:53: error: login '@sam' may hold only ASCII letters, digits, '.', '_' and '-'"
        ),
        ("login: [a]", "users.yaml:3:53: error: login must be a string, not a list"),
    ])
    func aBadLoginIsAnErrorAtItsPosition(_ entry: String, _ expected: String) throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "users.yaml", "account: acme\nusers:\n  - {id: olga@t, name: Olga, license: admin, \(entry)}\n")
        #expect(folder.loadErrors() == [expected])
    }

    @Test func twoUsersMayNotShareALogin() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write(
            "users.yaml",
            "account: acme\nusers:\n  - {id: olga@t, name: Olga, license: admin, login: og}\n  - {id: bob@t, name: "
                + "Bob, license: admin, login: OG}\n"
        )
        #expect(
            folder.loadErrors() == [
                "users.yaml:4:5: error: login 'OG' is also 'olga@t''s (declared at users.yaml:3:5); logins are "
                    + "unique, ignoring case"
            ])
    }
}
