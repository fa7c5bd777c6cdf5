import Testing
import VCCCredentials

private let alice = Fixture.user("alice", .admin)
private let bob = Fixture.user("bob", .admin)
private let sam = Fixture.user("sam", .supervisor)
private let sofia = Fixture.user("sofia", .supervisor)
private let ana = Fixture.user("ana", .agent)

private let id1 = "10000000-0000-4000-8000-000000000001"
private let id2 = "10000000-0000-4000-8000-000000000002"
private let id3 = "10000000-0000-4000-8000-000000000003"
private let id4 = "10000000-0000-4000-8000-000000000004"
private let legacyId = "6f1c2f8e-9b3d-4c1a-8e2f-5a7b9c0d1e2f"

@Suite struct PlannerMatching {
    @Test func aRenamePinnedByClientIdIsAnUpdate() throws {
        let state = Fixture.state(
            users: [alice], credentials: [Fixture.credential(id1, "crm", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm-sync", owner: "alice", [.usersRead], clientId: id1)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.count == 1)
        let change = try #require(plan.change("credential:\(id1)"))
        #expect(change.action == .update)
        #expect(change.decision.isPermitted)
        #expect(change.diff == [FieldDiff(field: "name", from: .text("crm"), to: .text("crm-sync"))])
    }

    @Test func withoutClientIdARenameIsADeleteAndACreate() throws {
        let state = Fixture.state(
            users: [alice], credentials: [Fixture.credential(id1, "crm", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm-sync", owner: "alice", [.usersRead])],
            settings: Settings(prune: true))
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["credential:alice/crm-sync", "credential:\(id1)"])
        #expect(plan.changes.map(\.action) == [.create, .delete])
    }

    @Test func matchingByOwnerAndNameFindsScopeChanges() throws {
        let state = Fixture.state(
            users: [alice], credentials: [Fixture.credential(id1, "crm", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm", owner: "alice", [.usersRead, .stats])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        let change = try #require(plan.change("credential:\(id1)"))
        #expect(change.action == .update)
        #expect(
            change.diff == [
                FieldDiff(field: "scopes", from: .list(["users:read"]), to: .list(["stats", "users:read"]))
            ])
    }

    @Test func anUnchangedAccountPlansNothing() throws {
        let state = Fixture.state(
            users: [alice, sam],
            credentials: [
                Fixture.credential(id1, "crm", owner: "alice", [.usersRead]),
                Fixture.credential(legacyId, "legacy", owner: nil, [.stats], level: .account),
            ])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("crm", owner: "alice", [.usersRead]),
                Fixture.desiredCredential("legacy", owner: nil, [.stats], level: .account, clientId: legacyId),
            ])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.isEmpty)
        #expect(plan.unmanaged.isEmpty)
        #expect(ExitStatus.forPlan(plan, detailedExitCode: true) == .success)
    }

    @Test func anEntryMatchingTwoCredentialsIsRefusedNeverGuessed() throws {
        let state = Fixture.state(
            users: [alice],
            credentials: [
                Fixture.credential(id1, "crm", owner: "alice", [.usersRead]),
                Fixture.credential(id2, "crm", owner: "alice", [.stats]),
            ])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm", owner: "alice", [.usersRead])],
            settings: Settings(prune: true))
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.count == 1)
        let change = try #require(plan.change("credential:alice/crm"))
        #expect(change.rule == .ambiguousMatch)
        #expect(change.appliableBy == [])
        if case .refused(_, let reason, _, _) = change.decision {
            #expect(reason.contains(id1) && reason.contains(id2))
        }
    }

    @Test func anAbsentEntryMatchingTwoCredentialsIsARefusedDelete() throws {
        let state = Fixture.state(
            users: [alice],
            credentials: [
                Fixture.credential(id1, "crm", owner: "alice", [.usersRead]),
                Fixture.credential(id2, "crm", owner: "alice", [.stats]),
            ])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm", owner: "alice", [], ensure: .absent)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.action) == [.delete])
        #expect(plan.changes.first?.rule == .ambiguousMatch)
        #expect(plan.unmanaged.isEmpty)
    }

    @Test func pinningOneOfTwoSameNamedCredentialsResolvesTheAmbiguity() throws {
        let state = Fixture.state(
            users: [alice],
            credentials: [
                Fixture.credential(id1, "crm", owner: "alice", [.usersRead]),
                Fixture.credential(id2, "crm", owner: "alice", [.stats]),
            ])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("crm", owner: "alice", [.usersRead, .stats], clientId: id1)
            ])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["credential:\(id1)"])
        #expect(plan.unmanaged.credentials.map(\.clientId) == [id2])
    }

    @Test func aUserLevelClientIdMissingFromTheStateIsAnError() throws {
        let state = Fixture.state(users: [alice])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm", owner: "alice", [.usersRead], clientId: id1)])
        #expect {
            try Fixture.plan(desired, state, as: "alice")
        } throws: { error in
            "\(error)".contains("clientId '\(id1)' is not in state.json")
                && "\(error)".hasPrefix("manifests/test.yaml:1:1: error:")
        }
    }

    @Test func anAccountLevelClientIdMissingFromTheStateIsARefusedCreate() throws {
        let state = Fixture.state(users: [alice])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("legacy", owner: nil, [.stats], level: .account, clientId: legacyId)
            ])
        let plan = try Fixture.plan(desired, state, as: "alice")
        let change = try #require(plan.change("credential:\(legacyId)"))
        #expect(change.action == .create)
        #expect(change.rule == .accountLevelDeprecated)
        #expect(change.appliableBy == [])
    }

    @Test func aPinnedEntryCannotMoveACredentialToAnotherOwner() throws {
        let state = Fixture.state(
            users: [alice, bob], credentials: [Fixture.credential(id1, "crm", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("crm", owner: "bob", [.usersRead], clientId: id1)])
        #expect {
            try Fixture.plan(desired, state, as: "alice")
        } throws: { error in
            "\(error)".contains("owner 'alice' in the state, not 'bob'")
        }
    }
}

