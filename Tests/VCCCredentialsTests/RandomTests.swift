import Testing

@testable import VCCCredentials

@Suite struct RandomTests {
    /// Only the version nibble (4) and the variant bits (10) are fixed; every other bit
    /// is the random byte's, whatever it was.
    @Test func setsTheVersionAndVariantBitsAndKeepsTheRest() {
        #expect(RandomUUID.text(from: [UInt8](repeating: 0x00, count: 16)) == "00000000-0000-4000-8000-000000000000")
        #expect(RandomUUID.text(from: [UInt8](repeating: 0xFF, count: 16)) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(RandomUUID.text(from: Array(0..<16)) == "00010203-0405-4607-8809-0a0b0c0d0e0f")
    }

    /// A source and a stream over the same bytes mint the same UUID.
    @Test func sourceAndStreamAgree() {
        let source = SeededRandom(seed: 3)
        var stream = RandomStream(SeededRandom(seed: 3), blockSize: 16)
        #expect(source.uuid() == stream.uuid())
        #expect(Identifiers.isLowercaseUUID(stream.uuid()))
    }

    /// The system source gives the bytes asked for, in one call however many.
    @Test func systemRandomGivesTheCountAsked() {
        #expect(SystemRandom().randomBytes(0).isEmpty)
        let many = SystemRandom().randomBytes(100_000)
        #expect(many.count == 100_000)
        // 100,000 bytes all zero would mean nothing was written.
        #expect(many.contains { $0 != 0 })
        #expect(SystemRandom().randomBytes(32) != SystemRandom().randomBytes(32))
    }
}
