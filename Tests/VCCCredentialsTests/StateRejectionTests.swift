import Foundation
import Testing
import VCCCredentials

/// Decodes `text` as `state.json`, which must fail; returns the diagnostics as printed.
private func stateErrors(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
    do {
        let state = try StateCodec.decode(Array(text.utf8), file: "state.json")
        Issue.record("expected the state to be rejected, but it decoded: \(state)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// `base` with each `(from, to)` replaced; every `from` must occur exactly once, so a
/// fixture edit cannot silently miss.
private func edit(
    _ base: String, _ replacements: (String, String)..., sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> String {
    var text = base
    for (from, to) in replacements {
        let count = text.components(separatedBy: from).count - 1
        #expect(count == 1, "'\(from)' occurs \(count) times in the fixture", sourceLocation: sourceLocation)
        text = text.replacingOccurrences(of: from, with: to)
    }
    return text
}

private let single = StateSamples.singleText
private let pair = StateSamples.pairText
private let allScopes =
    "admin:read, admin:write, agents-availability:read, globalpci, interaction-content:delete, interaction-content:read, "
    + "interactions:write, stats, users:read, users:write"

@Suite struct StateShapeRejectionTests {
    @Test func fixturesAreValid() throws {
        #expect(try StateCodec.decode(Array(single.utf8), file: "state.json") == StateSamples.single)
        #expect(try StateCodec.decode(Array(pair.utf8), file: "state.json") == StateSamples.pair.sorted())
    }

    @Test func notAnObject() {
        #expect(stateErrors("[]") == ["state.json:1:1: error: state must be a JSON object, not an array"])
        #expect(stateErrors("\n  \"state\"\n") == ["state.json:2:3: error: state must be a JSON object, not a string"])
        #expect(stateErrors("null") == ["state.json:1:1: error: state must be a JSON object, not null"])
        #expect(stateErrors("42") == ["state.json:1:1: error: state must be a JSON object, not a number"])
    }

    @Test func missingKeys() {
        #expect(
            stateErrors("{}") == [
                "state.json:1:1: error: state is missing 'account'",
                "state.json:1:1: error: state is missing 'credentials'",
                "state.json:1:1: error: state is missing 'formatVersion'",
                "state.json:1:1: error: state is missing 'lineage'",
                "state.json:1:1: error: state is missing 'serial'",
                "state.json:1:1: error: state is missing 'users'",
            ])
        #expect(
            stateErrors(edit(single, ("  \"serial\": 3,\n", ""))) == [
                "state.json:1:1: error: state is missing 'serial'"
            ])
        // Removed lines are kept as blank lines so the layout stays known.
        #expect(
            stateErrors(edit(single, ("      \"createdBy\": \"alice\",", ""))) == [
                "state.json:7:5: error: credential is missing 'createdBy'"
            ])
        #expect(
            stateErrors(
                edit(single, ("\"license\": \"admin\",\n      \"name\": \"Alice\"", "\"license\": \"admin\"\n"))) == [
                    "state.json:25:5: error: user is missing 'name'"
                ])
        #expect(
            stateErrors(edit(single, ("    \"apiCredentialsEnabled\": true,", ""))) == [
                "state.json:2:14: error: account is missing 'apiCredentialsEnabled'"
            ])
        #expect(
            stateErrors(
                edit(
                    single,
                    ("\"apiCredentialsEnabled\": true,\n    \"id\": \"acme\"", "\"apiCredentialsEnabled\": true\n")))
                == [
                    "state.json:2:14: error: account is missing 'id'"
                ])
    }

    @Test func unknownKeysSuggestTheClosest() {
        #expect(
            stateErrors(edit(single, ("\"lineage\":", "\"lineages\":"))) == [
                "state.json:1:1: error: state is missing 'lineage'",
                "state.json:22:3: error: unknown key 'lineages' in state; did you mean 'lineage'?",
            ])
        #expect(
            stateErrors(edit(single, ("\"serial\": 3,", "\"serial\": 3, \"notes\": \"hi\","))) == [
                "state.json:23:16: error: unknown key 'notes' in state"
            ])
        #expect(
            stateErrors(edit(single, ("\"apiCredentialsEnabled\"", "\"apiCredentialEnabled\""))) == [
                "state.json:2:14: error: account is missing 'apiCredentialsEnabled'",
                "state.json:3:5: error: unknown key 'apiCredentialEnabled' in account; did you mean "
                    + "'apiCredentialsEnabled'?",
            ])
        #expect(
            stateErrors(edit(single, ("\"license\"", "\"licence\""))) == [
                "state.json:25:5: error: user is missing 'license'",
                "state.json:27:7: error: unknown key 'licence' in user; did you mean 'license'?",
            ])
        #expect(
            stateErrors(edit(single, ("\"createdBy\":", "\"creatdBy\":"))) == [
                "state.json:7:5: error: credential is missing 'createdBy'",
                "state.json:10:7: error: unknown key 'creatdBy' in credential; did you mean 'createdBy'?",
            ])
    }

    @Test func formatVersion() {
        // A newer format is reported alone, with an upgrade hint, whatever else differs.
        #expect(
            stateErrors(
                edit(
                    single, ("\"formatVersion\": 1", "\"formatVersion\": \(State.currentFormatVersion + 1)"),
                    ("\"lineage\": \"2b7e", "\"lineage\": \"2B7E"),
                    ("\"serial\": 3,", "\"serial\": -3, \"secrets\": {},"),
                    ("\"license\": \"admin\"", "\"license\": \"root\""))) == [
                    "state.json:21:20: error: state format version \(State.currentFormatVersion + 1) is newer than "
                        + "this vcc-creds supports (\(State.currentFormatVersion)); upgrade vcc-creds"
                ])
        #expect(
            stateErrors(edit(single, ("\"formatVersion\": 1", "\"formatVersion\": 0"))) == [
                "state.json:21:20: error: formatVersion must be at least 1, not 0"
            ])
        #expect(
            stateErrors(edit(single, ("\"formatVersion\": 1", "\"formatVersion\": -1"))) == [
                "state.json:21:20: error: formatVersion must be at least 1, not -1"
            ])
        #expect(
            stateErrors(edit(single, ("\"formatVersion\": 1", "\"formatVersion\": \"1\""))) == [
                "state.json:21:20: error: formatVersion must be an integer, not a string"
            ])
        #expect(
            stateErrors(edit(single, ("\"formatVersion\": 1", "\"formatVersion\": 1.0"))) == [
                "state.json:21:20: error: formatVersion must be an integer, not 1.0"
            ])
    }

    @Test func lineageMustBeALowercaseUUID() {
        #expect(
            stateErrors(edit(single, ("\"lineage\": \"2b7e4c1a", "\"lineage\": \"2B7E4C1A"))) == [
                "state.json:22:14: error: lineage '2B7E4C1A-5d6f-4a8b-9c0d-1e2f3a4b5c6d' is not a lowercase UUID"
            ])
        #expect(
            stateErrors(
                edit(single, ("\"2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d\"", "\"2b7e4c1a5d6f4a8b9c0d1e2f3a4b5c6d\""))) == [
                    "state.json:22:14: error: lineage '2b7e4c1a5d6f4a8b9c0d1e2f3a4b5c6d' is not a lowercase UUID"
                ])
        #expect(
            stateErrors(edit(single, ("\"2b7e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d\"", "7"))) == [
                "state.json:22:14: error: lineage must be a string, not a number"
            ])
    }

    @Test func serialMustBeANonNegativeInteger() {
        func serial(_ value: String) -> [String] {
            stateErrors(edit(single, ("\"serial\": 3,", "\"serial\": \(value),")))
        }
        #expect(serial("-1") == ["state.json:23:13: error: serial must be at least 0, not -1"])
        #expect(serial("\"3\"") == ["state.json:23:13: error: serial must be an integer, not a string"])
        #expect(serial("3.5") == ["state.json:23:13: error: serial must be an integer, not 3.5"])
        #expect(serial("3.0") == ["state.json:23:13: error: serial must be an integer, not 3.0"])
        #expect(serial("3e2") == ["state.json:23:13: error: serial must be an integer, not 3e2"])
        #expect(serial("null") == ["state.json:23:13: error: serial must be an integer, not null"])
        #expect(
            serial("99999999999999999999") == [
                "state.json:23:13: error: serial must be an integer, not 99999999999999999999"
            ])
        // Zero is fine (a fresh state).
        #expect(throws: Never.self) {
            try StateCodec.decode(Array(edit(single, ("\"serial\": 3,", "\"serial\": 0,")).utf8), file: "s")
        }
    }

    @Test func accountFields() {
        #expect(
            stateErrors(edit(single, ("\"id\": \"acme\"", "\"id\": \"\""))) == [
                "state.json:4:11: error: account id is empty"
            ])
        #expect(
            stateErrors(edit(single, ("\"apiCredentialsEnabled\": true", "\"apiCredentialsEnabled\": \"yes\""))) == [
                "state.json:3:30: error: apiCredentialsEnabled must be true or false, not a string"
            ])
        #expect(
            stateErrors(
                edit(
                    single,
                    (
                        "\"account\": {\n    \"apiCredentialsEnabled\": true,\n    \"id\": \"acme\"\n  },",
                        "\"account\": \"acme\",\n\n\n"
                    ))
            ) == ["state.json:2:14: error: account must be an object, not a string"])
    }

    @Test func jsonSyntaxErrorsAreReportedWithPosition() {
        #expect(
            stateErrors(edit(single, ("      \"name\": \"Alice\"", "      \"name\": \"Alice\","))) == [
                "state.json:29:5: error: expected a string key, found '}'"
            ])
        #expect(
            stateErrors(edit(single, ("        \"stats\"", "        \"stats\","))) == [
                "state.json:16:7: error: expected a value, found ']'"
            ])
        #expect(
            stateErrors(edit(single, ("\"serial\": 3,", "\"serial\": 3, \"serial\": 4,"))) == [
                "state.json:23:16: error: duplicate key \"serial\""
            ])
        #expect(stateErrors("") == ["state.json:1:1: error: expected a value, found end of file"])
        #expect(stateErrors(single + "x") == ["state.json:32:1: error: unexpected 'x' after the JSON value"])
        #expect(
            stateErrors(edit(single, ("\"serial\": 3,", "\"serial\": 3, // comment"))) == [
                "state.json:23:16: error: expected a string key, found '/'"
            ])
        #expect(stateErrors("\u{FEFF}" + single) == ["state.json:1:1: error: byte order mark is not allowed"])
    }

    @Test func everyProblemIsReportedSortedByPosition() {
        let text = edit(
            single, ("\"serial\": 3,", "\"serial\": -1,"), ("\"lineage\": \"2b7e", "\"lineage\": \"XXXX"),
            ("\"license\": \"admin\"", "\"license\": \"supervisr\""), ("        \"stats\"", "        \"stat\""),
            ("\"createdAt\": \"2026-01-02T03:04:05Z\"", "\"createdAt\": \"yesterday\""))
        #expect(
            stateErrors(text) == [
                "state.json:9:20: error: createdAt 'yesterday' is not a UTC time like 2026-01-31T09:30:00Z",
                "state.json:15:9: error: unknown scope 'stat'; did you mean 'stats'?",
                "state.json:22:14: error: lineage 'XXXX4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d' is not a lowercase UUID",
                "state.json:23:13: error: serial must be at least 0, not -1",
                "state.json:27:18: error: unknown license 'supervisr'; did you mean 'supervisor'?",
            ])
    }
}

