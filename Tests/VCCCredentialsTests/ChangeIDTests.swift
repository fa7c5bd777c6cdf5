import Testing
import VCCCredentials

/// A change id has one spelling: what `description` writes, `init?(_:)` reads back, and
/// the order of ids is the order of their spellings (plans have always listed them so).
@Suite struct ChangeIDTests {
    static let ids: [ChangeID] = [
        .user("ada@acme.example"),
        .credential(clientId: "3f1c2a9e-7b4d-4e5f-9a1b-2c3d4e5f6a7b"),
        .unminted(CredentialAddress(owner: "sam@acme.example", name: "reporting")),
        .unminted(CredentialAddress(owner: nil, name: "wallboard-feed")),
        .unminted(CredentialAddress(owner: "sam@acme.example", name: "team/a b")),
    ]

    @Test func spellings() {
        #expect(
            Self.ids.map(\.description) == [
                "user:ada@acme.example",
                "credential:3f1c2a9e-7b4d-4e5f-9a1b-2c3d4e5f6a7b",
                "credential:sam@acme.example/reporting",
                "credential:account/wallboard-feed",
                "credential:sam@acme.example/team/a b",
            ])
    }

    @Test(arguments: ids) func readsBackWhatItWrites(id: ChangeID) {
        #expect(ChangeID(id.description) == id)
    }

    @Test(arguments: [
        "", "user:", "credential:", "credential:/name", "credential:owner/", "account/x", "User:a", "x:y",
    ])
    func refusesWhatIsNotAChangeId(text: String) {
        #expect(ChangeID(text) == nil)
    }

    @Test func ordersAsItsSpellings() {
        let more =
            Self.ids + [
                .user("aa"), .user("zz"), .credential(clientId: "00000000-0000-4000-8000-000000000000"),
                .unminted(CredentialAddress(owner: "zed@acme.example", name: "a")),
            ]
        for left in more {
            for right in more {
                #expect((left < right) == (left.description < right.description), "\(left) < \(right)")
            }
        }
    }

    @Test func addressesSplitAtTheFirstSlash() {
        #expect(
            CredentialAddress("sam@acme.example/team/a") == CredentialAddress(owner: "sam@acme.example", name: "team/a")
        )
        #expect(CredentialAddress("account/feed") == CredentialAddress(owner: nil, name: "feed"))
        #expect(CredentialAddress("account/feed")?.level == .account)
        #expect(CredentialAddress("no-slash") == nil)
    }
}
