/// From a merge's approvals to the users a pipeline acts as. The seed's rule "only the
/// owner creates or edits a user-level credential" becomes "the owner approved": users
/// declare their forge login in the manifests (`login: sam-gh`), and the logins that
/// approved a merge name the `--as` users of its apply.
public struct ApproverMap: Sendable {
    /// Users by lowercased login: forges compare logins ignoring case.
    private var usersByLogin: [String: String] = [:]

    public init(_ desired: Desired) {
        for user in desired.users where user.user != nil {
            if let login = user.login { usersByLogin[login.lowercased()] = user.id }
        }
    }

    /// The user ids of `logins`, in the order given, each once; and the logins no
    /// present user declares (they approve nothing).
    public func actors(approvedBy logins: [String]) -> (actors: [String], unknown: [String]) {
        var actors: [String] = []
        var unknown: [String] = []
        for login in logins {
            guard let id = usersByLogin[login.lowercased()] else {
                unknown.append(login)
                continue
            }
            if !actors.contains(id) { actors.append(id) }
        }
        return (actors, unknown)
    }
}
