/// `validate`'s one line for manifests that loaded: what was read, so a reader sees at
/// once that the folder they meant was the one checked.
public enum ValidationText {
    public static func valid(_ manifests: String, _ desired: Desired) -> String {
        let counts = [
            PlanMarkdown.count(desired.files.count, "file"), PlanMarkdown.count(desired.users.count, "user"),
            PlanMarkdown.count(desired.credentials.count, "credential"),
        ]
        return "\(manifests): valid (\(counts.joined(separator: ", ")), account \(desired.account))\n"
    }
}
