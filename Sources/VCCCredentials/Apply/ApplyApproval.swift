/// Whether `apply` asks before it writes, as Terraform does. Only a person is asked: the
/// run has no saved plan (that was reviewed already) and stdin is a terminal. The plan
/// shown is the plan applied: one that differs under the lock is refused as stale.
public enum ApplyApproval: Sendable {
    /// Show the plan in `style` and ask on a terminal; elsewhere apply without asking.
    case ask(style: TextStyle)
    /// `--auto-approve`: never ask.
    case automatic

    /// The question; only the answer `yes`, exactly, approves.
    public static let question = "Do you want to perform these actions? Only 'yes' will be accepted: "
    public static let approvingAnswer = "yes"
}
