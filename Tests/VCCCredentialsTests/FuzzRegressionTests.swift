import Foundation
import Testing
import VCCCredentials

// Inputs from the libFuzzer runs of `scripts/fuzz` (CONTRIBUTING.md "Fuzzing"), fed
// through the public API the way the fuzz targets in Fuzz/ feed them. No run has crashed a loader so
// far; these are the corpus inputs worth keeping: the one that broke a fuzz invariant, the
// deepest nesting, odd UTF-8, several files at once, hand-edited plans. Every crash a
// future run finds is added here with its exact bytes.

/// A fuzz input: base64 of the exact bytes (line breaks ignored).
private func bytes(_ base64: String) -> [UInt8] {
    guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
        preconditionFailure("bad base64 in a fuzz input")
    }
    return [UInt8](data)
}

/// Decoded once, as Fuzz/Common/FuzzSupport.swift does.
private let exampleState: State = {
    let path = DomainSamples.packageRoot + "/examples/acme/state.json"
    guard let data = FileManager.default.contents(atPath: path),
        let state = try? StateCodec.decode([UInt8](data), file: path)
    else { preconditionFailure("examples/acme/state.json does not load") }
    return state
}()

/// Renders a plan in every format and reads its JSON back, as `plan --out` and `show` do.
private func renderAndReread(_ document: PlanDocument, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for format in PlanFormat.allCases {
        #expect(!PlanPipeline.render(document, format: format, style: .plain).isEmpty, sourceLocation: sourceLocation)
    }
    let json = Array(PlanPipeline.render(document, format: .json, style: .plain).utf8)
    #expect((try? PlanFile.decode(json, file: "plan.json")) == document, sourceLocation: sourceLocation)
}

/// Every diagnostic of a refusal names the input file, at a line and column that exist
/// (libyaml puts the end of a stream without a final line break on the next line).
private func expectLocated(
    _ error: DiagnosticsError, in files: [String: [UInt8]], sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    #expect(!error.diagnostics.isEmpty, sourceLocation: sourceLocation)
    for diagnostic in error.diagnostics {
        guard let location = diagnostic.location, let mark = location.mark else { continue }
        guard let file = files[location.file] else {
            Issue.record("\(diagnostic) names a file that was not read", sourceLocation: sourceLocation)
            continue
        }
        let lines = file.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        #expect(mark.line >= 1 && mark.line <= lines + 1, "\(diagnostic)", sourceLocation: sourceLocation)
        #expect(mark.column >= 1 && mark.column <= file.count + 1, "\(diagnostic)", sourceLocation: sourceLocation)
    }
}

@Suite struct ManifestFuzzRegressionTests {
    /// The manifest target's file names: an input is split at 0xFF into up to four files.
    static let fileNames = ["a.yaml", "b/c.yaml", "b/d.yml", "e.yaml"]