@Suite struct StateUserRejectionTests {
    @Test func unknownLicense() {
        #expect(
            stateErrors(edit(single, ("\"license\": \"admin\"", "\"license\": \"supervisr\""))) == [
                "state.json:27:18: error: unknown license 'supervisr'; did you mean 'supervisor'?"
            ])
        #expect(
            stateErrors(edit(single, ("\"license\": \"admin\"", "\"license\": \"Root\""))) == [
                "state.json:27:18: error: unknown license 'Root' (one of: admin, supervisor, agent, wallboard)"
            ])
    }

    @Test func badUserId() {
        #expect(
            stateErrors(edit(single, ("\"id\": \"alice\"", "\"id\": \"alice smith\""))) == [
                "state.json:26:13: error: user id 'alice smith' contains whitespace or a control character"
            ])
        #expect(
            stateErrors(edit(single, ("\"id\": \"alice\"", "\"id\": \"ops/alice\""))) == [
                "state.json:26:13: error: user id 'ops/alice' contains '/'"
            ])
        #expect(
            stateErrors(edit(single, ("\"id\": \"alice\"", "\"id\": \"\""))) == [
                "state.json:26:13: error: user id is empty"
            ])
    }

    @Test func duplicateUserId() {
        #expect(
            stateErrors(edit(pair, ("\"id\": \"bob@acme.example\"", "\"id\": \"alice@acme.example\""))) == [
                "state.json:20:5: error: credential 'crm \"sync\"' is owned by 'bob@acme.example', who is not a user "
                    + "in the state",
                "state.json:44:5: error: duplicate user 'alice@acme.example' (also user #1)",
            ])
    }
}

