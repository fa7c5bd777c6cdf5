import AgeEncryption
import StrictYAML

/// Turns one YAML document into a ``ManifestFragment``, reporting every problem.
struct ManifestDecoder {
    var input: YAMLInput
    /// The current document's scope names that are not VCC's own.
    private var scopeUses: [ManifestFragment.Located<String>] = []

    init(file: String) {
        input = YAMLInput(file: file)
    }

    mutating func decode(_ root: YAMLNode) -> ManifestFragment {
        var fragment = ManifestFragment()
        guard let fields = input.mapping(root, ManifestSchema.document, what: "manifest") else { return fragment }
        if let node = fields["account"], let account = input.string(node, "account") {
            if let problem = Identifiers.accountIdProblem(account, what: "account") {
                input.error(problem, at: node.mark)
            } else {
                fragment.account = .init(value: account, location: input.location(node.mark))
            }
        }
        if let node = fields["settings"] { decodeSettings(node, into: &fragment) }
        if let node = fields["policy"] { decodePolicy(node, into: &fragment) }
        for item in input.list(fields["users"], "users") ?? [] {
            if let user = decodeUser(item) { fragment.users.append(user) }
        }
        for item in input.list(fields["credentials"], "credentials") ?? [] {
            if let entry = decodeCredential(item) { fragment.credentials.append(entry) }
        }
        fragment.scopeUses = scopeUses
        scopeUses = []
        return fragment
    }

    private mutating func decodeSettings(_ node: YAMLNode, into fragment: inout ManifestFragment) {
        guard let fields = input.mapping(node, ManifestSchema.settings, what: "settings") else { return }
        if let node = fields["prune"], let prune = input.bool(node, "prune") {
            fragment.prune = .init(value: prune, location: input.location(node.mark))
        }
        if let node = fields["maxDeletes"], let maximum = input.int(node, "maxDeletes", minimum: 0) {
            fragment.maxDeletes = .init(value: maximum, location: input.location(node.mark))
        }
        if let node = fields["recipients"], let recipients = decodeRecipients(node) {
            fragment.recipients = .init(value: recipients, location: input.location(node.mark))
        }
        if let node = fields["rotate"], let rotate = decodeRotation(node, what: "settings.rotate") {
            fragment.rotate = .init(value: rotate, location: input.location(node.mark))
        }
        if let node = fields["expiryWarning"], let warning = decodeSpan(node, "settings.expiryWarning") {
            fragment.expiryWarning = .init(value: warning, location: input.location(node.mark))
        }
        if let node = fields["sensitiveScopes"], let scopes = decodeScopes(node, allowEmpty: true) {
            fragment.sensitiveScopes = .init(value: scopes, location: input.location(node.mark))
        }
        if let node = fields["scopes"], let declarations = decodeScopeDeclarations(node) {
            fragment.scopes = .init(value: declarations, location: input.location(node.mark))
        }
        if let node = fields["region"], let region = input.enumeration(node, "settings.region", as: Region.self) {
            fragment.region = .init(value: region, location: input.location(node.mark))
        }
    }

    private mutating func decodePolicy(_ node: YAMLNode, into fragment: inout ManifestFragment) {
        guard let fields = input.mapping(node, ManifestSchema.policy, what: "policy") else { return }
        if let node = fields["forbidScopes"], let items = input.list(node, "policy.forbidScopes") {
            var forbidden: [Guardrails.ForbiddenScope] = []
            var valid = true
            for item in items {
                guard let entry = input.mapping(item, ManifestSchema.forbiddenScope, what: "policy.forbidScopes entry"),
                    let scope = decodeScope(entry["scope"])
                else {
                    valid = false
                    continue
                }
                if forbidden.contains(where: { $0.scope == scope }) {
                    input.error("policy.forbidScopes lists \(Quoted.of(scope.rawValue)) twice", at: item.mark)
                    valid = false
                }
                var except: [String] = []
                for user in input.list(entry["except"], "except") ?? [] {
                    guard let id = input.string(user, "except user") else {
                        valid = false
                        continue
                    }
                    if let problem = Identifiers.userIdProblem(id) {
                        input.error(problem, at: user.mark)
                        valid = false
                    }
                    except.append(id)
                }
                forbidden.append(
                    Guardrails.ForbiddenScope(scope: scope, except: except, location: input.location(item.mark)))
            }
            if valid { fragment.forbidScopes = .init(value: forbidden, location: input.location(node.mark)) }
        }
        if let node = fields["maxCredentialsPerUser"],
            let limit = input.int(node, "policy.maxCredentialsPerUser", minimum: 0)
        {
            fragment.maxCredentialsPerUser = .init(value: limit, location: input.location(node.mark))
        }
        if let node = fields["requireDescription"], let flag = input.bool(node, "policy.requireDescription") {
            fragment.requireDescription = .init(value: flag, location: input.location(node.mark))
        }
        if let node = fields["namePattern"], let pattern = input.string(node, "policy.namePattern") {
            if let problem = Guardrails.patternProblem(pattern) {
                input.error(problem, at: node.mark)
            } else {
                fragment.namePattern = .init(value: pattern, location: input.location(node.mark))
            }
        }
    }

