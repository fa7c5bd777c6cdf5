import StrictJSON

/// Reads a saved plan as strictly as the state: unknown keys, wrong types, unknown
/// actions or rules, and a summary that disagrees with the changes are all errors with
/// `file:line:column`. ``PlanFileWriter`` is its other half.
enum PlanFileReader {
    /// The order fields are shown in, as the planner produces them.
    static let fieldOrder = ["name", "license", "email", "level", "owner", "scopes"]

    static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> PlanDocument {
        var input = try JSONInput(parsing: bytes, file: file)
        let plan = decodePlan(input.document.root, &input)
        guard let plan, !input.hasProblems else { throw DiagnosticsError(input.diagnostics()) }
        return plan
    }

    private static let keys = [
        "formatVersion", "account", "actors", "state", "manifestsDigest", "toolVersion", "inputs",
        "changes", "hidden", "unmanaged", "summary", "awaiting", "rekey", "plannedAt", "rotations", "rotating",
        "expiring", "targeting", "refreshed",
    ]
    private static let optionalKeys = [
        "inputs", "awaiting", "rekey", "rotations", "rotating", "expiring", "targeting", "refreshed",
    ]

    private static func decodePlan(_ root: JSONValue, _ input: inout JSONInput) -> PlanDocument? {
        if case .object(let members) = root.content, let version = JSONFields(members: members)["formatVersion"],
            let number = version.int, number != PlanDocument.formatVersion
        {
            input.error(
                "plan format version \(number) is not supported (this vcc-creds reads "
                    + "\(PlanDocument.formatVersion)); plan again",
                at: version.offset)
            return nil
        }
        guard let object = input.object(root, "plan", keys: keys, required: keys.filter { !optionalKeys.contains($0) })
        else {
            return nil
        }
        _ = input.int(object["formatVersion"], "formatVersion", minimum: 1)
        let account = input.string(object["account"], "account")
        let actors = object["actors"].flatMap { decodeActors($0, &input) }
        let state = object["state"].flatMap { decodeState($0, &input) }
        let digest = input.string(object["manifestsDigest"], "manifestsDigest")
        let toolVersion = input.string(object["toolVersion"], "toolVersion")
        let inputs = object["inputs"].flatMap { decodeInputs($0, &input) }
        let changeNodes = input.array(object["changes"], "changes")
        let changes = changeNodes?.compactMap { decodeEntry($0, actors: actors ?? [], &input) }
        let hidden = object["hidden"].flatMap { decodeHidden($0, &input) }
        let unmanaged = object["unmanaged"].flatMap { decodeUnmanaged($0, &input) }
        let awaitingNodes = object["awaiting"].map { input.array($0, "awaiting") ?? [] } ?? []
        let awaiting = awaitingNodes.compactMap { decodeAwaiting($0, &input) }
        var rekey = 0
        if let node = object["rekey"],
            let fields = input.object(node, "rekey", keys: ["files"], required: ["files"]),
            let files = input.int(fields["files"], "rekey.files", minimum: 1)
        {
            rekey = files
        }
        let plannedAt = timestamp(object["plannedAt"], "plannedAt", &input)
        let rotations = (object["rotations"].map { input.array($0, "rotations") ?? [] } ?? []).compactMap {
            decodeRotationRequest($0, &input)
        }
        let rotating = (object["rotating"].map { input.array($0, "rotating") ?? [] } ?? []).compactMap {
            decodeRotating($0, &input)
        }
        let expiring = (object["expiring"].map { input.array($0, "expiring") ?? [] } ?? []).compactMap {
            decodeExpiring($0, &input)
        }
        var targeting = Targeting()
        var leftOut = 0
        if let node = object["targeting"],
            let fields = input.object(
                node, "targeting", keys: ["targets", "excludes", "leftOut"],
                required: ["targets", "excludes", "leftOut"])
        {
            targeting.targets =
                input.array(fields["targets"], "targeting.targets")?.compactMap { input.string($0, "target") } ?? []
            targeting.excludes =
                input.array(fields["excludes"], "targeting.excludes")?.compactMap { input.string($0, "exclude") } ?? []
            leftOut = input.int(fields["leftOut"], "targeting.leftOut") ?? 0
            if targeting.isEmpty { input.error("targeting names no --target and no --exclude", at: node.offset) }
        }
        let refreshed = object["refreshed"].flatMap { decodeRefreshed($0, &input) }
        guard let account, let actors, let state, let digest, let toolVersion, let changes, let hidden,
            let unmanaged, let plannedAt
        else { return nil }
        var plan = PlanDocument(
            account: account, actors: actors, state: state, manifestsDigest: digest,
            toolVersion: toolVersion, inputs: inputs, changes: changes, hidden: hidden, unmanaged: unmanaged,
            awaiting: awaiting, sealedFilesToRekey: rekey, plannedAt: plannedAt, rotationRequests: rotations,
            rotating: rotating, expiring: expiring)
        plan.targeting = targeting
        plan.leftOut = leftOut
        plan.refreshed = refreshed
        // A summary is compared only when every change was read: one bad change is one error.
        if let node = object["summary"], let summary = decodeSummary(node, &input), changes.count == changeNodes?.count,
            summary != plan.summary
        {
            input.error("summary does not match the changes (the plan was edited)", at: node.offset)
        }
        return plan
    }

