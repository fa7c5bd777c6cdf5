import CVCCSystem

/// The command line, wherever it can be read from: Swift's `CommandLine.arguments`, or,
/// when that is empty (a statically linked runtime reads `/proc/self/cmdline`, which a
/// bare chroot or a container without `/proc` lacks), the arguments the loader passed
/// to `main`. Empty only if neither has them: a command that cannot see its arguments
/// must fail, never run as if none were given.
public enum ProcessArguments {
    public static var current: [String] {
        let swift = CommandLine.arguments
        if !swift.isEmpty { return swift }
        return (0..<Int(vcc_argument_count())).compactMap { index in
            vcc_argument(Int32(index)).map { String(cString: $0) }
        }
    }
}