@Suite struct PlannerOrdering {
    /// Every kind of change at once: the apply order is user raises, credential
    /// writes, credential deletes, user lowers.
    @Test func changesComeInApplyOrder() throws {
        let state = Fixture.state(
            users: [alice, Fixture.user("dora", .admin), sam, ana],
            credentials: [
                Fixture.credential(id1, "a-old", owner: "alice", [.usersRead]),
                Fixture.credential(id2, "b-keep", owner: "alice", [.usersRead]),
                Fixture.credential(id3, "sam-old", owner: "sam", [.usersRead]),
            ])
        let desired = Fixture.desired(
            users: [
                Fixture.desiredUser(alice),
                Fixture.desiredUser(Fixture.user("dora", .supervisor)),  // downgrade
                Fixture.desiredUser(Fixture.user("zoe", .agent)),  // create
                Fixture.desiredUser(Fixture.user("ana", .supervisor)),  // upgrade
                Fixture.absentUser("sam"),  // delete, after its credential
            ],
            credentials: [
                Fixture.desiredCredential("a-old", owner: "alice", [], ensure: .absent),
                Fixture.desiredCredential("b-keep", owner: "alice", [.usersRead, .stats]),
                Fixture.desiredCredential("c-new", owner: "alice", [.usersRead]),
                Fixture.desiredCredential("sam-old", owner: "sam", [], ensure: .absent),
            ])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(
            plan.changes.map(\.id) == [
                "user:ana", "user:zoe",
                "credential:\(id2)", "credential:alice/c-new",
                "credential:\(id1)", "credential:\(id3)",
                "user:dora", "user:sam",
            ])
        #expect(plan.change("user:sam")?.dependsOn == ["credential:\(id3)"])
        #expect(plan.changes.allSatisfy { $0.decision.isPermitted })
        #expect(plan.summary == Plan.Summary(create: 2, update: 3, delete: 3, refused: 0))
    }