    /// `{every: 90d, overlap: 7d}`: both required, the overlap shorter than the period.
    private mutating func decodeRotation(_ node: YAMLNode, what: String) -> RotationPolicy? {
        guard let fields = input.mapping(node, ManifestSchema.rotation, what: what) else { return nil }
        let every = fields["every"].flatMap { decodeSpan($0, what + ".every") }
        let overlap = fields["overlap"].flatMap { decodeSpan($0, what + ".overlap") }
        guard let every, let overlap else { return nil }
        if let problem = RotationPolicy.problem(every: every, overlap: overlap) {
            input.error(problem, at: node.mark)
            return nil
        }
        return RotationPolicy(every: every, overlap: overlap)
    }

    private mutating func decodeSpan(_ node: YAMLNode, _ what: String) -> TimeSpan? {
        guard let text = input.string(node, what) else { return nil }
        if let problem = TimeSpan.problem(text, what) {
            input.error(problem, at: node.mark)
            return nil
        }
        return TimeSpan(text)
    }

    /// A date (`2027-03-31`, the start of that day in UTC) or an RFC 3339 time.
    private mutating func decodeExpiry(_ node: YAMLNode) -> Timestamp? {
        guard let text = input.string(node, "expires") else { return nil }
        guard let time = Timestamp(dateOrTime: text) else {
            input.error(
                "expires \(Quoted.of(text)) is not a date like 2027-03-31 or a time like 2027-03-31T12:00:00Z",
                at: node.mark)
            return nil
        }
        return time
    }

    /// A list of age recipients, canonical and sorted: a set, not a sequence (order does
    /// not matter, and neither does it in the digest). nil when any is not a recipient.
    private mutating func decodeRecipients(_ node: YAMLNode) -> [String]? {
        guard let items = input.list(node, "recipients") else { return nil }
        var recipients: Set<String> = []
        var valid = true
        for item in items {
            guard let text = input.string(item, "recipient") else {
                valid = false
                continue
            }
            guard let recipient = try? X25519Recipient(text) else {
                input.error("recipient: " + X25519Recipient.problem(with: text), at: item.mark)
                valid = false
                continue
            }
            recipients.insert(recipient.description)
        }
        return valid ? recipients.sorted() : nil
    }

    private mutating func decodeUser(_ node: YAMLNode) -> DesiredUser? {
        guard let fields = input.mapping(node, ManifestSchema.user, what: "user") else { return nil }
        let id = input.string(fields["id"], "user id")
        if let id, let problem = Identifiers.userIdProblem(id), let idNode = fields["id"] {
            input.error(problem, at: idNode.mark)
            return nil
        }
        let ensure = fields["ensure"].map { input.enumeration($0, "ensure value", as: Ensure.self) } ?? .present
        let name = input.string(fields["name"], "user name")
        if let name, let problem = Identifiers.nameProblem(name, what: "user name"), let nameNode = fields["name"] {
            input.error(problem, at: nameNode.mark)
        }
        let license = input.enumeration(fields["license"], "license", as: License.self)
        let login = fields["login"].flatMap { input.string($0, "login") }
        if let login, let problem = Identifiers.loginProblem(login), let loginNode = fields["login"] {
            input.error(problem, at: loginNode.mark)
        }
        let recipients = fields["recipients"].map { decodeRecipients($0) } ?? []
        var email: String?
        if let node = fields["email"], let text = input.string(node, "email") {
            if let problem = Identifiers.emailProblem(text) {
                input.error(problem, at: node.mark)
            } else {
                email = text
            }
        }
        guard let id, let ensure else { return nil }
        let location = input.location(node.mark)
        if ensure == .absent {
            if let mark = fields.keyMark("recipients") {
                input.error(
                    "user \(Quoted.of(id)) is 'ensure: absent': it has no credentials to receive secrets of; remove "
                        + "'recipients'",
                    at: mark)
            }
            return DesiredUser(id: id, user: nil, login: login, location: location)
        }
        if fields["name"] == nil { input.error("user \(Quoted.of(id)) is missing 'name'", at: node.mark) }
        if fields["license"] == nil { input.error("user \(Quoted.of(id)) is missing 'license'", at: node.mark) }
        guard let name, let license, let recipients else { return nil }
        return DesiredUser(
            id: id, user: User(id: id, name: name, license: license, email: email), login: login,
            recipients: recipients, location: location)
    }

