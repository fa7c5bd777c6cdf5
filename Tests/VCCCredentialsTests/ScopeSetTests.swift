import Testing
import VCCCredentials

@Test func scopeSetIteratesInIdentifierOrder() {
    let scopes: ScopeSet = [.usersRead, .stats, .agentsAvailabilityRead]
    #expect(scopes.identifiers == ["agents-availability:read", "stats", "users:read"])
}