    @Test func aCredentialForAnUpgradedUserWaitsForTheUpgrade() throws {
        let state = Fixture.state(users: [alice, ana])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.desiredUser(Fixture.user("ana", .supervisor))],
            credentials: [Fixture.desiredCredential("ana-report", owner: "ana", [.usersRead])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["user:ana", "credential:ana/ana-report"])
        let create = try #require(plan.change("credential:ana/ana-report"))
        #expect(create.dependsOn == ["user:ana"])
        // Not an agent's credential any more: alice is refused only for not being its owner.
        #expect(create.rule == .notOwner)
        #expect(create.appliableBy == ["ana"])
    }

    @Test func aCredentialForARefusedNewUserIsRefusedToo() throws {
        let state = Fixture.state(users: [alice, sam])
        let desired = Fixture.desired(
            users: [
                Fixture.desiredUser(alice), Fixture.desiredUser(sam),
                Fixture.desiredUser(Fixture.user("nia", .supervisor)),
            ],
            credentials: [Fixture.desiredCredential("nia-report", owner: "nia", [.usersRead])])
        let plan = try Fixture.plan(desired, state, as: "sam")
        #expect(plan.change("user:nia")?.rule == .adminOnly)
        #expect(plan.change("user:nia")?.appliableBy == ["alice"])
        // nia's credential is not sam's to see: out of sam's run, only counted.
        #expect(plan.change("credential:nia/nia-report") == nil)
        #expect(plan.hidden.entries == 1)
        let asAlice = try Fixture.plan(desired, state, as: "alice")
        let create = try #require(asAlice.change("credential:nia/nia-report"))
        #expect(create.dependsOn == ["user:nia"])
        #expect(create.rule == .notOwner)
        #expect(create.appliableBy == ["nia"])
    }

    @Test func anAgentsCredentialIsRefusedWhateverTheActor() throws {
        let state = Fixture.state(users: [alice, ana])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state), credentials: [Fixture.desiredCredential("x", owner: "ana", [.usersRead])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.first?.rule == .licenseHasNoAPIAccess)
        #expect(plan.changes.first?.appliableBy == [])
    }
}

