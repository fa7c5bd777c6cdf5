import Testing
import VCCCredentials

/// One row per line of the licence matrix in docs/reference/rules.md, and per rule of
/// the generated list there: the policy as a function of (change, actor licence,
/// ownership, plan facts).
struct PolicyRow: CustomTestStringConvertible, Sendable {
    var name: String
    var request: PolicyRequest
    var actor: License
    var owns: Bool
    var expected: RuleID?

    var testDescription: String { name }
}

private let enabled = Account(id: "acme", apiCredentialsEnabled: true)
private let disabled = Account(id: "acme", apiCredentialsEnabled: false)
private let own = Fixture.credential("11111111-1111-4111-8111-111111111111", "own", owner: "me", [.usersRead])
private let other = Fixture.credential("22222222-2222-4222-8222-222222222222", "other", owner: "bob", [.usersRead])
private let accountLevel = Fixture.credential(
    "33333333-3333-4333-8333-333333333333", "legacy", owner: nil, [.stats], level: .account)

private func target(_ credential: Credential) -> CredentialTarget {
    CredentialTarget(
        clientId: credential.clientId, name: credential.name, owner: credential.owner, level: credential.level)
}

private func create(
    owner: String? = "me", scopes: ScopeSet = [.usersRead], level: CredentialLevel = .user,
    account: Account = enabled, ownerLicense: License? = .supervisor
) -> PolicyRequest {
    let spec = CredentialSpec(name: "new", level: level, owner: owner, scopes: scopes)
    let target = CredentialTarget(clientId: nil, name: "new", owner: owner, level: level)
    return PolicyRequest(
        action: .create, subject: .credential(target, before: nil, after: spec), account: account,
        ownerLicense: level == .user ? ownerLicense : nil)
}

private func edit(_ credential: Credential, scopes: ScopeSet? = nil, account: Account = enabled) -> PolicyRequest {
    var spec = credential.spec
    spec.name = credential.name + "-renamed"
    if let scopes { spec.scopes = scopes }
    return PolicyRequest(
        action: .update, subject: .credential(target(credential), before: credential, after: spec), account: account,
        ownerLicense: credential.level == .user ? .admin : nil)
}

private func delete(_ credential: Credential, account: Account = enabled, facts: PlanFacts = PlanFacts())
    -> PolicyRequest
{
    PolicyRequest(
        action: .delete, subject: .credential(target(credential), before: credential, after: nil), account: account,
        ownerLicense: credential.level == .user ? .supervisor : nil, facts: facts)
}

private let bob = Fixture.user("bob", .supervisor)

private func userChange(_ action: Action, account: Account = enabled, facts: PlanFacts = PlanFacts())
    -> PolicyRequest
{
    let after = User(id: "bob", name: "Bob", license: .admin)
    switch action {
    case .create:
        return PolicyRequest(
            action: .create, subject: .user(id: "bob", before: nil, after: after), account: account, facts: facts)
    case .update:
        return PolicyRequest(
            action: .update, subject: .user(id: "bob", before: bob, after: after), account: account, facts: facts)
    case .delete:
        return PolicyRequest(
            action: .delete, subject: .user(id: "bob", before: bob, after: nil), account: account, facts: facts)
    }
}

/// A change to the admin "root": deleted (`to: nil`), relicensed, or renamed.
private func selfChange(to license: License?) -> PolicyRequest {
    let root = Fixture.user("root", .admin)
    let after = license.map { User(id: "root", name: "Root Renamed", license: $0) }
    return PolicyRequest(
        action: after == nil ? .delete : .update, subject: .user(id: "root", before: root, after: after),
        account: enabled)
}

private func facts(_ change: (inout PlanFacts) -> Void) -> PlanFacts {
    var facts = PlanFacts()
    change(&facts)
    return facts
}

private func row(_ name: String, _ request: PolicyRequest, _ actor: License, owns: Bool, _ expected: RuleID?)
    -> PolicyRow
{
    PolicyRow(name: name, request: request, actor: actor, owns: owns, expected: expected)
}

