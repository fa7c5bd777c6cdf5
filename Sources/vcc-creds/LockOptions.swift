import ArgumentParser
import VCCCredentials

/// How long to wait for another run's lock on the state: an option of every command
/// that writes the state under its lock.
struct LockOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds to wait for another run's lock on the state (default 0, at most 3600).", valueName: "seconds"),
        transform: { text in
            guard let timeout = LockTimeout(text) else { throw ValidationError(LockTimeout.rule) }
            return timeout
        })
    var lockTimeout = LockTimeout.none
}