    /// Loads `input` as Fuzz/ManifestFuzzer does, from a scratch folder on disk.
    static func load(_ input: [UInt8]) throws -> (
        Result<Desired, DiagnosticsError>, files: [String: [UInt8]], ScratchFolder
    ) {
        let folder = try ScratchFolder("vcc-creds-fuzz")
        var files: [String: [UInt8]] = [:]
        for (name, part) in zip(fileNames, input.split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false))
        {
            try folder.write(name, bytes: Array(part))
            files[folder.file(name)] = Array(part)
        }
        return (Result { () throws(DiagnosticsError) in try folder.load() }, files, folder)
    }

    static func errors(_ input: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
        let (result, files, folder) = try load(input)
        defer { folder.remove() }
        switch result {
        case .success(let desired):
            Issue.record(
                "expected the manifests to be rejected, but they loaded: \(desired)", sourceLocation: sourceLocation)
            return []
        case .failure(let error):
            expectLocated(error, in: files, sourceLocation: sourceLocation)
            return error.diagnostics.map { folder.shorten($0.description) }
        }
    }

    /// The first input to break a fuzz invariant (diagnostics point inside the file): a
    /// lone "[" is reported at 2:1 of a one-line file. That is libyaml's end of stream
    /// (PyYAML reports the same), kept as it is; the error itself is clean.
    @Test func anUnclosedFlowSequenceAtTheEndOfAOneLineFile() throws {
        #expect(
            try Self.errors(bytes("Ww==")) == [
                "a.yaml:2:1: error: did not find expected node content while parsing a flow node"
            ])
    }

    /// The deepest nesting in the corpus: 67 flow sequences, refused at level 65.
    @Test func flowSequencesNestedSixtySevenDeep() throws {
        let input = bytes(
            """
            c2V0dGluZ3M6IFtbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb
            W1tbW1s=
            """)
        #expect(try Self.errors(input) == ["a.yaml:1:74: error: nesting is deeper than 64 levels"])
    }

    /// An account name made of quotes, braces, "é" and a Thaana letter (U+0798, a
    /// right-to-left script), with no final line break: one plain scalar. Account ids
    /// name files, so it is refused, cleanly, where it stands.
    @Test func anAccountOfQuotesBracesAndCurlyQuotes() throws {
        let input = bytes(
            """
            YWNjb3VudDogYXsiZW5zdXJlIjoiw6k63phsZCIiOt6YbGQtcmVhYXsiZW5zdXJlIjoiYWxpY2VAYWNtZS5lMHhhbXBsZcOp
            Ot6YbGQiIjremGxkLXJlYXJlIjoiw6k63phsZCIiOt6YbGRwbyIt3phsOiLDqTremGxkIiI63phsZC1yZWFyZSI6IsOpOt6Y
            bGQiIjremGw=
            """)
        let errors = try Self.errors(input)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("a.yaml:1:10: error: account 'a{\"ensure\":") == true, "\(errors)")
        #expect(
            errors.first?.hasSuffix(
                "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names files)")
                == true)
    }

    /// The example manifests mangled across four files (split at 0xFF): they still load,
    /// plan as an admin and as a supervisor, and every plan renders and reads back.
    @Test func fourMangledFilesLoadAndPlan() throws {
        let input = bytes(
            """
            IyB5YW1sLWxhbmd1YWdlLXNlcnZlcjogJHNjaGVlLgphY2NvdW50OiBhY21lCnNldHRpbmdzOgogIHBydW5lOiBmYWxzZSAg
            ICAgICMgdW5uYW1lZCBjcmVkZW50aWFscyBhcmUgcmVwb3J0ZWQgYXMgdW5tYW5hZ2VkLCBuZXZlciBkZWxldGVkCiAgbWF4
            RGVsZXRlczogMTAgICAgIyBhIHBsYW4gZGVsZXRpbmcgbW9yZSB0aGFuIHRoaXMgcmVmdXNlcyBldmVyeSBkZWxldGlvbgr/
            IyB5YW1sLWxhbmd1YWdlLXNlcnZlcjogJHNjaGVtc2VyeW9uZSB3aG8gaG9sZHMsIG1hbmFnZXMgb3IgaXMgbmFtZWQgYnkg
            YSBjcmVkZW50aWFsLgp1c2VyczoKICAtIGlkOiBhbGljZUBhY21lLmlkOm1wbGUKICAgIG5hbWU6IEFsaWNlIEV4YW1wbGUK
            ICAgIGxpY2Vuc2U6IGFkbWluCiAgLSBpZDogYm9iQGFjbWUuZXhhbXBsZQogICAgbmFtZTogQm9iIEJ1aWxkZXIKICAgIGxp
            Y2Vuc2U6IGFkbWluCiAgLSBpZDogc2FtQGFjbWUuZXhhbXBsZQogICAgbmFtZTogU2FtIFN1cGVydmlzb3IKICAgIGxpY2Vu
            c2U6IHN1cGVydmlzb3IKICAtIGlkOiBzb2ZpYUBhY21lLmV4YW1wbGUKICAgIG5hbWU6IFN4ZmlhIExlYWQKICAgIGxpY2Vu
            c2U6IHN1cGVydmlzb3IKICAtIGlkOiBzaWRAYWNtZS5leGFtYWNtZXBsZQogICAgbmFtZTogU2lkIE5pZ2h0cwogICAgbGlj
            ZW5zZTogc3VwZXJ2aXNvcgogIC0gaWQ6IGFuYUBhY21lLmV4YW1wbGUKICAgIG5hbWU6IEFuYSBBZ2VudAogICAgbGljZW5z
            ZTogYWdlbnQKICAtIGlkOiBhbmR5QGFjbWUuZXhhbXBsZSAgICAgICAgIyBuZXcgaGlyZTogb25seSBhbiBhZG1pbiBjYW4g
            Y3JlYXRlIHVzZXJzCiAgICBuYW1lOiBBbmR5IEFnZW50CiAgICBsaWNlbnNlOiBhZ2VudAogIC0gaWQ6IGxvYmJ5LXdnbG9i
            YWxwY2lhY21lLmV4YW1wbGUKICAgIG5hbWU6IExvYmJ5IFdhbGxib2FyZAogICAgbGljZW5zZTogd2FsbGJvYXJkCv8jIHlh
            bWwtbGFuZ3VhZ2Utc2VydmVyOiAkc2NoZW1hPS4uLy4uL3NjaGVtYS92Y2MtY3JlZHMuc2NoZW1hY2hlbWE9Li4vLi4vc2No
            ZW1hL3ZjYy1jcmVkcy5zY2hlbWEuanNvbgojIEFjY291bnQtbGV2ZWwgY3JlZGVudGlhb3JlIHRoYW4gdGhpcyByZWZ1c2Vz
            IGV2ZXJ5IGRlbGV0aW9uCv8jIHlhbWwtbGFuZ3VhZ2Utc2VydmVyOiAkc2NoZW1scyBhcmUgZGVwcmVjYXRlZDogZXhpc3Rp
            bmcgb25lcyBhcmUgYWRvcHRlZCBieSBjbGllbnQgSUQsCiMgbmV2ZXIgY3JlYXRlZC4KY3JlZGVudGlhbHM6CiAgLSBuYW1l
            OiB3YWxsYm9hcmQtbGVnYWN5CiAgICBsZXZlbDogYWNjb3VudAogICAgY2xpZW50SWQ6IDJmMWMyZjhlLTliM2QtNGMxYS04
            ZTJmLTVhN2I5YzBkMWUyZgogICAgc2NvcGVzOiBbc3RhdHNdCg==
            """)
        let (result, _, folder) = try Self.load(input)
        defer { folder.remove() }
        let desired = try result.get()
        #expect(desired.files.count == 4)
        #expect(desired.account == "acme")
        #expect(desired.users.count == 8)
        #expect(desired.credentials.count == 1)
        for actor in ["alice@acme.example", "sam@acme.example"] {
            let plan = try Planner.plan(
                desired: desired, state: exampleState, actors: [actor], statePath: "state.json", context: .test)
            renderAndReread(
                PlanDocument(
                    plan, stateSHA256: String(repeating: "0", count: 64),
                    manifestsDigest: String(repeating: "0", count: 64)))
        }
    }
}

