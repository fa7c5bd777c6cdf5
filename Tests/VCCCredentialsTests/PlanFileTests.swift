import Foundation
import Testing

@testable import VCCCredentials

/// What the plan-file reader accepts from plans written before the format settled.
@Suite struct PlanFileTests {
    static func document() throws -> PlanDocument {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let loaded = try StateStore().load(root.appendingPathComponent("examples/acme/state.json").path)
        let desired = try ManifestLoader().load(directory: root.appendingPathComponent("manifests").path)
        let plan = try Planner.plan(
            desired: desired, state: loaded.state, actors: ["sam@acme.example"], statePath: "s", context: .test)
        return PlanDocument(plan, stateSHA256: loaded.sha256, manifestsDigest: desired.digest)
    }

    /// `"hidden": {..., "users": N}` as older plans wrote it.
    static func withHiddenUsers(_ count: Int) throws -> [UInt8] {
        let text = String(decoding: PlanFile.encode(try document()), as: UTF8.self)
        let old = text.replacingOccurrences(of: "\"entries\": 5\n", with: "\"entries\": 5,\n    \"users\": \(count)\n")
        try #require(old != text)
        return Array(old.utf8)
    }

    @Test func anOlderPlanWithHiddenUsersZeroReadsAsTheSamePlan() throws {
        #expect(try PlanFile.decode(Self.withHiddenUsers(0), file: "plan.json") == Self.document())
    }

    @Test func hiddenUsersOtherThanZeroIsRefusedWithItsPosition() throws {
        let error = try #require(throws: DiagnosticsError.self) {
            try PlanFile.decode(Self.withHiddenUsers(2), file: "plan.json")
        }
        #expect(error.description.hasPrefix("plan.json:"), "\(error)")
        #expect(error.description.contains("hidden.users must be at most 0, not 2"), "\(error)")
    }
}

/// The Markdown footer names the plan by its digest, the saved plan's: escaping a name for
/// display must not change which plan it names.
@Suite struct PlanDigestDisplayTests {
    @Test func theMarkdownFooterNamesThePlanAsSavedNotAsEscaped() throws {
        var document = try PlanFileTests.document()
        let index = try #require(document.changes.firstIndex { $0.kind == .credential })
        guard case .credential(var target) = document.changes[index].target else { return }
        target.name = "dash\u{1B}[2Jboard"
        document.changes[index].target = .credential(target)
        let markdown = PlanMarkdown.render(document)
        #expect(markdown.contains("plan `sha256:\(PlanFile.digest(document).prefix(16))`"), "\(markdown.suffix(300))")
        #expect(!markdown.contains("\u{1B}"))
    }
}
