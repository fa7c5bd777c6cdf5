/// Why `record`, `import` or `forget` stopped. Nothing was written in any case.
public enum PortalError: VCCError, Sendable {
    /// No open step has this id; `open` are the ids that are.
    case unknownStep(String, statePath: String, open: [String])
    /// The step needs others recorded first.
    case stepWaitsFor(ChangeID, [ChangeID])
    /// The outcome given does not fit the step (a client ID for a delete, `--done` for
    /// a create).
    case wrongOutcome(step: ChangeID, action: Action, kind: ChangeSubject.Kind, given: String)
    case invalidClientId(String)
    case clientIdTaken(String, statePath: String)
    case unusableSecret(SecretProblem)
    /// The command only an admin may run (import, forget).
    case notAdmin(command: String, actor: String, license: License)
    case unknownActor(String, statePath: String)
    case unknownCredential(clientId: String, statePath: String)
    /// `forget` of a credential with an open step.
    case credentialHasOpenStep(clientId: String, step: ChangeID)
    case emptyReason
    /// VCC's token endpoint does not authenticate the client ID and secret given.
    case secretRejected(clientId: String)
    /// The credential authenticates but VCC refuses these scopes the step declares.
    case scopesMissing(clientId: String, ScopeSet)
    /// The step's scopes changed between the check against VCC and the lock.
    case stepChangedWhileVerifying(ChangeID)
    /// An interrupted run's journal: the step cannot be read until it is finished.
    case cannotVerifyBeforeRecovery(statePath: String)

    /// What is wrong with a secret presented to `record`.
    public enum SecretProblem: Sendable, Equatable {
        case empty
        case length(Int)
        case notPrintableASCII
        case equalsClientId
    }

    public var diagnostics: [Diagnostic] {
        switch self {
        case .unknownStep(let id, let statePath, let open):
            let hint =
                open.isEmpty
                ? "the state has no open portal steps"
                : "open steps: \(open.prefix(5).map(Quoted.of).joined(separator: ", "))"
                    + (open.count > 5 ? " and \(open.count - 5) more" : "")
            return [
                .error(
                    "no open portal step \(Quoted.of(id)) (never planned, or already recorded or abandoned); "
                        + "\(hint); nothing was written",
                    at: SourceLocation(file: statePath))
            ]
        case .stepWaitsFor(let id, let first):
            return [
                .error(
                    "step \(Quoted.of(id.description)) needs "
                        + "\(first.map { Quoted.of($0.description) }.joined(separator: ", ")) recorded first (do and "
                        + "record the steps in runbook order); nothing was written"
                )
            ]
        case .wrongOutcome(let step, let action, let kind, let given):
            let wanted =
                action == .create && kind == .credential ? "--client-id CLIENT-ID (the secret on stdin)" : "--done"
            return [
                .error(
                    "step \(Quoted.of(step.description)) is a \(kind.rawValue) \(action.rawValue): record it with "
                        + "\(wanted), not \(given) (or --abandon --reason TEXT); nothing was written"
                )
            ]
        case .invalidClientId(let text):
            return [
                .error(
                    "--client-id \(Quoted.of(text)) is not a UUID like 6f1c2f8e-0d3a-4b7c-9e21-5a8f0c3d2b14 (copy it "
                        + "from the portal's Success message); nothing was written"
                )
            ]
        case .clientIdTaken(let clientId, let statePath):
            return [
                .error(
                    "client ID \(clientId) is already in the state: each portal credential has its own; nothing was "
                        + "written",
                    at: SourceLocation(file: statePath))
            ]
        case .unusableSecret(let problem):
            let why: String
            switch problem {
            case .empty: why = "is empty: paste the secret the portal showed on stdin"
            case .length(let count): why = "is \(count) characters long; a client secret is 8 to 256"
            case .notPrintableASCII:
                why = "holds a character that is not printable ASCII (a space, a tab, a control or non-ASCII character)"
            case .equalsClientId: why = "is the client ID, not the secret"
            }
            // Never the secret itself, nor any part of it.
            return [.error("the secret read from stdin \(why); nothing was written")]
        case .notAdmin(let command, let actor, let license):
            return [
                .error(
                    "\(command) acts for the account and only an admin may run it; \(Quoted.of(actor)) is "
                        + "\(license == .admin ? "an" : "a") \(license.rawValue); nothing was written"
                )
            ]
        case .unknownActor(let actor, let statePath):
            return [
                .error(
                    "--as \(Quoted.of(actor)) is not a user in the state; nothing was written",
                    at: SourceLocation(file: statePath))
            ]
        case .unknownCredential(let clientId, let statePath):
            return [
                .error(
                    "no credential with client ID \(Quoted.of(clientId)) in the state; nothing was written",
                    at: SourceLocation(file: statePath))
            ]
        case .credentialHasOpenStep(let clientId, let step):
            return [
                .error(
                    "credential \(clientId) has the open portal step \(Quoted.of(step.description)): record or "
                        + "abandon it first; nothing was written"
                )
            ]
        case .emptyReason:
            return [.error("--reason must say why, for the audit log; nothing was written")]
        case .secretRejected(let clientId):
            return [
                .error(
                    "VCC does not authenticate client \(clientId) with the secret given (invalid_client): check both "
                        + "were copied whole from the portal's Success message; nothing was written")
            ]
        case .scopesMissing(let clientId, let scopes):
            return [
                .error(
                    "client \(clientId) authenticates but VCC refuses it \(scopes.identifiers.joined(separator: ", ")) "
                        + "(invalid_scope): tick \(scopes.count == 1 ? "that scope" : "those scopes") on the "
                        + "credential in the portal, as the runbook says, then record again; nothing was written")
            ]
        case .stepChangedWhileVerifying(let step):
            return [
                .error(
                    "step \(Quoted.of(step.description)) changed while VCC was asked about it: record again; nothing "
                        + "was written")
            ]
        case .cannotVerifyBeforeRecovery(let statePath):
            return [
                .error(
                    "an interrupted run left a journal: finish it first (vcc-creds apply), or give --no-verify; "
                        + "nothing was written",
                    at: SourceLocation(file: statePath))
            ]
        }
    }
}