    private static func decodeRefreshed(_ node: JSONValue, _ input: inout JSONInput) -> PlanDocument.Refreshed? {
        let keys = ["drift", "observed", "usersSHA256"]
        guard let fields = input.object(node, "refreshed", keys: keys, required: keys) else { return nil }
        let observed = input.int(fields["observed"], "refreshed.observed", minimum: 0)
        let digest = input.digest(fields["usersSHA256"], "refreshed.usersSHA256")
        let itemKeys = ["detail", "kind", "sign", "user"]
        let drift = input.array(fields["drift"], "refreshed.drift")?.compactMap {
            item -> PlanDocument.Refreshed.Drift? in
            guard let entry = input.object(item, "refreshed.drift entry", keys: itemKeys, required: itemKeys),
                let user = input.string(entry["user"], "user"), let kind = input.string(entry["kind"], "kind"),
                let sign = input.string(entry["sign"], "sign"), let detail = input.string(entry["detail"], "detail")
            else { return nil }
            return .init(user: user, kind: kind, sign: sign, detail: detail)
        }
        guard let observed, let digest, let drift else { return nil }
        return PlanDocument.Refreshed(observed: observed, usersSHA256: digest, drift: drift)
    }

    private static func decodeActors(_ value: JSONValue, _ input: inout JSONInput) -> [PlanDocument.Actor]? {
        guard let nodes = input.array(value, "actors") else { return nil }
        if nodes.isEmpty {
            input.error("actors must name at least one user", at: value.offset)
            return nil
        }
        var seen: Set<String> = []
        let actors = nodes.compactMap { node -> PlanDocument.Actor? in
            let keys = ["id", "license"]
            guard let object = input.object(node, "actor", keys: keys, required: keys),
                let id = input.string(object["id"], "actor id"),
                let license = input.enumeration(object["license"], "actor license", as: License.self)
            else { return nil }
            if !seen.insert(id).inserted {
                input.error("actor \(Quoted.of(id)) is listed twice", at: node.offset)
                return nil
            }
            return PlanDocument.Actor(id: id, license: license)
        }
        return actors.count == nodes.count ? actors : nil
    }

    private static func decodeState(_ value: JSONValue, _ input: inout JSONInput) -> PlanDocument.StateBinding? {
        let keys = ["lineage", "serial", "sha256"]
        guard let object = input.object(value, "state", keys: keys, required: keys) else { return nil }
        let lineage = input.string(object["lineage"], "state.lineage")
        let serial = input.int(object["serial"], "state.serial")
        let sha256 = input.digest(object["sha256"], "state.sha256")
        guard let lineage, let serial, let sha256 else { return nil }
        return PlanDocument.StateBinding(lineage: lineage, serial: serial, sha256: sha256)
    }

    private static func decodeInputs(_ value: JSONValue, _ input: inout JSONInput) -> PlanDocument.Inputs? {
        let keys = ["state", "manifests"]
        guard let object = input.object(value, "inputs", keys: keys, required: keys),
            let state = input.string(object["state"], "inputs.state"),
            let manifests = input.string(object["manifests"], "inputs.manifests")
        else { return nil }
        return PlanDocument.Inputs(state: state, manifests: manifests)
    }

