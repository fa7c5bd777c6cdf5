import Foundation
import Testing
import VCCCredentials

@Suite struct TimestampTests {
    @Test func formatsADateInUTC() {
        // 2026-01-02T03:04:05Z is 20454 days + 1 day + 3h 4m 5s after the epoch.
        #expect(Timestamp(Date(timeIntervalSince1970: 1_767_323_045)).text == "2026-01-02T03:04:05Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 0)).text == "1970-01-01T00:00:00Z")
        // A leap day, one second before midnight.
        #expect(Timestamp(Date(timeIntervalSince1970: 1_709_251_199)).text == "2024-02-29T23:59:59Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 1_709_251_199)).description == "2024-02-29T23:59:59Z")
    }

    @Test func dropsFractionsOfASecond() {
        #expect(Timestamp(Date(timeIntervalSince1970: 1_767_323_045.999)).text == "2026-01-02T03:04:05Z")
        #expect(Timestamp(Date(timeIntervalSince1970: 1_767_323_045.001)).text == "2026-01-02T03:04:05Z")
    }

    @Test func formattedTextParsesBack() throws {
        for seconds in [0.0, 951_782_400, 1_709_251_199, 1_767_323_045, 4_102_444_799] {
            let stamp = Timestamp(Date(timeIntervalSince1970: seconds))
            let parsed = try #require(Timestamp(stamp.text), "\(stamp.text)")
            #expect(parsed == stamp)
        }
    }

    @Test(arguments: [
        "2026-01-02T03:04:05Z", "2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2026-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z", "2026-04-30T00:00:00Z",
    ])
    func acceptsTheCanonicalForm(_ text: String) {
        #expect(Timestamp(text)?.text == text)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00+00:00", "2026-01-01 00:00:00Z", "2026-01-01t00:00:00z",
        "2026-1-01T00:00:00Z", "26-01-01T00:00:00Z", "2026-01-01", "", " 2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z ", "２０２６-01-01T00:00:00Z", "2026/01/01T00:00:00Z", "+026-01-01T00:00:00Z",
        // Days that do not exist in their month.
        "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z",
        "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "1900-02-29T00:00:00Z",
    ])
    func rejectsEverythingElse(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func ordersByTime() throws {
        let earlier = try #require(Timestamp("2025-12-31T23:59:59Z"))
        let later = try #require(Timestamp("2026-01-01T00:00:00Z"))
        #expect(earlier < later)
        #expect(!(later < earlier))
    }
}

@Suite struct IdentifierTests {
    @Test func lowercaseUUID() {
        #expect(Identifiers.isLowercaseUUID("6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"))
        #expect(Identifiers.isLowercaseUUID("00000000-0000-0000-0000-000000000000"))
        for bad in [
            "6F1C2F8E-9B3D-4C1A-8E2F-5A7B9C0D1E2F", "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2F",
            "6f1c2f8e9b3d4c1a8e2f5a7b9c0d1e2f", "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2",
            "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f0",
            "{6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f}", "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2g",
            "6f1c2f8e_9b3d-4c1a-8e2f-5a7b9c0d1e2f",
            "6f1c2f8e-9b3d4-c1a-8e2f-5a7b9c0d1e2f", "", "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2é",
        ] {
            #expect(!Identifiers.isLowercaseUUID(bad), "\(bad)")
        }
        // What the random source mints passes.
        #expect(Identifiers.isLowercaseUUID(SystemRandom().uuid()))
    }

    @Test func sha256Hex() {
        #expect(Identifiers.isSHA256Hex(String(repeating: "a", count: 64)))
        #expect(!Identifiers.isSHA256Hex(String(repeating: "A", count: 64)))
        #expect(!Identifiers.isSHA256Hex(String(repeating: "a", count: 63)))
        #expect(!Identifiers.isSHA256Hex(String(repeating: "a", count: 65)))
        #expect(!Identifiers.isSHA256Hex(String(repeating: "g", count: 64)))
    }

