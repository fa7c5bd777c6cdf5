import StrictJSON

/// The state's `scopes`: the declarations of the scopes its credentials and open steps
/// hold that are not VCC's own (``State/declaredScopes``), read beside their writer
/// (``StateWriter/writeScopes(_:to:)``). Credentials come before `scopes` in the file,
/// so their scope names are resolved once both are read.
extension StateReader {
    private enum DeclarationKey: String, CaseIterable { case id, label, licenses, sensitive, unlocks }
    private static let declarationKeys = Keys<DeclarationKey>()

    /// One scope of a credential or a step: VCC's own, or a name `scopes` must declare.
    mutating func readScope(_ cursor: inout JSONCursor) throws(SyntaxError) -> Scope? {
        let offset = cursor.offset()
        guard let text = try string("scope", &cursor) else { return nil }
        if let scope = Scope(builtIn: text) { return scope }
        guard ScopeDeclaration.identifierProblem(text) == nil else {
            problems.add(
                "unknown scope \(Quoted.of(text))"
                    + Suggestion.hintOrChoices(for: text, in: Scope.builtIn.map(\.rawValue)),
                at: offset)
            return nil
        }
        unresolvedScopes.append((text, offset))
        return Scope(unresolved: text)
    }

    mutating func readScopeDeclarations(_ cursor: inout JSONCursor) throws(SyntaxError) -> [ScopeDeclaration]? {
        newerFeatures.append((.declaredScopes, cursor.offset()))
        let read = try array("scopes", &cursor) { reader, cursor throws(SyntaxError) in
            try reader.readScopeDeclaration(&cursor)
        }
        guard let read else { return nil }
        var declarations: [ScopeDeclaration] = []
        for (declaration, offset) in zip(read.items, read.offsets) {
            // Declared before a release made it VCC's own: the built-in one is used, and
            // the next write drops the declaration. A state is never bricked by an upgrade.
            if Scope(builtIn: declaration.id) != nil { continue }
            if declarations.contains(where: { $0.id == declaration.id }) {
                problems.add("scopes declares \(Quoted.of(declaration.id)) twice", at: offset)
                continue
            }
            if let problem = declaration.problem {
                problems.add("scope \(Quoted.of(declaration.id)): \(problem)", at: offset)
                continue
            }
            declarations.append(declaration)
        }
        return declarations
    }

    private mutating func readScopeDeclaration(_ cursor: inout JSONCursor) throws(SyntaxError) -> ScopeDeclaration? {
        var id: String?
        var label: String?
        var licenses: [License]?
        var sensitive: Bool?
        var unlocks: [String]?
        guard
            try object(
                "scope declaration", keys: Self.declarationKeys, &cursor,
                { reader, key, cursor throws(SyntaxError) in
                    switch key {
                    case .id:
                        id = try reader.string("scope id", &cursor) { text in
                            if Scope(builtIn: text) != nil { return nil }
                            return ScopeDeclaration.identifierProblem(text).map { "scope \(Quoted.of(text)) \($0)" }
                        }
                    case .label:
                        label = try reader.string("label", &cursor)
                    case .licenses:
                        licenses = try reader.array("licenses", &cursor) { reader, cursor throws(SyntaxError) in
                            try reader.enumeration("license", as: License.self, &cursor)
                        }?.items
                    case .sensitive:
                        if try reader.expect(.bool, "sensitive", "true or false", &cursor) {
                            sensitive = try cursor.readBool()
                        }
                    case .unlocks:
                        unlocks = try reader.array("unlocks", &cursor) { reader, cursor throws(SyntaxError) in
                            try reader.string("unlocks entry", &cursor)
                        }?.items
                    }
                })
        else { return nil }
        guard let id, let label, let licenses, let sensitive, let unlocks else { return nil }
        return ScopeDeclaration(id: id, label: label, unlocks: unlocks, licenses: licenses, sensitive: sensitive)
    }

    /// The declarations by identifier, with a problem where a scope name read has none.
    mutating func declaredScopes(_ declarations: [ScopeDeclaration]) -> [String: ScopeDeclaration] {
        let declared = Dictionary(declarations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, offset) in unresolvedScopes where declared[name] == nil {
            problems.add(
                "unknown scope \(Quoted.of(name))"
                    + Suggestion.hintOrChoices(for: name, in: Scope.builtIn.map(\.rawValue) + declared.keys.sorted()),
                at: offset)
        }
        return declared
    }

    /// Every scope name with its declaration.
    func resolveScopes(_ state: inout State, _ declared: [String: ScopeDeclaration]) {
        guard !unresolvedScopes.isEmpty else { return }
        state.resolveScopes(with: declared)
    }
}

extension StateWriter {
    /// `scopes`, sorted by id, each with sorted keys.
    static func writeScopes(_ declarations: [ScopeDeclaration], to out: inout JSONStreamWriter) {
        out.key("scopes")
        out.beginArray()
        for declaration in declarations {
            out.element()
            out.beginObject()
            out.field("id", declaration.id)
            out.field("label", declaration.label)
            out.key("licenses")
            out.strings(declaration.licenses.map(\.rawValue))
            out.key("sensitive")
            out.bool(declaration.sensitive)
            out.key("unlocks")
            out.strings(declaration.unlocks)
            out.endObject()
        }
        out.endArray()
    }
}

extension State {
    /// The state with each declared scope its credentials and open steps hold as
    /// `declarations` (the manifests') say, where they say something different; nil when
    /// nothing differs. The manifests win: a licence or label changed there is what
    /// plans decide by, and what the next commit writes.
    public func resolvingScopes(with declarations: [ScopeDeclaration]) -> State? {
        guard !declarations.isEmpty else { return nil }
        let current = declaredScopes
        let declared = Dictionary(declarations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard current.contains(where: { old in declared[old.id].map { $0 != old } ?? false }) else { return nil }
        var state = self
        state.resolveScopes(with: declared)
        return state
    }

    /// Each declared scope its credentials and open steps hold, with its declaration
    /// from `declared` (by identifier): what reading the state and planning both do.
    mutating func resolveScopes(with declared: [String: ScopeDeclaration]) {
        for index in credentials.indices where !credentials[index].scopes.declaredOnly.isEmpty {
            credentials[index].scopes = credentials[index].scopes.resolved(with: declared)
        }
        for index in pending.indices {
            guard case .credential(let target, var before, var after) = pending[index].subject else { continue }
            if let scopes = before?.scopes { before?.scopes = scopes.resolved(with: declared) }
            if let scopes = after?.scopes { after?.scopes = scopes.resolved(with: declared) }
            pending[index].subject = .credential(target, before: before, after: after)
        }
    }

    /// The declarations of the scopes not VCC's own that its credentials and open steps
    /// hold, in identifier order: what the file's `scopes` keeps, so the state says what
    /// each of its scopes is without the manifests.
    public var declaredScopes: [ScopeDeclaration] {
        var found: [String: ScopeDeclaration] = [:]
        func add(_ scopes: ScopeSet?) {
            for scope in scopes?.declaredOnly ?? [] {
                if let declaration = scope.declaration { found[declaration.id] = declaration }
            }
        }
        for credential in credentials { add(credential.scopes) }
        for step in pending {
            guard case .credential(_, let before, let after) = step.subject else { continue }
            add(before?.scopes)
            add(after?.scopes)
        }
        return found.values.sorted { Scope(unresolved: $0.id) < Scope(unresolved: $1.id) }
    }
}