    /// Older plans: `entries` may be absent (saved before it was counted: 0), and
    /// `users` present (always 0 then; it is no longer written).
    private static func decodeHidden(_ value: JSONValue, _ input: inout JSONInput) -> Plan.Hidden? {
        let keys = ["credentials", "entries", "users"]
        guard let object = input.object(value, "hidden", keys: keys, required: ["credentials"]),
            let credentials = input.int(object["credentials"], "hidden.credentials")
        else { return nil }
        if let users = object["users"], input.int(users, "hidden.users", minimum: 0, maximum: 0) == nil { return nil }
        let entries = object["entries"].map { input.int($0, "hidden.entries") } ?? 0
        guard let entries else { return nil }
        return Plan.Hidden(credentials: credentials, entries: entries)
    }

    private static func decodeSummary(_ value: JSONValue, _ input: inout JSONInput) -> Plan.Summary? {
        let keys = ["create", "update", "delete", "refused"]
        guard let object = input.object(value, "summary", keys: keys, required: keys),
            let create = input.int(object["create"], "summary.create"),
            let update = input.int(object["update"], "summary.update"),
            let delete = input.int(object["delete"], "summary.delete"),
            let refused = input.int(object["refused"], "summary.refused")
        else { return nil }
        return Plan.Summary(create: create, update: update, delete: delete, refused: refused)
    }

    private static func decodeUnmanaged(_ value: JSONValue, _ input: inout JSONInput) -> Plan.Unmanaged? {
        let keys = ["users", "credentials"]
        guard let object = input.object(value, "unmanaged", keys: keys, required: keys) else { return nil }
        let users = input.array(object["users"], "unmanaged.users")?.compactMap { item -> String? in
            guard let user = input.object(item, "unmanaged user", keys: ["id"], required: ["id"]) else { return nil }
            return input.string(user["id"], "id")
        }
        let credentials = input.array(object["credentials"], "unmanaged.credentials")?.compactMap {
            decodeCredentialTarget($0, &input)
        }
        guard let users, let credentials else { return nil }
        return Plan.Unmanaged(users: users, credentials: credentials)
    }

    private static func decodeCredentialTarget(_ value: JSONValue, _ input: inout JSONInput) -> CredentialTarget? {
        guard
            let object = input.object(
                value, "credential target", keys: ["clientId", "name", "owner", "level"], required: ["name", "level"])
        else { return nil }
        let clientId = input.string(object["clientId"], "clientId")
        let name = input.string(object["name"], "name")
        let owner = input.string(object["owner"], "owner")
        let level = input.enumeration(object["level"], "level", as: CredentialLevel.self)
        guard let name, let level else { return nil }
        return CredentialTarget(clientId: clientId, name: name, owner: owner, level: level)
    }

    /// A change's or a step's target, of its kind.
    private static func decodeTarget(_ node: JSONValue, kind: ChangeSubject.Kind, _ input: inout JSONInput)
        -> ChangeTarget?
    {
        switch kind {
        case .user:
            guard let user = input.object(node, "user target", keys: ["id"], required: ["id"]),
                let userId = input.string(user["id"], "id")
            else { return nil }
            return .user(id: userId)
        case .credential:
            return decodeCredentialTarget(node, &input).map(ChangeTarget.credential)
        }
    }

    private static let awaitingKeys = ["id", "action", "kind", "target", "by", "plannedAt"]

    /// An open portal step as a plan shows it.
    private static func decodeAwaiting(_ value: JSONValue, _ input: inout JSONInput) -> PlanDocument.Awaiting? {
        guard let object = input.object(value, "awaiting step", keys: awaitingKeys, required: awaitingKeys) else {
            return nil
        }
        let id = input.changeID(object["id"], "id")
        let action = input.enumeration(object["action"], "action", as: Action.self)
        let kind = input.enumeration(object["kind"], "kind", as: ChangeSubject.Kind.self)
        let target = kind.flatMap { kind in object["target"].flatMap { decodeTarget($0, kind: kind, &input) } }
        let by = input.string(object["by"], "by")
        var plannedAt: Timestamp?
        if let node = object["plannedAt"], let text = input.string(node, "plannedAt") {
            do {
                plannedAt = try SchemaRules.timestamp(text, "plannedAt")
            } catch {
                input.error(error.message, at: node.offset)
            }
        }
        guard let id, let action, let target, let by, let plannedAt else { return nil }
        return PlanDocument.Awaiting(id: id, action: action, target: target, by: by, plannedAt: plannedAt)
    }

