import Testing
import VCCCredentials

/// Random accounts planned as every non-admin user: nothing a non-admin cannot see
/// reaches its plan. Two properties, for 400 seeded accounts each:
///
/// - no name or client ID of a credential the actor cannot see appears in the text,
///   JSON or Markdown plan (unless the actor's own manifest entries spell it);
/// - non-interference: replacing every hidden credential by other hidden ones gives the
///   same plan, byte for byte (or the same error). What is out of sight cannot change
///   what the actor is shown, so nothing can be inferred from it.
@Suite struct ActorScopePropertyTests {
    static let seeds = Array(UInt64(1)...400)

    @Test(arguments: seeds)
    func nothingHiddenReachesANonAdminsPlan(_ seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let account = RandomAccount(using: &random)
        for actor in account.state.users where actor.license != .admin {
            let visibility = Visibility(actor: actor)
            let hidden = account.state.credentials.filter { !visibility.canSee($0) }
            let spelled = account.spelledInView(by: visibility)
            let shown = try Self.render(account.desired, account.state, as: actor.id)
            for credential in hidden {
                for identifier in [credential.name, credential.clientId] where !spelled.contains(identifier) {
                    #expect(!shown.contains(identifier), "seed \(seed), as \(actor.id): \(identifier) is shown")
                }
            }
            var other = account.state
            other.credentials =
                other.credentials.filter(visibility.canSee) + account.otherHidden(for: visibility, using: &random)
            let again = try Self.render(account.desired, other, as: actor.id)
            #expect(again == shown, "seed \(seed), as \(actor.id): the plan changes with what it cannot see")
        }
    }

    /// Text, JSON and Markdown of the plan, or the error, with the one count a hidden
    /// change may move (how many credentials are hidden) set aside.
    static func render(_ desired: Desired, _ state: State, as actor: String) throws -> String {
        do {
            var plan = try Planner.plan(
                desired: desired, state: state, actors: [actor], statePath: "state.json", context: .test)
            plan.hidden.credentials = 0
            let document = PlanDocument(plan, stateSHA256: Fixture.digest, manifestsDigest: desired.digest)
            return PlanText.render(document) + String(decoding: PlanFile.encode(document), as: UTF8.self)
                + PlanMarkdown.render(document)
        } catch {
            return "error: \(error)"
        }
    }
}

/// A small random account and manifests that change it: renames, scope changes,
/// deletions, pins by client ID, new credentials, licence changes, user deletions,
/// prune on or off, a low maxDeletes.
struct RandomAccount {
    var state: State
    var desired: Desired

    init(using random: inout SplitMix) {
        var users = [Fixture.user("u0@t", .admin)]
        for index in 1...Int.random(in: 2...6, using: &random) {
            users.append(Fixture.user("u\(index)@t", License.allCases.randomElement(using: &random)!))
        }
        var credentials: [Credential] = []
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            let accountLevel = Int.random(in: 0..<10, using: &random) == 0
            credentials.append(
                Fixture.credential(
                    random.uuid(), random.name(), owner: accountLevel ? nil : users.randomElement(using: &random)!.id,
                    random.scopes(), level: accountLevel ? .account : .user))
        }
        state = Fixture.state(users: users, credentials: credentials, account: "t")

        var desiredUsers: [DesiredUser] = []
        let prune = Bool.random(using: &random)
        for user in users {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: desiredUsers.append(Fixture.absentUser(user.id))
            case 1:
                desiredUsers.append(
                    Fixture.desiredUser(Fixture.user(user.id, License.allCases.randomElement(using: &random)!)))
            case 2 where prune: break
            default: desiredUsers.append(Fixture.desiredUser(user))
            }
        }
        if Bool.random(using: &random) { desiredUsers.append(Fixture.desiredUser(Fixture.user("new@t", .supervisor))) }
        let owners = desiredUsers.filter { $0.user != nil }.map(\.id)
        var entries: [DesiredCredential] = []
        for credential in credentials {
            let pin = credential.level == .account || Bool.random(using: &random) ? credential.clientId : nil
            switch Int.random(in: 0..<8, using: &random) {
            case 0 where !prune: continue
            case 1:
                entries.append(
                    Fixture.desiredCredential(
                        credential.name, owner: credential.owner, [], level: credential.level, clientId: pin,
                        ensure: .absent))
            case 2:
                entries.append(
                    Fixture.desiredCredential(
                        credential.name, owner: credential.owner, random.scopes(), level: credential.level,
                        clientId: pin))
            case 3:
                entries.append(
                    Fixture.desiredCredential(
                        random.name(), owner: credential.owner, credential.scopes, level: credential.level,
                        clientId: credential.clientId))
            default:
                entries.append(
                    Fixture.desiredCredential(
                        credential.name, owner: credential.owner, credential.scopes, level: credential.level,
                        clientId: pin))
            }
        }
        for _ in 0..<Int.random(in: 0...4, using: &random) where !owners.isEmpty {
            entries.append(
                Fixture.desiredCredential(random.name(), owner: owners.randomElement(using: &random)!, random.scopes()))
        }
        // Entries that name a credential of someone else's, or pin one under another owner.
        for _ in 0..<Int.random(in: 0...2, using: &random) where !credentials.isEmpty && !owners.isEmpty {
            let target = credentials.randomElement(using: &random)!
            let owner = owners.randomElement(using: &random)!
            entries.append(
                Bool.random(using: &random)
                    ? Fixture.desiredCredential(target.name, owner: owner, random.scopes())
                    : Fixture.desiredCredential(random.name(), owner: owner, random.scopes(), clientId: target.clientId)
            )
        }
        desired = Fixture.desired(
            users: desiredUsers, credentials: entries,
            settings: Settings(prune: prune, maxDeletes: Int.random(in: 0...3, using: &random)), account: "t")
    }

    /// Identifiers the actor's own, in-view manifest entries spell (a name it chose, a
    /// client ID it pinned): it knows them already.
    func spelledInView(by visibility: Visibility) -> Set<String> {
        var spelled = Set<String>()
        for entry in desired.credentials where visibility.canSee(level: entry.spec.level, owner: entry.spec.owner) {
            spelled.insert(entry.spec.name)
            if let clientId = entry.clientId { spelled.insert(clientId) }
        }
        return spelled
    }

    /// Fresh credentials the actor cannot see: another owner's, or account-level.
    func otherHidden(for visibility: Visibility, using random: inout SplitMix) -> [Credential] {
        let others = state.users.filter { !visibility.canSee(level: .user, owner: $0.id) }
        return (0..<Int.random(in: 0...5, using: &random)).compactMap { _ in
            guard let owner = others.randomElement(using: &random), Bool.random(using: &random) else {
                return Fixture.credential(random.uuid(), random.name(), owner: nil, random.scopes(), level: .account)
            }
            return Fixture.credential(random.uuid(), random.name(), owner: owner.id, random.scopes())
        }
    }
}

/// SplitMix64: a seeded generator, so every failing seed can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func hex(_ count: Int) -> String {
        String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &self)! })
    }

    /// A lowercase UUID of version 4's shape.
    mutating func uuid() -> String {
        "\(hex(8))-\(hex(4))-4\(hex(3))-8\(hex(3))-\(hex(12))"
    }

    /// A name no other credential has: a substring match on it means the credential.
    mutating func name() -> String { "n\(hex(10))" }

    mutating func scopes() -> ScopeSet {
        var scopes = ScopeSet(Scope.builtIn.filter { _ in Bool.random(using: &self) })
        if scopes.isEmpty { scopes = [Scope.builtIn.randomElement(using: &self)!] }
        return scopes
    }
}