let policyRows: [PolicyRow] = [
    // create user-level: own only, for admins and supervisors; never for agents/wallboards
    row("admin creates own user-level", create(ownerLicense: .admin), .admin, owns: true, nil),
    row("admin creates another's user-level", create(), .admin, owns: false, .notOwner),
    row("supervisor creates own user-level", create(), .supervisor, owns: true, nil),
    row("supervisor creates another's user-level", create(), .supervisor, owns: false, .notOwner),
    row("agent creates own user-level", create(ownerLicense: .agent), .agent, owns: true, .licenseHasNoAPIAccess),
    row(
        "wallboard creates own user-level", create(ownerLicense: .wallboard), .wallboard, owns: true,
        .licenseHasNoAPIAccess),
    row("admin creates for an agent owner", create(ownerLicense: .agent), .admin, owns: false, .licenseHasNoAPIAccess),
    // create account-level: never
    row(
        "admin creates account-level", create(owner: nil, level: .account), .admin, owns: false, .accountLevelDeprecated
    ),
    row(
        "supervisor creates account-level", create(owner: nil, level: .account), .supervisor, owns: false,
        .accountLevelDeprecated),
    row(
        "agent creates account-level", create(owner: nil, level: .account), .agent, owns: false, .accountLevelDeprecated
    ),
    // edit user-level: own only, admins included
    row("admin edits own user-level", edit(own), .admin, owns: true, nil),
    row("admin edits another's user-level", edit(other), .admin, owns: false, .notOwner),
    row("supervisor edits own user-level", edit(own), .supervisor, owns: true, nil),
    row("supervisor edits another's user-level", edit(other), .supervisor, owns: false, .notOwner),
    row("agent edits own user-level", edit(own), .agent, owns: true, .licenseHasNoAPIAccess),
    // edit account-level: admins only
    row("admin edits account-level", edit(accountLevel), .admin, owns: false, nil),
    row("supervisor edits account-level", edit(accountLevel), .supervisor, owns: false, .adminOnly),
    // admin-only comes first: a non-admin learns nothing from the rules after it
    row("wallboard edits account-level", edit(accountLevel), .wallboard, owns: false, .adminOnly),
    // delete user-level: admins any, supervisors own
    row("admin deletes own user-level", delete(own), .admin, owns: true, nil),
    row("admin deletes another's user-level", delete(other), .admin, owns: false, nil),
    row("supervisor deletes own user-level", delete(own), .supervisor, owns: true, nil),
    row("supervisor deletes another's user-level", delete(other), .supervisor, owns: false, .notOwner),
    row("agent deletes own user-level", delete(own), .agent, owns: true, .licenseHasNoAPIAccess),
    row(
        "admin deletes a credential an agent still holds",
        PolicyRequest(
            action: .delete, subject: .credential(target(other), before: other, after: nil), account: enabled,
            ownerLicense: .agent), .admin, owns: false, nil),
    // delete account-level: admins only
    row("admin deletes account-level", delete(accountLevel), .admin, owns: false, nil),
    row("supervisor deletes account-level", delete(accountLevel), .supervisor, owns: false, .adminOnly),
    // scopes an actor may grant
    row("admin grants every scope", create(scopes: .allBuiltIn, ownerLicense: .admin), .admin, owns: true, nil),
    row(
        "supervisor grants users:read and interaction-content:read",
        create(scopes: [.usersRead, .interactionContentRead]), .supervisor, owns: true, nil),
    row("supervisor grants stats", create(scopes: [.stats]), .supervisor, owns: true, .scopeNotAllowedForLicense),
    row(
        "supervisor grants users:write", create(scopes: [.usersRead, .usersWrite]), .supervisor, owns: true,
        .scopeNotAllowedForLicense),
    row(
        "supervisor adds globalpci by edit", edit(own, scopes: [.usersRead, .globalpci]), .supervisor, owns: true,
        .scopeNotAllowedForLicense),
    row(
        "supervisor renames a credential that already has stats (grants nothing new)",
        edit(Fixture.credential("44444444-4444-4444-8444-444444444444", "s", owner: "me", [.stats])), .supervisor,
        owns: true, nil),
    // users: admins only
    row("admin creates a user", userChange(.create), .admin, owns: false, nil),
    row("admin changes a licence", userChange(.update), .admin, owns: false, nil),
    row("admin deletes a user", userChange(.delete), .admin, owns: false, nil),
    row("supervisor creates a user", userChange(.create), .supervisor, owns: false, .adminOnly),
    row("supervisor changes a licence", userChange(.update), .supervisor, owns: false, .adminOnly),
    row("supervisor deletes a user", userChange(.delete), .supervisor, owns: false, .adminOnly),
    row("agent deletes a user", userChange(.delete), .agent, owns: false, .adminOnly),
    // feature switch
    row("credential create while disabled", create(account: disabled), .admin, owns: true, .featureDisabled),
    row("credential edit while disabled", edit(own, account: disabled), .admin, owns: true, .featureDisabled),
    row("credential delete while disabled", delete(own, account: disabled), .admin, owns: true, .featureDisabled),
    row("user change while disabled", userChange(.create, account: disabled), .admin, owns: false, nil),
    // plan-wide facts
    row(
        "user deletion while credentials remain",
        userChange(.delete, facts: facts { $0.remainingCredentials = ["crm"] }), .admin, owns: false,
        .userHasCredentials),
    row(
        "licence change stranding scopes",
        userChange(.update, facts: facts { $0.strandedCredentials = ["crm"] }), .admin, owns: false,
        .licenseChangeStrandsScopes),
    row(
        "change after a refused prerequisite",
        userChange(.delete, facts: facts { $0.refusedPrerequisites = ["credential:x"] }), .admin, owns: false,
        .dependsOnRefusedChange),
    row(
        "deletion over maxDeletes",
        delete(
            own,
            facts: facts {
                $0.permittedDeletions = 11
                $0.maxDeletes = 10
            }), .admin, owns: true, .deleteGuard),
    row(
        "deletion at maxDeletes",
        delete(
            own,
            facts: facts {
                $0.permittedDeletions = 10
                $0.maxDeletes = 10
            }), .admin,
        owns: true, nil),
    row(
        "maxDeletes 0 refuses any deletion",
        delete(
            own,
            facts: facts {
                $0.permittedDeletions = 1
                $0.maxDeletes = 0
            }), .admin, owns: true, .deleteGuard),
    row(
        "removing the last admin",
        PolicyRequest(
            action: .delete, subject: .user(id: "root", before: Fixture.user("root", .admin), after: nil),
            account: enabled, facts: facts { $0.leavesNoAdmin = true }), .admin, owns: false, .lastAdmin),
    row(
        "a plan without admins does not block unrelated changes",
        userChange(.create, facts: facts { $0.leavesNoAdmin = true }), .admin, owns: false, nil),
    row(
        "a supervisor deleting a user who still holds credentials",
        userChange(.delete, facts: facts { $0.remainingCredentials = ["hidden"] }), .supervisor, owns: false,
        .adminOnly),
    row(
        "a supervisor relicensing a user whose credentials it strands",
        userChange(.update, facts: facts { $0.strandedCredentials = ["hidden"] }), .supervisor, owns: false,
        .adminOnly),
    // the actor and itself
    row("an admin deletes itself", selfChange(to: nil), .admin, owns: true, .actorSelfChange),
    row("an admin demotes itself", selfChange(to: .supervisor), .admin, owns: true, .actorSelfChange),
    row("an admin renames itself", selfChange(to: .admin), .admin, owns: true, nil),
    row("an admin deletes another admin", selfChange(to: nil), .admin, owns: false, nil),
    row("an admin demotes another admin", selfChange(to: .agent), .admin, owns: false, nil),
    row(
        "an entry matching two credentials",
        {
            var request = edit(own)
            request.facts.ambiguousMatches = [own.clientId, other.clientId]
            return request
        }(), .admin, owns: true, .ambiguousMatch),
    // an open portal step
    row(
        "an edit of a credential with an open portal step",
        {
            var request = edit(own)
            request.facts.openPortalStep = "credential:x"
            return request
        }(), .admin, owns: true, .pendingPortalStep),
    row(
        "an open step refuses even the owner's own delete",
        delete(own, facts: facts { $0.openPortalStep = "credential:x" }), .supervisor, owns: true, .pendingPortalStep),
    row(
        "a supervisor's user change is admin-only before the step is named",
        userChange(.update, facts: facts { $0.openPortalStep = "user:x" }), .supervisor, owns: false, .adminOnly),
    // The manifests' guardrails (`policy:`): facts the planner works out, refused for every actor.
    row(
        "a forbidden scope is refused even to an admin owner",
        guarded(create(scopes: [.globalpci], ownerLicense: .admin)) {
            $0.forbiddenScopes = ["globalpci"]
            $0.forbidScopesAt = "policy.yaml:3:7"
        }, .admin, owns: true, .policyForbiddenScope),
    row(
        "a create past maxCredentialsPerUser is refused",
        guarded(create()) {
            $0.credentialCount = 4
            $0.credentialLimit = 3
            $0.credentialLimitAt = "policy.yaml:4:26"
        }, .supervisor, owns: true, .policyMaxCredentials),
    row(
        "a credential without a description is refused when one is required",
        guarded(create()) { $0.descriptionRequiredAt = "policy.yaml:5:23" }, .supervisor, owns: true,
        .policyDescriptionRequired),
    row(
        "a name the pattern does not match is refused",
        guarded(create()) {
            $0.namePattern = "[a-z]+"
            $0.namePatternAt = "policy.yaml:6:16"
        }, .supervisor, owns: true, .policyNamePattern),
    row(
        "a guardrail the change passes leaves the licence rule's refusal",
        create(scopes: [.stats]), .supervisor, owns: true, .scopeNotAllowedForLicense),
]