@Suite struct PlannerUsers {
    @Test func aUserHoldingCredentialsCannotBeDeleted() throws {
        let state = Fixture.state(
            users: [alice, sam], credentials: [Fixture.credential(id1, "report", owner: "sam", [.usersRead])])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.absentUser("sam")])
        let plan = try Fixture.plan(desired, state, as: "alice")
        let deletion = try #require(plan.change("user:sam"))
        #expect(deletion.rule == .userHasCredentials)
        #expect(deletion.appliableBy == [])
    }

    @Test func deletingTheCredentialsFirstUnblocksTheUserDeletion() throws {
        let state = Fixture.state(
            users: [alice, sam],
            credentials: [
                Fixture.credential(id1, "report", owner: "sam", [.usersRead]),
                Fixture.credential(id2, "export", owner: "sam", [.usersRead]),
            ])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.absentUser("sam")],
            credentials: [
                Fixture.desiredCredential("report", owner: "sam", [], ensure: .absent),
                Fixture.desiredCredential("export", owner: "sam", [], ensure: .absent),
            ])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["credential:\(id2)", "credential:\(id1)", "user:sam"])
        #expect(plan.change("user:sam")?.dependsOn == ["credential:\(id2)", "credential:\(id1)"])
        #expect(plan.changes.allSatisfy { $0.decision.isPermitted })
    }

    @Test func aRefusedCredentialDeletionBlocksTheUserDeletion() throws {
        let state = Fixture.state(
            users: [alice, sam], credentials: [Fixture.credential(id1, "report", owner: "sam", [.usersRead])],
            enabled: false)
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.absentUser("sam")],
            credentials: [Fixture.desiredCredential("report", owner: "sam", [], ensure: .absent)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.change("credential:\(id1)")?.rule == .featureDisabled)
        let deletion = try #require(plan.change("user:sam"))
        #expect(deletion.rule == .dependsOnRefusedChange)
        #expect(deletion.appliableBy == [])
    }

    @Test func aDowngradeStrandingScopesIsRefused() throws {
        let state = Fixture.state(
            users: [alice, bob], credentials: [Fixture.credential(id1, "pci", owner: "bob", [.globalpci])])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.desiredUser(Fixture.user("bob", .supervisor))],
            credentials: [Fixture.desiredCredential("pci", owner: "bob", [.globalpci])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        let downgrade = try #require(plan.change("user:bob"))
        #expect(downgrade.rule == .licenseChangeStrandsScopes)
    }

    @Test func aDowngradeAfterItsCredentialsAreDeletedIsPermitted() throws {
        let state = Fixture.state(
            users: [alice, bob], credentials: [Fixture.credential(id1, "pci", owner: "bob", [.globalpci])])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.desiredUser(Fixture.user("bob", .agent))],
            credentials: [Fixture.desiredCredential("pci", owner: "bob", [], ensure: .absent)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["credential:\(id1)", "user:bob"])
        #expect(plan.change("user:bob")?.dependsOn == ["credential:\(id1)"])
        #expect(plan.changes.allSatisfy { $0.decision.isPermitted })
    }

    @Test func aDowngradeWhoseFixIsRefusedDependsOnTheRefusal() throws {
        let state = Fixture.state(
            users: [alice, bob], credentials: [Fixture.credential(id1, "pci", owner: "bob", [.globalpci, .usersRead])])
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.desiredUser(Fixture.user("bob", .supervisor))],
            credentials: [Fixture.desiredCredential("pci", owner: "bob", [.usersRead])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        // Only bob may narrow bob's credential; alice's downgrade waits for it.
        #expect(plan.change("credential:\(id1)")?.rule == .notOwner)
        #expect(plan.change("credential:\(id1)")?.appliableBy == ["bob"])
        let downgrade = try #require(plan.change("user:bob"))
        #expect(downgrade.rule == .dependsOnRefusedChange)
        #expect(downgrade.dependsOn == ["credential:\(id1)"])
        // bob may not demote himself (actor-self-change): only alice.
        #expect(downgrade.appliableBy == ["alice"])
    }

    @Test func deletingTheOnlyAdminIsRefused() throws {
        let state = Fixture.state(users: [alice, sam])
        let desired = Fixture.desired(users: [Fixture.absentUser("alice"), Fixture.desiredUser(sam)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.change("user:alice")?.rule == .lastAdmin)
    }

    @Test func downgradingOneOfTwoAdminsIsPermittedButNotBoth() throws {
        let state = Fixture.state(users: [alice, bob])
        let one = Fixture.desired(users: [
            Fixture.desiredUser(alice), Fixture.desiredUser(Fixture.user("bob", .supervisor)),
        ])
        #expect(try Fixture.plan(one, state, as: "alice").changes.allSatisfy { $0.decision.isPermitted })
        let both = Fixture.desired(users: [
            Fixture.desiredUser(Fixture.user("alice", .supervisor)),
            Fixture.desiredUser(Fixture.user("bob", .supervisor)),
        ])
        let plan = try Fixture.plan(both, state, as: "alice")
        #expect(plan.changes.map(\.rule) == [.lastAdmin, .lastAdmin])
    }

    @Test func aSupervisorIsToldWhichAdminsCanChangeUsers() throws {
        let state = Fixture.state(users: [alice, bob, sam])
        let desired = Fixture.desired(users: [
            Fixture.desiredUser(alice), Fixture.desiredUser(bob), Fixture.desiredUser(Fixture.user("sam", .admin)),
        ])
        let plan = try Fixture.plan(desired, state, as: "sam")
        #expect(plan.change("user:sam")?.rule == .adminOnly)
        #expect(plan.change("user:sam")?.appliableBy == ["alice", "bob"])
    }
}

