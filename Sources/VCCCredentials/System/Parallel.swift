import Dispatch
import Synchronization

/// Independent work run side by side on the machine's cores. Planning reads two kinds
/// of input (the manifests and the state) that do not depend on each other, and many
/// manifest files: there is no reason to read them one after another.
enum Parallel {
    /// Runs `first` here and `second` on another thread; both results, or the first error.
    static func both<A: Sendable, B: Sendable, Failure: Error>(
        _ first: () throws(Failure) -> A, _ second: @escaping @Sendable () throws(Failure) -> B
    ) throws(Failure) -> (A, B) {
        let other = Mutex<Result<B, Failure>?>(nil)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let result = Result { () throws(Failure) in try second() }
            other.withLock { $0 = result }
        }
        let mine = Result { () throws(Failure) in try first() }
        group.wait()
        let theirs = other.withLock { $0 }!
        return (try mine.get(), try theirs.get())
    }

    /// `transform` applied to every element, in parallel, results in the input's order.
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
