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

    /// A job retries a lock and plans again for a stale plan, so the two exit apart.
    @Test func aLockExitsFiveAndAStalePlanFour() {
        let locked = ApplyError.locked(statePath: "state.json", holder: "pid 7 on ci since 2026-01-02T03:04:05Z\n")
        #expect(locked.exitStatus.rawValue == 5)
        #expect(
            locked.description
                == "state.json: error: is locked by another run (pid 7 on ci since 2026-01-02T03:04:05Z); retry "
                + "later or pass --lock-timeout SECONDS"
        )
        let stale = StalePlanError(
            planFile: "plan.json", stale: StalePlan(binding: .stateSerial, planned: "7", current: "8"))
        #expect(stale.exitStatus.rawValue == 4)
    }
}