    private static func timestamp(_ node: JSONValue?, _ what: String, _ input: inout JSONInput) -> Timestamp? {
        guard let node, let text = input.string(node, what) else { return nil }
        do {
            return try SchemaRules.timestamp(text, what)
        } catch {
            input.error(error.message, at: node.offset)
            return nil
        }
    }

    private static func span(_ node: JSONValue?, _ what: String, _ input: inout JSONInput) -> TimeSpan? {
        guard let node, let text = input.string(node, what) else { return nil }
        if let problem = TimeSpan.problem(text, what) {
            input.error(problem, at: node.offset)
            return nil
        }
        return TimeSpan(text)
    }

    private static func clientId(_ node: JSONValue?, _ what: String, _ input: inout JSONInput) -> String? {
        guard let node, let text = input.string(node, what) else { return nil }
        guard Identifiers.isLowercaseUUID(text) else {
            input.error("\(what) \(Quoted.of(text)) is not a lowercase UUID", at: node.offset)
            return nil
        }
        return text
    }

    private static func decodeRotationRequest(_ value: JSONValue, _ input: inout JSONInput) -> RotationRequest? {
        let keys = ["credential", "overlap"]
        guard let object = input.object(value, "rotation", keys: keys, required: ["credential"]) else { return nil }
        let credential = input.string(object["credential"], "rotation credential")
        let overlap = object["overlap"].map { span($0, "rotation overlap", &input) }
        guard let credential else { return nil }
        if overlap == .some(nil) { return nil }
        return RotationRequest(credential: credential, overlap: overlap ?? nil)
    }

    private static func decodeRotating(_ value: JSONValue, _ input: inout JSONInput) -> RotationNotice? {
        let keys = ["successor", "predecessor", "overlapEndsAt"]
        guard let object = input.object(value, "rotating entry", keys: keys, required: keys) else { return nil }
        let successor = object["successor"].flatMap { decodeCredentialTarget($0, &input) }
        let predecessor = clientId(object["predecessor"], "predecessor", &input)
        let ends = timestamp(object["overlapEndsAt"], "overlapEndsAt", &input)
        guard let successor, let predecessor, let ends else { return nil }
        return RotationNotice(successor: successor, predecessor: predecessor, overlapEndsAt: ends)
    }

    private static func decodeExpiring(_ value: JSONValue, _ input: inout JSONInput) -> ExpiryNotice? {
        let keys = ["target", "expires"]
        guard let object = input.object(value, "expiring entry", keys: keys, required: keys) else { return nil }
        let target = object["target"].flatMap { decodeCredentialTarget($0, &input) }
        let expires = timestamp(object["expires"], "expires", &input)
        guard let target, let expires else { return nil }
        return ExpiryNotice(target: target, expires: expires)
    }

