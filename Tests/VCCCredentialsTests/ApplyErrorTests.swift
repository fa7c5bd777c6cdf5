import AgeEncryption
import Testing

@testable import VCCCredentials

/// How apply's errors read: one diagnostic each, naming the file and what to do.
@Suite struct ApplyErrorTests {
    /// age refusing to seal is told as that, at the sealed path, not as a disk error.
    @Test func aSealingFailureIsNotToldAsAFileSystemError() {
        let error = ApplyError.sealingFailed(path: "secrets/acme-8.age", .invalidKey("no recipients"))
        #expect(error.diagnostics.count == 1)
        let line = error.description
        #expect(line.hasPrefix("secrets/acme-8.age: error: could not seal the new secrets: "), "\(line)")
        #expect(line.hasSuffix("; nothing was changed"), "\(line)")
        #expect(!line.contains("cannot seal"), "\(line)")
        #expect(error.exitStatus == .failure)
    }
}