@Suite struct StateFuzzRegressionTests {
    static func decode(_ input: [UInt8]) -> Result<State, DiagnosticsError> {
        Result { () throws(DiagnosticsError) in try StateCodec.decode(input, file: "state.json") }
    }

    /// What Fuzz/StateFuzzer checks of a state that loads: the canonical bytes read back as
    /// the same state, and export as `actor` plans with no changes.
    static func expectRoundTrips(
        _ state: State, actor: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        #expect(
            try StateCodec.decode(StateCodec.encode(state), file: "state.json") == state.sorted(),
            sourceLocation: sourceLocation)
        let folder = try ScratchFolder("vcc-creds-fuzz")
        defer { folder.remove() }
        try folder.write("adopted.yaml", Exporter.export(state, actor: actor, statePath: "state.json"))
        let plan = try Planner.plan(
            desired: folder.load(), state: state, actors: [actor], statePath: "state.json", context: .test)
        #expect(plan.changes.isEmpty, sourceLocation: sourceLocation)
    }

    /// The deepest nesting in the corpus: "users" holding 65 nested arrays.
    @Test func arraysNestedSixtyFiveDeep() {
        let input = bytes(
            """
            eyJ1c2VycyI6W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb
            W11dXV1dXV1dXV1dfQ==
            """)
        switch Self.decode(input) {
        case .success(let state): Issue.record("decoded: \(state)")
        case .failure(let error):
            expectLocated(error, in: ["state.json": input])
            #expect(
                error.diagnostics.map(\.description) == ["state.json:1:73: error: nesting is deeper than 64 levels"])
        }
    }

    /// A user id with an emoji (four UTF-8 bytes) and two "@", in an account whose id has
    /// a space. The account id is refused (it names files); with a path-safe one the
    /// same state is valid, and it survives the writer, export and planning.
    @Test func aUserIdWithAnEmoji() throws {
        let input = bytes(
            """
            ewogICJhY2NvdW50IjogewogICAgImFwaUNyZWRlbnRpYWxzRW5hYmxlZCI6IHRydWUsCiAgICAiaWQiOiJ3Y2Ugb24iCiAg
            fSwKICAiY3JlZGVudGlhbHMiOiBbXSwKICAiZm9ybWF0VmVyc2lvbiI6IDEsCiAgImxpbmVhZ2UiOiAiMDc1Njg4NTYtNTEz
            OS00ZDViLTliMmYtMjY5NTI1ZmViZWNmIiwKICAic2VyaWFsIjogMiwKICAidXNlcnMiOiBbCiAgICB7CiAgICAgICJpZCI6
            ICJyb290QG5ld/CfmIBjby5leGFAbXBsZSIsCiAgICAgICJsaWNlbnNlIjogImFkbWluIiwKICAgICAgIm5hbWUiOiAiUm9v
            dCBBZG1pbiIKICAgIH0KICBdCn0K
            """)
        switch Self.decode(input) {
        case .success(let state): Issue.record("decoded an account id with a space: \(state.account.id)")
        case .failure(let error):
            expectLocated(error, in: ["state.json": input])
            #expect(
                error.diagnostics.map(\.description) == [
                    "state.json:4:10: error: account id 'wce on' must be 1 to 64 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit (it names files)"
                ])
        }
        let pathSafe = Array(
            String(decoding: input, as: UTF8.self).replacingOccurrences(of: "wce on", with: "wce-on").utf8)
        let state = try Self.decode(pathSafe).get()
        #expect(state.account.id == "wce-on")
        #expect(state.users.map(\.id) == ["root@new\u{1F600}co.exa@mple"])
        try Self.expectRoundTrips(state, actor: "root@new\u{1F600}co.exa@mple")
    }

    /// A user id and a `createdBy` spelled with surrogate-pair escapes (\\ud83d\\ude00):
    /// decoded to the emoji, written back as UTF-8, and the same state again when read.
    /// (`createdBy` need not name a current user: users are deleted, credentials stay.)
    @Test func surrogatePairEscapesInUserIds() throws {
        let state = try Self.decode(
            bytes(
                """
                eyJhY2NvdW50Ijp7ImFwaUNyZWRlbnRpYWxzRW5hYmxlZCI6dHJ1ZSwiaWQiOiJhY21lIn0sImNyZWRlbnRpYWxzIjpbeyJj
                bGllbnRJZCI6IjM2ZjY3NWNjLTgxZTctNGVmNS1hOGUyLTVkOTQwZWQ5MDQ3NSIsImNyZWF0ZWRBdCI6IjIwMjYtMDYtMDNU
                MTA6MDA6MjBaIiwiY3JlYXRlZEJ5Ijoic2FtQGFjbWUuZXhhbXBsZSIsImxldmVsIjoidXNlciIsIm5hbWUiOiJ0ZWFtLWRh
                c2hib2FyZCIsIm93bmVyIjoic2FtQGFjbWUuZXhhbXBsZSIsInNjb3BlcyI6WyJ1c2VyczpyZWFkIl0sInNlY3JldFNoYTI1
                NiI6IjVhNWVhNjNmMGNiMzFiYmEzNzZkZDgzMzMwMzg1MjU0YmVkNWJkOTY2ZmI4YjZmNWZjMzQ2YjVjMzY3MDczODkiLCJ1
                cGRhdGVkQXQiOiIyMDI2LTA2LTAzVDEwOjAwOjAwWiJ9LHsiY2xpZW50SWQiOiI2NTEzMjcwZS0yNjllLTRkMzctYjJhNy00
                ZGU0NTJlNmI0MzgiLCJjcmVhdGVkQXQiOiIyMDI2LTAzLTAyVDA5OjE1OjAwWiIsImNyZWF0ZWRCeSI6ImFsaWNlQGFjbWUu
                ZXhhbXBsZSIsImxldmVsIjoidXNlciIsIm5hbWUiOiJjcm0tc3luYyIsIm93bmVyIjoiYWxpY2VAYWNtZS5leGFtcGxlIiwi
                c2NvcGVzIjpbInVzZXJzOnJlYWQiLCJ1c2Vyczp3cml0ZSJdLCJzZWNyZXRTaGEyNTYiOiJiZWJmMWIzMWYzYmY1MTAyN2E2
                YzM2MWViODQxMjQ4NTRmYzIwNDM2NzNkYmE2NzI2YjJmYmExZTVmNDU4Yzg0IiwidXBkYXRlZEF0IjoiMjAyNi0wMy0wMlQw
                OToxNTowMFoifSx7ImNsaWVudElkIjoiNmIwZDU0OWItNmYwMy00NzVhLTk2MDAtYTM1YTA5OTk1MGQ4IiwiY3JlYXRlZEF0
                IjoiMjAyNS0xMS0yOFQxNjo0NTowMFoiLCJjcmVhdGVkQnkiOiI5MjIzMzcyMDM2ODU0Nzc1ODA4c2FtQGFjbWUuZXhhbXBs
                ZSIsImxldmVsIjoidXNlciIsIm5hbWUiOiJvbGQtcmVwb3J0Iiwib3duZXIiOiJzYW1AYWNtZS5leGFtcGxlIiwic2NvcGVz
                IjpbImludGVyYWN0aW9uLWNvbnRlbnQ6cmVhZCJdLCJzZWNyZXRTaGEyNTYiOiIxMjFjNzljZDk0ZTBhZmRkZWIyOWE5NWM5
                Y2I0YjM0YmM1YjUyZDViMzk5NDAxZjMwMDJiYzU0YTUyNTdlZjJiIiwidXBkYXRlZEF0IjoiMjAyNS0xMS0yOFQxNjo0NTow
                MFoifSx7ImNsaWVudElkIjoiNmYxYzJmOGUtOWIzZC00YzFhLThlMmYtNWE3YjljMGQxZTJmIiwiY3JlYXRlZEF0IjoiMjAy
                My0wMS0wOVQwODowMDowMFoiLCJjcmVhdGVkQnkiOiJhbGljZUBhY21lLmV4YW1tZS5leGFtcGxcdWQ4M2RcdWRlMDBlIiwi
                bGV2ZWwiOiJ1c2VyIiwibmFtZSI6Imluc2lnaHRzLWV4cG9ydCIsIm93bmVyIjoiYWxpY2VAYWNtZS5leGFtcGxlIiwic2Nv
                cGVzIjpbInN0YXRzIl0sInNlY3JldFNoYTI1NiI6IjYwZDNkMTgwZDU1Mjc2YWE4ZTM2ZmUzOWUxZDA0OGMxMWZkMjA4Mzcw
                Y2U4NWFlZjY2MWFkNDc5ZThkMTVjMTgiLCJ1cGRhdGVkQXQiOiIyMDI2LTA0LTExVDE0OjAyOjAwWiJ9XSwiZm9ybWF0VmVy
                c2lvbiI6MSwibGluZWFnZSI6IjJiN2U0YzFhLTVkNmYtMmE4Yi05YzBkLTFlMmYzYTRiNWM2ZCIsInNlcmlhbCI6NywidXNl
                cnMiOlt7ImlkIjoiYWxpY2VAYWNtZS5leGFtcGxlIiwibGljZW5zZSI6ImFkbWluIiwibmFtZSI6IkFsaWNlIEV4YW1wbGUi
                fSx7ImlkIjoiYW5hQGFjbWUuW11hbXBsZSIsImxpY2Vuc2UiOiJhZ2VudCIsIm5hbWUiOiJBbmEgQWdlbnQifSx7ImlkIjoi
                Ym9iQGFjbWUuZXhhbXBsZSIsImxpY2Vuc2UiOiJhZG1pbiIsIm5hbWUiOiJCb2IgQnVpbGRlciJ9LHsiaWQiOiJsb2JieS13
                YWxsYm9hcmRAYWNtZS5leGFtcGxlIiwibGljZW5zZSI6IndhbGxib2FyZCIsIm5hbWUiOiJMb2JieSBXYWxsYm9hcmQifSx7
                ImlkIjoic2FtQGFjbWUuZXhhbXBsZSIsImxpY2Vuc2UiOiJzdXBlcnZpc29yIiwibmFtZSI6IlNhbSBTdXBlcnZpc29yIn0s
                eyJpZCI6InNpZFx1ZDgzZFx1ZGUwMGUiLCJsaWNlbnNlIjoic3VwZXJ2aXNvciIsIm5hbWUiOiJTaWQgTmlnaHRzIn0seyJp
                ZCI6InNvZmlhQGFjbWUuZXhhbXBsZSIsImxpY2Vuc2UiOiJzdXBlcnZpc29yIiwibmFtZSI6IlNvZmlhIExlYWQifV19
                """)
        ).get()
        #expect(state.users.contains { $0.id == "sid\u{1F600}e" })
        #expect(state.credentials.contains { $0.createdBy == "alice@acme.examme.exampl\u{1F600}e" })
        let encoded = String(decoding: StateCodec.encode(state), as: UTF8.self)
        #expect(encoded.contains("sid\u{1F600}e") && !encoded.contains("\\ud83d"))
        for user in state.users { try Self.expectRoundTrips(state, actor: user.id) }
    }
}