    /// ``PlanFileWriter``'s `lifecycle` of a change, checked field by field for its kind.
    private static func decodeLifecycle(_ value: JSONValue, _ input: inout JSONInput) -> Lifecycle? {
        let keys = [
            "kind", "predecessor", "overlap", "trigger", "migration", "ageDays", "every", "successor", "overlapEnded",
            "expires",
        ]
        guard let object = input.object(value, "lifecycle", keys: keys, required: ["kind"]),
            let kindNode = object["kind"], let kind = input.string(kindNode, "lifecycle kind")
        else { return nil }
        let allowed: [String]
        switch kind {
        case "rotation": allowed = ["kind", "predecessor", "overlap", "trigger", "migration", "ageDays", "every"]
        case "retirement": allowed = ["kind", "successor", "overlapEnded"]
        case "expiry": allowed = ["kind", "expires"]
        default:
            input.error(
                "lifecycle kind must be rotation, retirement or expiry, not \(Quoted.of(kind))", at: kindNode.offset)
            return nil
        }
        for key in keys where object[key] != nil && !allowed.contains(key) {
            input.error("a \(kind) lifecycle has no \(key)", at: object[key]!.offset)
        }
        switch kind {
        case "rotation":
            let predecessor = clientId(object["predecessor"], "predecessor", &input)
            let overlap = span(object["overlap"], "overlap", &input)
            let migration = input.bool(object["migration"], "migration")
            let triggerName = input.string(object["trigger"], "trigger")
            var trigger: RotationTrigger?
            switch triggerName {
            case "requested"?: trigger = .requested
            case "due"?:
                let age = input.int(object["ageDays"], "ageDays")
                let every = span(object["every"], "every", &input)
                if let age, let every { trigger = .due(ageDays: Int64(age), every: every) }
            case let other?:
                input.error("trigger must be due or requested, not \(Quoted.of(other))", at: object["trigger"]!.offset)
            case nil:
                break
            }
            guard let predecessor, let overlap, let migration, let trigger else {
                if object["predecessor"] == nil || object["overlap"] == nil || object["migration"] == nil
                    || object["trigger"] == nil
                {
                    input.error(
                        "a rotation lifecycle needs predecessor, overlap, trigger and migration", at: value.offset)
                }
                return nil
            }
            return .rotation(predecessor: predecessor, overlap: overlap, trigger: trigger, migration: migration)
        case "retirement":
            let ended = timestamp(object["overlapEnded"], "overlapEnded", &input)
            let successor = object["successor"].map { clientId($0, "successor", &input) }
            guard let ended else {
                if object["overlapEnded"] == nil {
                    input.error("a retirement lifecycle needs overlapEnded", at: value.offset)
                }
                return nil
            }
            if successor == .some(nil) { return nil }
            return .retirement(successor: successor ?? nil, overlapEnded: ended)
        default:
            guard let expires = timestamp(object["expires"], "expires", &input) else {
                if object["expires"] == nil { input.error("an expiry lifecycle needs expires", at: value.offset) }
                return nil
            }
            return .expiry(expires: expires)
        }
    }

    private static let entryKeys = [
        "id", "action", "kind", "target", "diff", "decision", "by", "rule", "reason", "appliableBy", "alsoRefused",
        "dependsOn", "location", "lifecycle", "apis", "sensitive",
    ]

    private static func decodeEntry(_ value: JSONValue, actors: [PlanDocument.Actor], _ input: inout JSONInput)
        -> PlanDocument.Entry?
    {
        guard
            let object = input.object(
                value, "change", keys: entryKeys, required: ["id", "action", "kind", "target", "diff", "decision"])
        else { return nil }
        let id = input.changeID(object["id"], "id")
        let action = input.enumeration(object["action"], "action", as: Action.self)
        let kind = input.enumeration(object["kind"], "kind", as: ChangeSubject.Kind.self)
        let target = kind.flatMap { kind in object["target"].flatMap { decodeTarget($0, kind: kind, &input) } }
        let diff = object["diff"].flatMap { decodeDiff($0, &input) }
        let decision = decodeDecision(object, actors: actors, &input)
        let dependsOn =
            input.array(object["dependsOn"], "dependsOn")?.compactMap { input.changeID($0, "dependsOn") } ?? []
        let location = input.string(object["location"], "location")
        let lifecycle = object["lifecycle"].map { decodeLifecycle($0, &input) }
        var impact: ScopeImpact?
        if let node = object["apis"],
            let apis = input.object(node, "apis", keys: ["gained", "lost"], required: ["gained", "lost"])
        {
            let gained = input.array(apis["gained"], "apis.gained")?.compactMap { input.string($0, "api") } ?? []
            let lost = input.array(apis["lost"], "apis.lost")?.compactMap { input.string($0, "api") } ?? []
            let sensitive =
                input.array(object["sensitive"], "sensitive")?.compactMap { input.string($0, "sensitive scope") } ?? []
            impact = ScopeImpact(gained: gained, lost: lost, sensitive: sensitive)
        } else if let node = object["sensitive"] {
            input.error("sensitive needs apis (the change's impact)", at: node.offset)
        }
        guard let id, let action, let target, let diff, let decision else { return nil }
        if lifecycle == .some(nil) { return nil }
        return PlanDocument.Entry(
            id: id, action: action, target: target, diff: diff, decision: decision, dependsOn: dependsOn,
            location: location, lifecycle: lifecycle ?? nil, impact: impact)
    }

