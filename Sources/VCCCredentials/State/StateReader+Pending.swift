import StrictJSON

/// The `pending` steps of a state (format 2): what a portal apply handed to a person.
extension StateReader {
    private enum StepKey: String, CaseIterable {
        case action, by, dependsOn, id, kind, planDigest, plannedAt, rotates, target, to
    }
    private enum RotatesKey: String, CaseIterable { case overlap, predecessor }
    private enum TargetKey: String, CaseIterable { case id, clientId, level, name, owner }
    private enum ToKey: String, CaseIterable { case name, scopes, license }

    private static let stepKeys = Keys<StepKey>()
    private static let targetKeys = Keys<TargetKey>()
    private static let toKeys = Keys<ToKey>()
    private static let rotatesKeys = Keys<RotatesKey>()

    /// The members of a step, each nil until read and valid.
    private struct StepFields {
        var action: Action?
        var by: String?
        var dependsOn: [ChangeID]?
        var id: ChangeID?
        var kind: ChangeSubject.Kind?
        var planDigest: String?
        var plannedAt: Timestamp?
        var target: [TargetKey: String] = [:]
        var targetOffset: Int?
        var to: [ToKey: String] = [:]
        var toScopes: ScopeSet?
        /// `to` had `scopes`, valid or not (an invalid one is reported where it is).
        var toHasScopes = false
        var toOffset: Int?
        var rotates: (predecessor: String, overlap: TimeSpan)?
        var rotatesOffset: Int?
        var rotatesValid = true
    }

    /// Why `text` is not a change id as plans spell it, or nil.
    private static func changeIDProblem(_ text: String, what: String) -> String? {
        if let problem = Identifiers.nameProblem(text, what: what) { return problem }
        return ChangeID(text) == nil ? "\(what) \(Quoted.of(text)) is not a change id (\(ChangeID.spellings))" : nil
    }

    mutating func readPendingStep(_ cursor: inout JSONCursor) throws(SyntaxError) -> PendingStep? {
        let offset = cursor.offset()
        var fields = StepFields()
        let read = try object("pending step", keys: Self.stepKeys, optional: [.to, .rotates], &cursor) {
            reader, key, cursor throws(SyntaxError) in try reader.readStepMember(key, into: &fields, &cursor)
        }
        guard read, let action = fields.action, let by = fields.by, let dependsOn = fields.dependsOn,
            let id = fields.id, let kind = fields.kind, let planDigest = fields.planDigest,
            let plannedAt = fields.plannedAt, let targetOffset = fields.targetOffset
        else { return nil }
        if action == .delete, let toOffset = fields.toOffset {
            problems.add("a pending delete has no 'to'", at: toOffset)
            return nil
        }
        if action != .delete && fields.toOffset == nil {
            problems.add("pending \(action.rawValue) step is missing 'to'", at: offset)
            return nil
        }
        guard let subject = subject(kind: kind, action: action, fields, targetOffset: targetOffset) else { return nil }
        guard fields.rotatesValid else { return nil }
        if let rotatesOffset = fields.rotatesOffset, action != .create || kind != .credential {
            problems.add("only a pending credential create 'rotates' a predecessor", at: rotatesOffset)
            return nil
        }
        return PendingStep(
            id: id, action: action, subject: subject, by: by, plannedAt: plannedAt, planDigest: planDigest,
            dependsOn: dependsOn, rotates: fields.rotates)
    }

