import Dispatch
import Foundation
import Testing

@testable import VCCCredentials

@Suite struct ParallelTests {
    /// `both` is called from Swift concurrency's cooperative threads, of which there are
    /// only as many as cores. Each call here blocks its caller until its own `second` has
    /// run: if `second` needed a free pooled thread, more calls than threads would wait
    /// for ever. Every one must finish, and promptly.
    @Test func bothFinishesWhenEveryPooledThreadIsWaiting() async {
        let calls = ProcessInfo.processInfo.activeProcessorCount * 8
        let finished = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<calls {
                group.addTask {
                    let ran = DispatchSemaphore(value: 0)
                    let (sawSecond, value) = Parallel.both(
                        { ran.wait(timeout: .now() + 20) == .success },
                        {
                            ran.signal()
                            return 42
                        })
                    return sawSecond && value == 42
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(finished.count == calls)
        #expect(finished.allSatisfy { $0 }, "a caller waited 20 s for its second half")
    }

    /// Results come back in order and the first error wins, whichever half throws.
    @Test func bothReturnsBothResultsOrAnError() throws {
        struct Failed: Error, Equatable { let side: String }
        let pair = try Parallel.both({ () throws(Failed) in "here" }, { () throws(Failed) in 7 })
        #expect(pair.0 == "here" && pair.1 == 7)
        #expect(throws: Failed(side: "second")) {
            try Parallel.both({ () throws(Failed) in 1 }, { () throws(Failed) -> Int in throw Failed(side: "second") })
        }
        #expect(throws: Failed(side: "first")) {
            try Parallel.both(
                { () throws(Failed) -> Int in throw Failed(side: "first") },
                { () throws(Failed) -> Int in throw Failed(side: "second") })
        }
    }

    @Test func mapKeepsTheInputOrder() {
        let items = Array(0..<200)
        #expect(Parallel.map(items) { $0 * 3 } == items.map { $0 * 3 })
    }
}