private func guarded(_ request: PolicyRequest, _ edit: (inout GuardrailFacts) -> Void) -> PolicyRequest {
    var request = request
    edit(&request.facts.guardrails)
    return request
}

@Test(arguments: policyRows)
func policyDecides(_ row: PolicyRow) {
    let refusal = Policy.decide(row.request, as: PolicyActor(license: row.actor, ownsTarget: row.owns))
    #expect(refusal?.rule == row.expected)
    if let refusal { #expect(!refusal.reason.isEmpty) }
}

@Test func everyRuleHasARow() {
    let covered = Set(policyRows.compactMap(\.expected))
    #expect(covered == Set(RuleID.allCases))
}

@Test func ruleIdentifiersAreTheDesignedStrings() {
    #expect(
        RuleID.allCases.map(\.rawValue).sorted() == [
            "account-level-deprecated", "actor-self-change", "admin-only", "ambiguous-match", "delete-guard",
            "depends-on-refused-change",
            "feature-disabled", "last-admin", "license-change-strands-scopes", "license-has-no-api-access",
            "not-owner", "pending-portal-step", "policy-description-required", "policy-forbidden-scope",
            "policy-max-credentials", "policy-name-pattern", "scope-not-allowed-for-license", "user-has-credentials",
        ])
}

@Test func grantableScopesFollowTheDocumentation() {
    #expect(LicenseCapabilities.grantableScopes(.admin) == .allBuiltIn)
    #expect(LicenseCapabilities.grantableScopes(.supervisor).identifiers == ["interaction-content:read", "users:read"])
    #expect(LicenseCapabilities.grantableScopes(.agent).isEmpty)
    #expect(LicenseCapabilities.grantableScopes(.wallboard).isEmpty)
}