@Suite struct PlanFileFuzzRegressionTests {
    /// The deepest nesting in the corpus: 65 arrays after two blank lines.
    @Test func arraysNestedSixtyFiveDeep() {
        let input = bytes(
            """
            CgpbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbWw==
            """)
        do {
            let plan = try PlanFile.decode(input, file: "plan.json")
            Issue.record("decoded: \(plan)")
        } catch {
            expectLocated(error, in: ["plan.json": input])
            #expect(error.diagnostics.map(\.description) == ["plan.json:3:65: error: nesting is deeper than 64 levels"])
        }
    }

    /// A hand-edited plan: a lineage that is not a UUID, an 8-digit manifests digest and a
    /// DEL in the state path. The control character is refused (a plan's text is printed
    /// back to terminals), with its position.
    @Test func aHandEditedPlanWithAControlCharacterIsRefused() throws {
        let input = bytes(
            """
            ewogICJhY2NvdW50IjogImFjbWUiLAogICJhY3RvciI6ICJhbGljZUBhY21lLmV4YW1wbGUiLAogICJhY3RvckxpY2Vuc2Ui
            OiAiYWRtaW4iLAogICJjaGFuZ2VzIjogW10sCiAgImZvcm1hdFZlcnNpb24iOiAxLAogICJoaWRkZW4iOiB7CiAgICAiY3Jl
            ZGVudGlhbHMiOiAwLAogICAgInVzZXJzIjogMAogIH0sCiAgImlucHV0cyI6IHsKICAgICJtYW5pZmVzdHMiOiAiL3RtcC9l
            eHBtIiwKICAgICJzdGF0ZSI6ICJleGFtcGxlcy9hY21lL3N0YXRlLmpzf24iCiAgfSwKICAibWFuaWZlc3RzRGlnZXN0Ijog
            IjI1NjBmMmE3IiwKICAic3RhdGUiOiB7CiAgICAibGluZWFnZSI6ICIyYjdlNGMxYS01ZGYtNGE4Yi05YzBkLTFlMmYzYTRi
            NWM2ZCIsCiAgICAic2VyaWFsIjogNywKICAgICJzaGEyNTYiOiAiOGE5MmVmMGQxYWYzYWE0YWQzNjgyNWU0MjA4M2MxNTM0
            ZWIyNDViOTEwYTUwMjdlZDNhZDdkZGRkOWMzNjk2MyIKICB9LAogICJzdW1tYXJ5IjogewogICAgImNyZWF0ZSI6IDAsCiAg
            ICAiZGVsZXRlIjogMCwKICAgICJyZWZ1c2VkIjogMCwKICAgICJ1cGRhdGUiOiAwCiAgfSwKICAidG9vbFZlcnNpb24iOiAi
            MC4xLjAiLAogICJ1bm1hbmFnZWQiOiB7CiAgICAiY3JlZGVudGlhbHMiOiBbXSwKICAgICJ1c2VycyI6IFtdCiAgfQp9Cg==
            """)
        // Found in format 1; brought to format 2 (one line fewer above the state path).
        let current = Array(
            String(decoding: input, as: UTF8.self)
                .replacingOccurrences(
                    of: "\"actor\": \"alice@acme.example\",\n  \"actorLicense\": \"admin\",",
                    with: "\"actors\": [{\"id\": \"alice@acme.example\", \"license\": \"admin\"}],"
                )
                .replacingOccurrences(of: "\"formatVersion\": 1", with: "\"formatVersion\": 3")
                // Format 3's time, on the digest's line: every position below stays.
                .replacingOccurrences(
                    of: "\"manifestsDigest\":", with: "\"plannedAt\": \"2026-01-01T00:00:00Z\", \"manifestsDigest\":"
                ).utf8)
        do {
            let plan = try PlanFile.decode(current, file: "plan.json")
            Issue.record("decoded: \(plan)")
        } catch {
            expectLocated(error, in: ["plan.json": current])
            #expect(
                error.diagnostics.map(\.description) == [
                    "plan.json:12:14: error: inputs.state contains a control character or line separator"
                ])
        }
    }
}
