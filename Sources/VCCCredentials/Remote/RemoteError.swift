/// Why a run that talks to VCC stopped. Every message names the request or the
/// variable, never a secret or a token. Nothing was written when one of these is thrown
/// before a state change.
public enum RemoteError: Error, Sendable {
    /// A connection setting is missing or unusable (variable or manifest named).
    case setting(String)
    /// The tool's credential could not be read.
    case credential(String)
    /// VCC refused the tool's credential or a scope for it.
    case tokenRefused(scope: String, error: String, description: String?)
    /// No usable answer after the retries: the request and why.
    case unanswered(request: String, reason: String, attempts: Int)
    /// An answer with a status the request does not expect.
    case status(request: String, status: Int, detail: String?)
    /// An answer that is not what the contract says (not JSON, wrong shape).
    case malformed(request: String, problem: String)
    /// VCC asked to wait longer than a run waits.
    case retryAfterTooLong(request: String, seconds: Int)
}

extension RemoteError: VCCError {
    public var diagnostics: [Diagnostic] {
        let message: String
        switch self {
        case .setting(let text), .credential(let text):
            message = text
        case .tokenRefused(let scope, let error, let description):
            let detail = description.map { ": \(Printable.escaped(String($0.prefix(200))))" } ?? ""
            let hint: String
            switch error {
            case "invalid_client":
                hint =
                    "check VCC_CREDS_CLIENT_ID and its secret (a credential deleted or regenerated in the "
                    + "portal no longer authenticates)"
            case "invalid_scope":
                hint = "the tool's credential does not hold '\(scope)'; an admin must give it that scope in the portal"
            default:
                hint = "see VCC's Authentication API"
            }
            message = "VCC refused a token for scope '\(scope)' (\(Printable.escaped(error))\(detail)): \(hint)"
        case .unanswered(let request, let reason, let attempts):
            let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
            message = "\(request): \(reason) (gave up after \(tries))"
        case .status(let request, let status, let detail):
            message = "\(request): VCC answered \(status)" + (detail.map { ": \(Printable.escaped($0))" } ?? "")
        case .malformed(let request, let problem):
            message = "\(request): VCC's answer \(problem)"
        case .retryAfterTooLong(let request, let seconds):
            message =
                "\(request): VCC asked to retry after \(seconds) s, longer than a run waits "
                + "(\(RetryPolicy.standard.maxRetryAfter) s); run again later"
        }
        return [.error(message)]
    }
}