@Test func visibilityFollowsTheDocumentation() {
    let admin = Visibility(actor: Fixture.user("me", .admin))
    let supervisor = Visibility(actor: Fixture.user("me", .supervisor))
    let agent = Visibility(actor: Fixture.user("me", .agent))
    #expect(admin.canSee(own) && admin.canSee(other) && admin.canSee(accountLevel))
    #expect(supervisor.canSee(own) && !supervisor.canSee(other) && !supervisor.canSee(accountLevel))
    #expect(!agent.canSee(own) && !agent.canSee(other) && !agent.canSee(accountLevel))
    #expect(supervisor.canSee(bob) && agent.canSee(bob))
}

@Test func appliableByNamesTheOwnerForSomeoneElsesCredential() {
    let owner = Fixture.user("me", .supervisor)
    #expect(Policy.appliableBy(create(), owner: owner, admins: ["alice", "zed"]) == ["me"])
}

@Test func appliableByNamesTheAdminsForUserChanges() {
    #expect(Policy.appliableBy(userChange(.delete), owner: nil, admins: ["alice", "zed"]) == ["alice", "zed"])
}

/// An admin's own deletion or demotion is for another admin to apply.
@Test func appliableByLeavesTheUserOutOfItsOwnDeletion() {
    let root = Fixture.user("root", .admin)
    #expect(Policy.appliableBy(selfChange(to: nil), owner: root, admins: ["alice", "root"]) == ["alice"])
    #expect(Policy.appliableBy(selfChange(to: .supervisor), owner: root, admins: ["alice", "root"]) == ["alice"])
    #expect(Policy.appliableBy(selfChange(to: .admin), owner: root, admins: ["alice", "root"]) == ["alice", "root"])
}

