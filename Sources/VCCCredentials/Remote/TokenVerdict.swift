/// What VCC's token endpoint answers for a credential and a scope, as IdentityServer
/// says it: the credential authenticates and holds the scope; it does not authenticate
/// (`invalid_client`: deleted, or its secret regenerated, in the portal); or it
/// authenticates but lacks the scope (`invalid_scope`).
public enum TokenVerdict: Sendable, Hashable {
    case granted
    case invalidClient
    case invalidScope
}
