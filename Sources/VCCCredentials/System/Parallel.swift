import Dispatch
import Foundation
import Synchronization

/// Independent work run side by side on the machine's cores. Planning reads two kinds
/// of input (the manifests and the state) that do not depend on each other, and many
/// manifest files: there is no reason to read them one after another.
enum Parallel {
    /// The stack of the thread `both` starts: as large as a process's main thread gets by
    /// default on Linux, so a deep (but bounded) document parses there as it would here.
    static let threadStackSize = 8 << 20

    /// Runs `first` here and `second` on a thread of its own; both results, or the first
    /// error.
    ///
    /// The caller may be one of Swift concurrency's few cooperative threads (a test, a
    /// task). Blocking it while `second` waits for another pooled thread deadlocks
    /// whenever the pool has none to spare, so `second` gets a dedicated thread, which
    /// always runs, and the caller waits only for that.
    static func both<A: Sendable, B: Sendable, Failure: Error>(
        _ first: () throws(Failure) -> A, _ second: @escaping @Sendable () throws(Failure) -> B
    ) throws(Failure) -> (A, B) {
        let other = Mutex<Result<B, Failure>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            // Moved straight into `other`: no copy of it may outlive the signal, or a
            // result that owns something (a lock, whose release unlinks its file) would
            // still be held here when the caller is done with it and the process exits.
            other.withLock { $0 = Result { () throws(Failure) in try second() } }
            finished.signal()
        }
        thread.stackSize = threadStackSize
        thread.start()
        let mine = Result { () throws(Failure) in try first() }
        finished.wait()
        // Taken out, not copied: the thread's closure keeps `other` alive for as long as
        // the thread object lives.
        let theirs = other.withLock { $0.take() }!
        return (try mine.get(), try theirs.get())
    }

    /// `transform` applied to every element, in parallel, results in the input's order.
    /// The calling thread takes part (`concurrentPerform` runs iterations on it too), so
    /// it finishes even when no other thread is free.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let result = transform(items[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }
}