    private mutating func decodeCredential(_ node: YAMLNode) -> ManifestFragment.CredentialEntry? {
        guard let fields = input.mapping(node, ManifestSchema.credential, what: "credential") else { return nil }
        let name = input.string(fields["name"], "credential name")
        if let name, let problem = Identifiers.credentialNameProblem(name), let nameNode = fields["name"] {
            input.error(problem, at: nameNode.mark)
        }
        let level = fields["level"].map { input.enumeration($0, "level", as: CredentialLevel.self) } ?? .user
        let ensure = fields["ensure"].map { input.enumeration($0, "ensure value", as: Ensure.self) } ?? .present
        let owner = input.string(fields["owner"], "owner")
        let clientId = decodeClientId(fields["clientId"])
        let scopes = decodeScopes(fields["scopes"])
        let recipients = decodeCredentialRecipients(fields, name: name)
        let rotate = fields["rotate"].map { decodeRotation($0, what: "rotate") }
        let expires = fields["expires"].map { decodeExpiry($0) }
        let description = fields["description"].flatMap { input.string($0, "description") }
        if let description, let problem = Identifiers.nameProblem(description, what: "description"),
            let mark = fields.keyMark("description")
        {
            input.error(problem, at: mark)
        }
        guard let name, let level, let ensure, let recipients else { return nil }
        if ensure == .absent, let mark = fields.keyMark("rotate") ?? fields.keyMark("expires") {
            input.error(
                "credential \(Quoted.of(name)) is 'ensure: absent': it is deleted, so it neither rotates nor "
                    + "expires; remove 'rotate' and 'expires'",
                at: mark)
        }
        if rotate == .some(nil) || expires == .some(nil) { return nil }
        if level == .user && fields["owner"] == nil {
            input.error("user-level credential \(Quoted.of(name)) is missing 'owner'", at: node.mark)
        }
        if level == .account, let ownerMark = fields.keyMark("owner") {
            input.error("account-level credential \(Quoted.of(name)) must not have an 'owner'", at: ownerMark)
        }
        if level == .account && fields["clientId"] == nil {
            input.error(
                "account-level credential \(Quoted.of(name)) needs 'clientId': account-level credentials are "
                    + "deprecated and can only be adopted",
                at: node.mark)
        }
        if ensure == .absent, let mark = fields.keyMark("recipients") ?? fields.keyMark("additionalRecipients") {
            input.error(
                "credential \(Quoted.of(name)) is 'ensure: absent': it gets no new secret to receive; remove its "
                    + "recipients",
                at: mark)
        }
        if ensure == .present && fields["scopes"] == nil {
            input.error("credential \(Quoted.of(name)) is missing 'scopes'", at: node.mark)
        }
        guard let scopes = scopes ?? (ensure == .absent && fields["scopes"] == nil ? ScopeSet() : nil) else {
            return nil
        }
        if level == .user && owner == nil { return nil }
        if fields["clientId"] != nil && clientId == nil { return nil }
        let spec = CredentialSpec(name: name, level: level, owner: level == .user ? owner : nil, scopes: scopes)
        let credential = DesiredCredential(
            clientId: clientId, spec: spec, ensure: ensure, recipients: recipients, rotate: rotate ?? nil,
            expires: expires ?? nil, description: description, location: input.location(node.mark))
        return .init(credential: credential, ownerLocation: fields["owner"].map { input.location($0.mark) })
    }

    /// `recipients:` (instead of the owner's) or `additionalRecipients:` (as well), never
    /// both: which of the two the owner's keys get would be a guess.
    private mutating func decodeCredentialRecipients(_ fields: YAMLFields, name: String?) -> CredentialRecipients? {
        let only = fields["recipients"].map { decodeRecipients($0) }
        let added = fields["additionalRecipients"].map { decodeRecipients($0) }
        if fields["recipients"] != nil, let mark = fields.keyMark("additionalRecipients") {
            input.error(
                "credential \(Quoted.of(name ?? "")) has both 'recipients' (instead of the owner's) and "
                    + "'additionalRecipients' (as well as the owner's); keep one",
                at: mark)
            return nil
        }
        switch (only, added) {
        case (let only??, nil): return .only(only)
        case (nil, let added??): return .ownerAnd(added)
        case (nil, nil): return .owner
        default: return nil
        }
    }