@Suite struct PlannerScope {
    @Test func unnamedResourcesAreUnmanagedWithoutPrune() throws {
        let state = Fixture.state(
            users: [alice, sam], credentials: [Fixture.credential(id1, "stray", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(users: [Fixture.desiredUser(alice)])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.isEmpty)
        #expect(plan.unmanaged.users == ["sam"])
        #expect(plan.unmanaged.credentials.map(\.clientId) == [id1])
    }

    @Test func pruneDeletesWhatTheManifestsDoNotName() throws {
        let state = Fixture.state(
            users: [alice, sam], credentials: [Fixture.credential(id1, "stray", owner: "sam", [.usersRead])])
        let desired = Fixture.desired(users: [Fixture.desiredUser(alice)], settings: Settings(prune: true))
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.changes.map(\.id) == ["credential:\(id1)", "user:sam"])
        #expect(plan.changes.allSatisfy { $0.action == .delete && $0.decision.isPermitted })
        #expect(plan.unmanaged.isEmpty)
    }

    @Test func aSupervisorSeesOnlyTheirOwnCredentials() throws {
        let state = Fixture.state(
            users: [alice, sam, sofia],
            credentials: [
                Fixture.credential(id1, "mine", owner: "sam", [.usersRead]),
                Fixture.credential(id2, "hers", owner: "sofia", [.usersRead]),
                Fixture.credential(id3, "admins", owner: "alice", [.stats]),
                Fixture.credential(legacyId, "legacy", owner: nil, [.stats], level: .account),
            ])
        // The manifests change every credential; only sam's change is in sam's plan.
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("mine", owner: "sam", [.usersRead, .interactionContentRead]),
                Fixture.desiredCredential("hers", owner: "sofia", [], ensure: .absent),
                Fixture.desiredCredential("admins-renamed", owner: "alice", [.stats], clientId: id3),
                Fixture.desiredCredential("legacy", owner: nil, [.usersRead], level: .account, clientId: legacyId),
            ],
            settings: Settings(prune: true))
        let plan = try Fixture.plan(desired, state, as: "sam")
        #expect(plan.changes.map(\.id) == ["credential:\(id1)"])
        // Three credentials out of sight, and the three entries for them left out.
        #expect(plan.hidden == Plan.Hidden(credentials: 3, entries: 3))
        #expect(plan.unmanaged.isEmpty)
    }

    @Test func anAgentSeesNoCredentialsAndCreatesNone() throws {
        let state = Fixture.state(
            users: [alice, ana], credentials: [Fixture.credential(id1, "crm", owner: "alice", [.usersRead])])
        let desired = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [
                Fixture.desiredCredential("crm", owner: "alice", [.stats]),
                Fixture.desiredCredential("mine", owner: "ana", [.usersRead]),
            ])
        let plan = try Fixture.plan(desired, state, as: "ana")
        // An agent sees no credential, its own included: every entry is left out.
        #expect(plan.hidden == Plan.Hidden(credentials: 1, entries: 2))
        #expect(plan.changes.isEmpty)
        // An admin's plan refuses the agent's credential.
        #expect(
            try Fixture.plan(desired, state, as: "alice").change("credential:ana/mine")?.rule == .licenseHasNoAPIAccess)
    }

    @Test func theDeleteGuardRefusesEveryDeletionOverTheLimit() throws {
        let state = Fixture.state(
            users: [alice],
            credentials: [
                Fixture.credential(id1, "a", owner: "alice", [.usersRead]),
                Fixture.credential(id2, "b", owner: "alice", [.usersRead]),
                Fixture.credential(id3, "c", owner: "alice", [.usersRead]),
            ])
        let over = Fixture.desired(
            users: Fixture.sameUsers(state),
            credentials: [Fixture.desiredCredential("c", owner: "alice", [.usersRead, .stats])],
            settings: Settings(prune: true, maxDeletes: 1))
        let plan = try Fixture.plan(over, state, as: "alice")
        #expect(plan.changes.filter { $0.action == .delete }.map(\.rule) == [.deleteGuard, .deleteGuard])
        #expect(plan.change("credential:\(id3)")?.decision.isPermitted == true)
        var within = over
        within.settings.maxDeletes = 2
        #expect(try Fixture.plan(within, state, as: "alice").changes.allSatisfy { $0.decision.isPermitted })
    }

    @Test func theFeatureSwitchRefusesCredentialChangesButNotUserChanges() throws {
        let state = Fixture.state(users: [alice], enabled: false)
        let desired = Fixture.desired(
            users: [Fixture.desiredUser(alice), Fixture.desiredUser(sam)],
            credentials: [Fixture.desiredCredential("x", owner: "alice", [.usersRead])])
        let plan = try Fixture.plan(desired, state, as: "alice")
        #expect(plan.change("user:sam")?.decision.isPermitted == true)
        #expect(plan.change("credential:alice/x")?.rule == .featureDisabled)
    }

    @Test func theManifestsMustBeForTheStatesAccount() throws {
        let state = Fixture.state(users: [alice])
        let desired = Fixture.desired(users: Fixture.sameUsers(state), account: "other")
        #expect {
            try Fixture.plan(desired, state, as: "alice")
        } throws: { error in
            "\(error)"
                == "manifests/test.yaml:1:1: error: manifests are for account 'other', but state.json is account "
                + "'acme'; nothing was planned"
        }
    }

    @Test func theActorMustBeAUserInTheState() throws {
        let state = Fixture.state(users: [alice])
        let desired = Fixture.desired(users: Fixture.sameUsers(state))
        #expect {
            try Fixture.plan(desired, state, as: "alicee")
        } throws: { error in
            "\(error)" == "error: --as alicee: not a user in state.json; did you mean 'alice'?"
        }
    }
}
