import Testing
import VCCCredentials

/// Plans acting as several users at once (`--as a --as b`): each change is decided for
/// each actor, made by the first that may make it, its owner first.
@Suite struct MultiActorPlannerTests {
    let olga = Fixture.user("olga", .admin)
    let bob = Fixture.user("bob", .admin)
    let pete = Fixture.user("pete", .supervisor)
    let sue = Fixture.user("sue", .supervisor)

    var state: State {
        Fixture.state(
            users: [olga, bob, pete, sue],
            credentials: [
                Fixture.credential("11111111-1111-4111-8111-111111111111", "pete-old", owner: "pete", [.usersRead]),
                Fixture.credential("22222222-2222-4222-8222-222222222222", "sue-old", owner: "sue", [.usersRead]),
            ])
    }

    /// Pete's new credential, a new user, and an edit of Pete's credential.
    var desired: Desired {
        Fixture.desired(
            users: Fixture.sameUsers(state) + [Fixture.desiredUser(Fixture.user("andy", .agent))],
            credentials: [
                Fixture.desiredCredential("pete-new", owner: "pete", [.usersRead]),
                Fixture.desiredCredential("pete-old", owner: "pete", [.usersRead, .interactionContentRead]),
                Fixture.desiredCredential("sue-old", owner: "sue", [.usersRead]),
            ])
    }

    @Test func anAdminAloneCannotMakeAnOwnersChange() throws {
        let plan = try Fixture.plan(desired, state, as: "olga")
        #expect(plan.change("credential:pete/pete-new")?.rule == .notOwner)
        #expect(plan.change("credential:pete/pete-new")?.appliableBy == ["pete"])
        #expect(plan.change("user:andy")?.decision == .permitted(by: "olga"))
    }

    @Test func theOwnerMakesItsOwnChangesAndTheAdminTheRest() throws {
        let plan = try Fixture.plan(desired, state, as: ["olga", "pete"])
        #expect(plan.actors.map(\.id) == ["olga", "pete"])
        #expect(plan.change("credential:pete/pete-new")?.decision == .permitted(by: "pete"))
        #expect(plan.change("credential:11111111-1111-4111-8111-111111111111")?.decision == .permitted(by: "pete"))
        #expect(plan.change("user:andy")?.decision == .permitted(by: "olga"))
        #expect(!plan.hasRefusals)
    }

    /// Order among non-owners is the order given: the first listed admin.
    @Test func theFirstListedAdminMakesWhatNoOwnerActs() throws {
        #expect(
            try Fixture.plan(desired, state, as: ["bob", "olga"]).change("user:andy")?.decision == .permitted(by: "bob")
        )
        #expect(
            try Fixture.plan(desired, state, as: ["olga", "bob"]).change("user:andy")?.decision
                == .permitted(by: "olga"))
        // An owner listed last still makes its own change.
        let plan = try Fixture.plan(desired, state, as: ["olga", "bob", "pete"])
        #expect(plan.change("credential:pete/pete-new")?.decision == .permitted(by: "pete"))
    }

    /// When nobody may make it, the owner's refusal is shown (the owner is the one to fix it).
    @Test func aRefusalIsTheOwnersWhenTheOwnerActs() throws {
        let wide = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("pete-stats", owner: "pete", [.stats]),
                Fixture.desiredCredential("pete-old", owner: "pete", [.usersRead]),
                Fixture.desiredCredential("sue-old", owner: "sue", [.usersRead]),
            ])
        let plan = try Fixture.plan(wide, state, as: ["olga", "pete"])
        #expect(plan.change("credential:pete/pete-stats")?.rule == .scopeNotAllowedForLicense)
        let adminOnly = try Fixture.plan(wide, state, as: ["olga"])
        #expect(adminOnly.change("credential:pete/pete-stats")?.rule == .notOwner)
    }

    /// Hidden is what none of the actors can see: two supervisors see both their own.
    @Test func whatIsHiddenIsWhatNoActorSees() throws {
        let mine = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("pete-old", owner: "pete", [.usersRead]),
                Fixture.desiredCredential("sue-old", owner: "sue", [.usersRead]),
            ])
        #expect(try Fixture.plan(mine, state, as: ["pete"]).hidden == Plan.Hidden(credentials: 1, entries: 1))
        #expect(try Fixture.plan(mine, state, as: ["pete", "sue"]).hidden == Plan.Hidden(credentials: 0, entries: 0))
        #expect(try Fixture.plan(mine, state, as: ["pete", "sue"]).changes.isEmpty)
    }

    /// A run may not delete or demote any user it acts as, even by another admin of
    /// the run; another admin applies it, in a run not acting as that user.
    @Test(arguments: [License.supervisor, nil])
    func aRunMayNotRemoveOneOfItsActors(_ demotedTo: License?) throws {
        let users =
            state.users.filter { $0.id != "bob" }.map(Fixture.desiredUser)
            + [demotedTo.map { Fixture.desiredUser(Fixture.user("bob", $0)) } ?? Fixture.absentUser("bob")]
        let change = Fixture.desired(
            users: users,
            credentials: [
                Fixture.desiredCredential("pete-old", owner: "pete", [.usersRead]),
                Fixture.desiredCredential("sue-old", owner: "sue", [.usersRead]),
            ])
        let plan = try Fixture.plan(change, state, as: ["olga", "bob"])
        #expect(plan.change("user:bob")?.rule == .actorSelfChange)
        #expect(plan.change("user:bob")?.appliableBy == ["olga"])
        #expect(try Fixture.plan(change, state, as: ["olga"]).change("user:bob")?.decision == .permitted(by: "olga"))
    }

    @Test func aRepeatedActorCountsOnce() throws {
        let plan = try Fixture.plan(desired, state, as: ["olga", "pete", "olga"])
        #expect(plan.actors.map(\.id) == ["olga", "pete"])
    }

    @Test func everyActorMustBeAUser() throws {
        #expect(throws: PlanError.self) { try Fixture.plan(desired, state, as: ["olga", "nobody"]) }
        #expect(throws: PlanError.self) { try Fixture.plan(desired, state, as: [String]()) }
    }

    @Test func theEnvironmentGivesTheActorsWhenNoFlagDoes() {
        let environment = ["VCC_CREDS_AS": "olga, pete,,"]
        #expect(ActorList.resolve(flags: [], environment: environment) == ["olga", "pete"])
        #expect(ActorList.resolve(flags: ["sue"], environment: environment) == ["sue"])
        #expect(ActorList.resolve(flags: [], environment: ["VCC_CREDS_AS": ""]).isEmpty)
        #expect(ActorList.resolve(flags: [], environment: [:]).isEmpty)
    }
}