    private mutating func decodeClientId(_ node: YAMLNode?) -> String? {
        guard let node, let text = input.string(node, "clientId") else { return nil }
        let lowered = text.lowercased()
        guard Identifiers.isLowercaseUUID(lowered) else {
            input.error(
                "clientId \(Quoted.of(text)) is not a UUID like 6f1c2f8e-1b2c-4d3e-8f90-a1b2c3d4e5f6", at: node.mark)
            return nil
        }
        return lowered
    }

    /// One scope name: VCC's own, or a name `settings.scopes` must declare (checked once
    /// every file is read: ``ManifestFragment/scopeUses``).
    private mutating func decodeScope(_ node: YAMLNode?) -> Scope? {
        guard let node, let text = input.string(node, "scope") else { return nil }
        if let scope = Scope(builtIn: text) { return scope }
        guard ScopeDeclaration.identifierProblem(text) == nil else {
            let hint = Suggestion.hintOrChoices(for: text, in: Scope.builtIn.map(\.rawValue))
            input.error("unknown scope \(Quoted.of(text))\(hint)", at: node.mark)
            return nil
        }
        scopeUses.append(.init(value: text, location: input.location(node.mark)))
        return Scope(unresolved: text)
    }

    /// `settings.scopes`: each declaration checked on its own; across files, by the assembler.
    private mutating func decodeScopeDeclarations(_ node: YAMLNode) -> [ScopeDeclaration]? {
        guard let items = input.list(node, "settings.scopes") else { return nil }
        if items.count > ScopeDeclaration.maxDeclared {
            input.error(
                "settings.scopes declares \(items.count) scopes; at most \(ScopeDeclaration.maxDeclared)",
                at: node.mark)
            return nil
        }
        var declarations: [ScopeDeclaration] = []
        var valid = true
        for item in items {
            guard let fields = input.mapping(item, ManifestSchema.scopeDeclaration, what: "settings.scopes entry"),
                let idNode = fields["id"], let id = input.string(idNode, "id"),
                let labelNode = fields["label"], let label = input.string(labelNode, "label"),
                let unlocksNode = fields["unlocks"], let unlockItems = input.list(unlocksNode, "unlocks")
            else {
                valid = false
                continue
            }
            if let problem = ScopeDeclaration.identifierProblem(id) {
                input.error("scope \(Quoted.of(id)) \(problem)", at: idNode.mark)
                valid = false
            } else if Scope(builtIn: id) != nil {
                input.error("\(Quoted.of(id)) is one of VCC's own scopes: it needs no declaration", at: idNode.mark)
                valid = false
            } else if declarations.contains(where: { $0.id == id }) {
                input.error("settings.scopes declares \(Quoted.of(id)) twice", at: idNode.mark)
                valid = false
            }
            var unlocks: [String] = []
            for unlockNode in unlockItems {
                guard let text = input.string(unlockNode, "unlocks entry") else {
                    valid = false
                    continue
                }
                unlocks.append(text)
            }
            var licenses: [License] = [.admin]
            if let node = fields["licenses"], let items = input.list(node, "licenses") {
                licenses = items.compactMap { input.enumeration($0, "license", as: License.self) }
                if licenses.count < items.count { valid = false }
            }
            let sensitive = fields["sensitive"].flatMap { input.bool($0, "sensitive") } ?? false
            let declaration = ScopeDeclaration(
                id: id, label: label, unlocks: unlocks, licenses: licenses, sensitive: sensitive)
            if let problem = declaration.problem {
                input.error("scope \(Quoted.of(id)): \(problem)", at: item.mark)
                valid = false
            }
            declarations.append(declaration)
        }
        return valid ? declarations.sorted { Scope(unresolved: $0.id) < Scope(unresolved: $1.id) } : nil
    }

    private mutating func decodeScopes(_ node: YAMLNode?, allowEmpty: Bool = false) -> ScopeSet? {
        guard let node, let items = input.list(node, "scopes") else { return nil }
        guard !items.isEmpty || allowEmpty else {
            input.error("scopes is empty: give at least one scope", at: node.mark)
            return nil
        }
        var scopes = ScopeSet()
        var valid = true
        for item in items {
            guard let scope = decodeScope(item) else {
                valid = false
                continue
            }
            if !scopes.insert(scope) {
                input.error("scope \(Quoted.of(scope.rawValue)) is listed twice", at: item.mark)
            }
        }
        return valid ? scopes : nil
    }
}