    private static func decodeDiff(_ value: JSONValue, _ input: inout JSONInput) -> [FieldDiff]? {
        guard let fields = input.object(value, "diff", keys: fieldOrder, required: []) else { return nil }
        var result: [FieldDiff] = []
        for key in fieldOrder {
            guard let node = fields[key],
                let change = input.object(node, "diff.\(key)", keys: ["from", "to"], required: ["from", "to"])
            else { continue }
            result.append(
                FieldDiff(field: key, from: diffValue(change["from"], &input), to: diffValue(change["to"], &input)))
        }
        return result
    }

    private static func diffValue(_ value: JSONValue?, _ input: inout JSONInput) -> FieldDiff.Value? {
        guard let value else { return nil }
        switch value.content {
        case .null: return nil
        case .string(let text): return .text(text)
        case .array(let items): return .list(items.compactMap { input.string($0, "diff value") })
        case .bool, .number, .object:
            input.error("a diff value must be a string, a list of strings or null", at: value.offset)
            return nil
        }
    }

    private static func decodeDecision(_ object: JSONFields, actors: [PlanDocument.Actor], _ input: inout JSONInput)
        -> Decision?
    {
        guard let node = object["decision"], let decision = input.string(node, "decision") else { return nil }
        switch decision {
        case "permitted":
            for key in ["rule", "reason", "appliableBy", "alsoRefused"] {
                if let extra = object[key] { input.error("a permitted change has no \(key)", at: extra.offset) }
            }
            // An error here still reads the change as permitted, so the summary is checked too.
            guard let byNode = object["by"] else {
                input.error("a permitted change needs by (the actor that makes it)", at: node.offset)
                return .permitted(by: "")
            }
            guard let by = input.string(byNode, "by") else { return .permitted(by: "") }
            if !actors.isEmpty && !actors.contains(where: { $0.id == by }) {
                input.error("by \(Quoted.of(by)) is not one of the plan's actors", at: byNode.offset)
            }
            return .permitted(by: by)
        case "refused":
            if let extra = object["by"] { input.error("a refused change has no by", at: extra.offset) }
            let rule = input.enumeration(object["rule"], "rule", as: RuleID.self)
            let reason = input.string(object["reason"], "reason")
            let appliableBy = input.array(object["appliableBy"], "appliableBy")?.compactMap {
                input.string($0, "appliableBy")
            }
            let missing = ["rule", "reason", "appliableBy"].filter { object[$0] == nil }
            if !missing.isEmpty {
                input.error("a refused change needs \(missing.joined(separator: ", "))", at: node.offset)
            }
            let alsoRefused = object["alsoRefused"].map { decodeAlsoRefused($0, appliableBy: appliableBy, &input) }
            guard let rule, let reason, let appliableBy else { return nil }
            return .refused(rule: rule, reason: reason, appliableBy: appliableBy, alsoRefused: alsoRefused ?? [])
        default:
            input.error("decision must be permitted or refused, not \(Quoted.of(decision))", at: node.offset)
            return nil
        }
    }

    /// `alsoRefused` as the writer writes it: only where `appliableBy` is empty, and
    /// naming someone, each once (plans made before it existed have none).
    private static func decodeAlsoRefused(_ value: JSONValue, appliableBy: [String]?, _ input: inout JSONInput)
        -> [RefusedCandidate]
    {
        guard let items = input.array(value, "alsoRefused") else { return [] }
        if items.isEmpty { input.error("alsoRefused, when present, names someone", at: value.offset) }
        if let appliableBy, !appliableBy.isEmpty {
            input.error("alsoRefused is for a change nobody can apply, but appliableBy names someone", at: value.offset)
        }
        var result: [RefusedCandidate] = []
        for item in items {
            let keys = ["user", "rule", "reason"]
            guard let fields = input.object(item, "alsoRefused entry", keys: keys, required: keys) else { continue }
            let user = input.string(fields["user"], "user")
            let rule = input.enumeration(fields["rule"], "rule", as: RuleID.self)
            let reason = input.string(fields["reason"], "reason")
            guard let user, let rule, let reason else { continue }
            if result.contains(where: { $0.user == user }) {
                input.error("alsoRefused names \(Quoted.of(user)) twice", at: item.offset)
            }
            result.append(RefusedCandidate(user: user, rule: rule, reason: reason))
        }
        return result
    }
}