    private mutating func readStepMember(_ key: StepKey, into fields: inout StepFields, _ cursor: inout JSONCursor)
        throws(SyntaxError)
    {
        switch key {
        case .action:
            fields.action = try enumeration("action", as: Action.self, &cursor)
        case .by:
            fields.by = try string("by", &cursor, check: Identifiers.userIdProblem)
        case .dependsOn:
            fields.dependsOn = try array("dependsOn", &cursor) { reader, cursor throws(SyntaxError) in
                try reader.string("dependsOn", &cursor) { Self.changeIDProblem($0, what: "dependsOn") }.flatMap(
                    ChangeID.init)
            }?.items
        case .id:
            fields.id = try string("step id", &cursor) { Self.changeIDProblem($0, what: "step id") }.flatMap(
                ChangeID.init)
        case .kind:
            fields.kind = try enumeration("kind", as: ChangeSubject.Kind.self, &cursor)
        case .planDigest:
            fields.planDigest = try string("planDigest", &cursor) { SchemaRules.sha256Problem($0, "planDigest") }
        case .plannedAt:
            fields.plannedAt = try timestamp("plannedAt", &cursor)
        case .rotates:
            newerFeatures.append((.rotates, cursor.offset()))
            fields.rotatesOffset = cursor.offset()
            var predecessor: String?
            var overlap: TimeSpan?
            let read = try object("rotates", keys: Self.rotatesKeys, optional: [], &cursor) {
                reader, key, cursor throws(SyntaxError) in
                switch key {
                case .predecessor:
                    predecessor = try reader.string("rotates predecessor", &cursor) { value in
                        Identifiers.isLowercaseUUID(value)
                            ? nil : "predecessor \(Quoted.of(value)) is not a lowercase UUID"
                    }
                case .overlap:
                    overlap = try reader.string("rotates overlap", &cursor) { TimeSpan.problem($0, "rotates overlap") }
                        .flatMap(TimeSpan.init)
                }
            }
            if read, let predecessor, let overlap {
                fields.rotates = (predecessor, overlap)
            } else {
                fields.rotatesValid = false
            }
        case .target:
            let offset = cursor.offset()
            var target: [TargetKey: String] = [:]
            let read = try object("target", keys: Self.targetKeys, optional: TargetKey.allCases, &cursor) {
                reader, key, cursor throws(SyntaxError) in
                if let value = try reader.string("target \(key.rawValue)", &cursor) { target[key] = value }
            }
            if read {
                fields.target = target
                fields.targetOffset = offset
            }
        case .to:
            fields.toOffset = cursor.offset()
            _ = try object("to", keys: Self.toKeys, optional: ToKey.allCases, &cursor) {
                reader, key, cursor throws(SyntaxError) in
                if key == .scopes {
                    fields.toHasScopes = true
                    fields.toScopes = try reader.readScopes(&cursor)
                } else if let value = try reader.string("to \(key.rawValue)", &cursor) {
                    fields.to[key] = value
                }
            }
        }
    }