    @Test func userIdProblem() {
        #expect(Identifiers.userIdProblem("alice@acme.example") == nil)
        #expect(Identifiers.userIdProblem("o'brien+ops@acme.example") == nil)
        #expect(Identifiers.userIdProblem("zoë") == nil)
        #expect(Identifiers.userIdProblem("") == "user id is empty")
        #expect(Identifiers.userIdProblem("ops/alice") == "user id 'ops/alice' contains '/'")
        // Control characters are shown escaped, so the message stays one line.
        let shown = [
            "alice smith": "alice smith", " alice": " alice", "alice ": "alice ", "a\tb": "a\\u{9}b",
            "a\nb": "a\\u{A}b", "a\u{7F}b": "a\\u{7F}b", "a\u{1}b": "a\\u{1}b", "a\u{A0}b": "a\\u{A0}b",
            "a\u{2003}b": "a\\u{2003}b",
        ]
        for (bad, quoted) in shown {
            #expect(
                Identifiers.userIdProblem(bad) == "user id '\(quoted)' contains whitespace or a control character",
                "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // The message shows the invisible character escaped: a reader must see it.
        #expect(
            Identifiers.userIdProblem("a\u{FEFF}b")
                == "user id 'a\\u{FEFF}b' contains an invisible or blank character (U+FEFF)")
        #expect(
            Identifiers.userIdProblem("a\u{200B}b")
                == "user id 'a\\u{200B}b' contains an invisible or blank character (U+200B)")
        #expect(
            Identifiers.userIdProblem("sam\u{202E}@t")
                == "user id 'sam\\u{202E}@t' contains an invisible or blank character (U+202E)")
    }

    /// Account ids name files (`secrets/ACCOUNT-SERIAL.age`): letters, digits, `.`, `_`,
    /// `-`, starting with a letter or digit, at most 64 characters; nothing that walks
    /// out of a folder.
    @Test func accountIdProblem() {
        for good in ["acme", "acme-prod", "Acme_2.eu", "a", "9", String(repeating: "a", count: 64)] {
            #expect(Identifiers.accountIdProblem(good) == nil, "\(good)")
        }
        for bad in [
            "../../escaped", "..", ".", "a/b", "-acme", ".acme", "_acme", "acme prod", "acme\u{200B}", "é",
            String(repeating: "a", count: 65), "a\nb",
        ] {
            let problem = Identifiers.accountIdProblem(bad)
            #expect(
                problem?.hasSuffix(
                    "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names files)"
                ) == true, "\(bad): \(problem ?? "accepted")")
        }
        #expect(Identifiers.accountIdProblem("") == "account id is empty")
        #expect(
            Identifiers.accountIdProblem("a b", what: "account")
                == "account 'a b' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit "
                + "(it names files)"
        )
    }

    /// Credential names are read by reviewers: nothing invisible in them (two names that
    /// look the same must be the same), but any visible script.
    @Test func credentialNameProblem() {
        #expect(Identifiers.credentialNameProblem("crm sync") == nil)
        #expect(Identifiers.credentialNameProblem("naïve café 💳") == nil)
        #expect(
            Identifiers.credentialNameProblem("crm\u{200B}-sync")
                == "credential name 'crm\\u{200B}-sync' contains an invisible or blank character (U+200B)")
        #expect(
            Identifiers.credentialNameProblem("\u{202E}cnys-mrc")
                == "credential name '\\u{202E}cnys-mrc' contains an invisible or blank character (U+202E)")
        #expect(Identifiers.credentialNameProblem("a\u{2066}b\u{2069}") != nil)
        #expect(
            Identifiers.credentialNameProblem("a\tb")
                == "credential name contains a control character or line separator")
        #expect(Identifiers.credentialNameProblem(" ") == "credential name is empty")
        // Display names may hold format characters: a Persian name's zero-width non-joiner.
        #expect(Identifiers.nameProblem("\u{0645}\u{06CC}\u{200C}\u{0634}\u{0648}\u{062F}", what: "user name") == nil)
    }

    @Test func nameProblem() {
        #expect(Identifiers.nameProblem("crm sync", what: "credential name") == nil)
        #expect(Identifiers.nameProblem("", what: "credential name") == "credential name is empty")
        #expect(Identifiers.nameProblem("   ", what: "account") == "account is empty")
        #expect(
            Identifiers.nameProblem("a\nb", what: "user name")
                == "user name contains a control character or line separator")
        #expect(Identifiers.nameProblem("a\u{85}b", what: "name") != nil)
        #expect(Identifiers.nameProblem("a\u{2028}b", what: "name") != nil)
        #expect(Identifiers.nameProblem("naïve café 💳", what: "name") == nil)
    }
}

/// Timestamps are kept as seconds; text in, text out must be the identity, across the
/// calendar's corners.
@Suite struct TimestampRoundTripTests {
    @Test(arguments: [
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z", "1900-03-01T00:00:00Z",
        "2026-11-30T01:18:58Z", "2100-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        "2024-02-29T00:00:01Z", "1600-02-29T10:10:10Z",
    ])
    func textRoundTrips(_ text: String) throws {
        let stamp = try #require(Timestamp(text))
        #expect(stamp.text == text)
        #expect(Timestamp(seconds: stamp.seconds) == stamp)
    }

    @Test func secondsAreUnixTime() throws {
        #expect(try #require(Timestamp("1970-01-01T00:00:00Z")).seconds == 0)
        #expect(try #require(Timestamp("2026-01-01T00:00:00Z")).seconds == 1_767_225_600)
        #expect(Timestamp(Date(timeIntervalSince1970: 1_767_225_600.9)).text == "2026-01-01T00:00:00Z")
        #expect(try #require(Timestamp("1969-12-31T23:59:59Z")).seconds == -1)
    }
}