@Test func appliableByIsNobodyForWhatTheManifestsMustFix() {
    let owner = Fixture.user("me", .supervisor)
    #expect(Policy.appliableBy(create(owner: nil, level: .account), owner: nil, admins: ["alice"]).isEmpty)
    #expect(Policy.appliableBy(create(scopes: [.stats]), owner: owner, admins: ["alice"]).isEmpty)
    let guarded = delete(
        own,
        facts: facts {
            $0.permittedDeletions = 2
            $0.maxDeletes = 1
        })
    #expect(Policy.appliableBy(guarded, owner: owner, admins: ["alice"]).isEmpty)
}

/// When nobody can apply a change, appliability says why for each candidate: the owner
/// first, then the other admins, each with the first rule that refuses them.
@Test func appliabilityExplainsNobodyCandidateByCandidate() {
    let owner = Fixture.user("me", .supervisor)
    let stats = Policy.appliability(create(scopes: [.stats]), owner: owner, admins: ["zed", "alice"])
    #expect(stats.users.isEmpty)
    #expect(
        stats.refused == [
            RefusedCandidate(
                user: "me", rule: .scopeNotAllowedForLicense, reason: "a supervisor licence cannot grant stats"),
            RefusedCandidate(
                user: "alice", rule: .notOwner, reason: "only the owner, me, may create this user-level credential"),
            RefusedCandidate(
                user: "zed", rule: .notOwner, reason: "only the owner, me, may create this user-level credential"),
        ])
    // Someone can: nothing to explain.
    #expect(Policy.appliability(create(), owner: owner, admins: ["alice"]).refused.isEmpty)
    // No owner (account level): the admins only.
    let accountLevel = Policy.appliability(create(owner: nil, level: .account), owner: nil, admins: ["alice"])
    #expect(accountLevel.users.isEmpty)
    #expect(accountLevel.refused.map(\.user) == ["alice"])
    #expect(accountLevel.refused.map(\.rule) == [.accountLevelDeprecated])
}

/// The delete guard, for each one advised: the deletions it would be permitted.
@Test func appliableByCountsTheDeletionsEachCandidateWouldMake() {
    let owner = Fixture.user("bob", .supervisor)
    let deletion = delete(other, facts: facts { $0.maxDeletes = 1 })
    #expect(
        Policy.appliableBy(deletion, owner: owner, admins: ["alice"], permittedDeletions: (1, 1)) == ["alice", "bob"])
    #expect(Policy.appliableBy(deletion, owner: owner, admins: ["alice"], permittedDeletions: (1, 2)) == ["bob"])
    #expect(Policy.appliableBy(deletion, owner: owner, admins: ["alice"], permittedDeletions: (2, 2)).isEmpty)
}

@Test func appliableByForADeletionOfAnothersCredentialIsOwnerAndAdmins() {
    let owner = Fixture.user("bob", .supervisor)
    #expect(Policy.appliableBy(delete(other), owner: owner, admins: ["alice"]) == ["alice", "bob"])
}