    /// The subject the target and `to` make for a step of `kind`, each field checked as
    /// the state's own records are.
    private mutating func subject(kind: ChangeSubject.Kind, action: Action, _ fields: StepFields, targetOffset: Int)
        -> ChangeSubject?
    {
        let target = fields.target
        let toOffset = fields.toOffset ?? targetOffset
        func only(_ allowed: Set<TargetKey>, _ what: String) -> Bool {
            if let extra = target.keys.first(where: { !allowed.contains($0) }) {
                problems.add("a \(what) step's target has no \(Quoted.of(extra.rawValue))", at: targetOffset)
                return false
            }
            return true
        }
        switch kind {
        case .user:
            guard only([.id], "user") else { return nil }
            guard let id = target[.id] else {
                problems.add(SchemaRules.missingKey("id", in: "target"), at: targetOffset)
                return nil
            }
            if let problem = Identifiers.userIdProblem(id) { problems.add(problem, at: targetOffset) }
            guard fields.toOffset != nil else { return .user(id: id, before: nil, after: nil) }
            guard !fields.toHasScopes, let name = fields.to[.name], let licenseText = fields.to[.license] else {
                problems.add("a user step's 'to' has exactly 'name' and 'license'", at: toOffset)
                return nil
            }
            guard let license = License(rawValue: licenseText) else {
                problems.add(
                    "license \(Quoted.of(licenseText)) is not one of "
                        + "\(License.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: toOffset)
                return nil
            }
            return .user(id: id, before: nil, after: User(id: id, name: name, license: license))
        case .credential:
            guard only([.clientId, .level, .name, .owner], "credential") else { return nil }
            guard let name = target[.name], let levelText = target[.level],
                let level = CredentialLevel(rawValue: levelText)
            else {
                problems.add(
                    "a credential step's target needs 'name' and a 'level' of user or account", at: targetOffset)
                return nil
            }
            if let clientId = target[.clientId], !Identifiers.isLowercaseUUID(clientId) {
                problems.add("clientId \(Quoted.of(clientId)) is not a lowercase UUID", at: targetOffset)
                return nil
            }
            if (level == .user) != (target[.owner] != nil) {
                problems.add(
                    "a \(level.rawValue)-level target \(level == .user ? "needs" : "has no") 'owner'", at: targetOffset)
                return nil
            }
            if action != .create && target[.clientId] == nil {
                problems.add("a pending \(action.rawValue) names its credential by 'clientId'", at: targetOffset)
                return nil
            }
            let credentialTarget = CredentialTarget(
                clientId: target[.clientId], name: name, owner: target[.owner], level: level)
            guard fields.toOffset != nil else { return .credential(credentialTarget, before: nil, after: nil) }
            guard fields.to[.license] == nil, let newName = fields.to[.name], fields.toHasScopes else {
                problems.add("a credential step's 'to' has exactly 'name' and 'scopes'", at: toOffset)
                return nil
            }
            guard let scopes = fields.toScopes else { return nil }
            if let problem = Identifiers.credentialNameProblem(newName) { problems.add(problem, at: toOffset) }
            return .credential(
                credentialTarget, before: nil,
                after: CredentialSpec(name: newName, level: level, owner: target[.owner], scopes: scopes))
        }
    }

    /// Steps that fit the state they are in: a portal account's; unique ids, each the id
    /// a plan gives its target; `by` a user; a user created not there yet, a user changed
    /// there; a credential's owner a user (or one an earlier step creates); creates of
    /// credentials the state does not hold, updates and deletes of ones it does; and
    /// dependencies only on earlier steps (steps are in apply order), so every step can
    /// be recorded.
    mutating func validatePending(_ state: State) {
        guard !state.pending.isEmpty else { return }
        if state.account.executor != .portal {
            problems.add(
                "open portal steps on a \(state.account.executor.rawValue) account: only a portal account has them",
                at: pendingOffsets[0])
            return
        }
        let clientIds = Set(state.credentials.map(\.clientId))
        let users = Set(state.users.map(\.id))
        var earlier: Set<ChangeID> = []
        var usersCreated: Set<String> = []
        for (index, step) in state.pending.enumerated() {
            let offset = pendingOffsets[index]
            func fail(_ message: String) {
                problems.add("pending step \(Quoted.of(step.id.description)): \(message)", at: offset)
            }
            if earlier.contains(step.id) { fail("is listed twice") }
            if !users.contains(step.by) { fail("'by' \(Quoted.of(step.by)) is not a user in the state") }
            switch step.subject {
            case .user(let id, _, _):
                if step.id != .user(id) {
                    fail("its id must be \(Quoted.of(ChangeID.user(id).description)), as plans name its target")
                }
                if step.action == .create && users.contains(id) {
                    fail("creates user \(Quoted.of(id)), who is already in the state")
                }
                if step.action != .create && !users.contains(id) {
                    fail("changes user \(Quoted.of(id)), who is not in the state")
                }
                if step.action == .create { usersCreated.insert(id) }
            case .credential(let target, _, let spec):
                let expected =
                    target.clientId.map { ChangeID.credential(clientId: $0) }
                    ?? .unminted(spec.map(CredentialAddress.init) ?? CredentialAddress(target))
                if step.id != expected {
                    fail("its id must be \(Quoted.of(expected.description)), as plans name its target")
                }
                if let owner = target.owner, !users.contains(owner), !usersCreated.contains(owner) {
                    fail("owner \(Quoted.of(owner)) is not a user in the state")
                }
                if let clientId = target.clientId {
                    if step.action == .create && clientIds.contains(clientId) {
                        fail("creates credential \(clientId), which the state already holds")
                    }
                    if step.action != .create && !clientIds.contains(clientId) {
                        problems.add(
                            "pending \(step.action.rawValue) of credential \(Quoted.of(clientId)), which the state "
                                + "does not hold",
                            at: offset)
                    }
                }
            }
            for dependency in step.dependsOn where !earlier.contains(dependency) {
                problems.add(
                    "pending step \(Quoted.of(step.id.description)) depends on \(Quoted.of(dependency.description)), "
                        + "which is not pending before it",
                    at: offset)
            }
            earlier.insert(step.id)
        }
    }
}