@Suite struct StateCredentialRejectionTests {
    @Test func badClientId() {
        #expect(
            stateErrors(edit(single, (StateSamples.id1, "ABCDEF00-0000-4000-8000-000000000001"))) == [
                "state.json:8:19: error: clientId 'ABCDEF00-0000-4000-8000-000000000001' is not a lowercase UUID"
            ])
        #expect(
            stateErrors(edit(single, (StateSamples.id1, "1234"))) == [
                "state.json:8:19: error: clientId '1234' is not a lowercase UUID"
            ])
    }

    @Test func duplicateClientId() {
        #expect(
            stateErrors(edit(pair, ("\"clientId\": \"\(StateSamples.id2)\"", "\"clientId\": \"\(StateSamples.id1)\"")))
                == [
                    "state.json:20:5: error: duplicate clientId '\(StateSamples.id1)' (also credential #1)"
                ])
    }

    @Test func userLevelCredentialWithoutOwner() {
        #expect(
            stateErrors(edit(single, ("      \"owner\": \"alice\",", ""))) == [
                "state.json:7:5: error: user-level credential has no 'owner'"
            ])
    }

    @Test func accountLevelCredentialWithOwner() {
        #expect(
            stateErrors(
                edit(pair, ("\"level\": \"account\",", "\"level\": \"account\", \"owner\": \"alice@acme.example\",")))
                == [
                    "state.json:11:36: error: account-level credential must not have an 'owner'"
                ])
    }

    @Test func ownerMustBeAUserInTheState() {
        #expect(
            stateErrors(edit(pair, ("\"owner\": \"bob@acme.example\"", "\"owner\": \"carol@acme.example\""))) == [
                "state.json:20:5: error: credential 'crm \"sync\"' is owned by 'carol@acme.example', who is not a "
                    + "user in the state"
            ])
    }

    @Test func levelMustBeKnown() {
        #expect(
            stateErrors(edit(single, ("\"level\": \"user\"", "\"level\": \"acount\""))) == [
                "state.json:11:16: error: unknown level 'acount'; did you mean 'account'?"
            ])
    }

    @Test func scopes() {
        #expect(
            stateErrors(edit(single, ("        \"stats\"", "        \"stat\""))) == [
                "state.json:15:9: error: unknown scope 'stat'; did you mean 'stats'?"
            ])
        #expect(
            stateErrors(edit(single, ("        \"stats\"", "        \"reports\""))) == [
                "state.json:15:9: error: unknown scope 'reports' (one of: \(allScopes))"
            ])
        #expect(
            stateErrors(edit(single, ("[\n        \"stats\"\n      ]", "[\n\n      ]"))) == [
                "state.json:14:17: error: credential has no scopes"
            ])
        #expect(
            stateErrors(edit(single, ("        \"stats\"", "        \"stats\", \"stats\""))) == [
                "state.json:15:18: error: scope 'stats' is listed twice"
            ])
        #expect(
            stateErrors(edit(single, ("        \"stats\"", "        7"))) == [
                "state.json:15:9: error: scope must be a string, not a number"
            ])
        #expect(
            stateErrors(edit(single, ("[\n        \"stats\"\n      ]", "\"stats\"\n\n"))) == [
                "state.json:14:17: error: scopes must be an array, not a string"
            ])
    }

    @Test func secretDigestMustBeLowercaseHexOfTheRightLength() {
        for bad in [
            StateSamples.shaA.uppercased(), String(StateSamples.shaA.dropLast()), StateSamples.shaA + "0",
            String(StateSamples.shaA.dropLast()) + "g",
        ] {
            #expect(
                stateErrors(edit(single, (StateSamples.shaA, bad))) == [
                    "state.json:17:23: error: secretSha256 must be 64 lowercase hex digits"
                ], "\(bad)")
        }
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2026-01-02T03:04:05", "2026-01-02T03:04:05.000Z", "2026-01-02 03:04:05Z",
        "2026-01-02T03:04:05+00:00", "2026-01-32T00:00:00Z", "2026-01-02T24:00:00Z", "2026-01-02t03:04:05z",
        "2026-02-30T00:00:00Z", "",
    ])
    func badTimestamps(_ bad: String) {
        let text = edit(
            single, ("\"createdAt\": \"2026-01-02T03:04:05Z\"", "\"createdAt\": \"\(bad)\""),
            ("\"updatedAt\": \"2026-01-02T03:04:05Z\"", "\"updatedAt\": \"\(bad)\""))
        #expect(
            stateErrors(text) == [
                "state.json:9:20: error: createdAt '\(bad)' is not a UTC time like 2026-01-31T09:30:00Z",
                "state.json:18:20: error: updatedAt '\(bad)' is not a UTC time like 2026-01-31T09:30:00Z",
            ])
    }

    @Test func createdByMustBeAString() {
        #expect(
            stateErrors(edit(single, ("\"createdBy\": \"alice\"", "\"createdBy\": 7"))) == [
                "state.json:10:20: error: createdBy must be a string, not a number"
            ])
    }
}
