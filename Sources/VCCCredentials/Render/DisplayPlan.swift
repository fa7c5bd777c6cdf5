extension PlanDocument {
    /// The plan with every value from the input escaped by ``Printable``: what the text
    /// and Markdown renderers draw, so a name holding a zero-width space or a direction
    /// override (from a state, manifests, or a hand-edited saved plan) reads as what it
    /// is. JSON keeps the values as they are: its readers are programs.
    func escapedForDisplay() -> PlanDocument {
        var copy = self
        copy.account = Printable.escaped(account)
        copy.actors = actors.map { Actor(id: Printable.escaped($0.id), license: $0.license) }
        copy.changes = changes.map { entry in
            var shown = entry
            shown.id = entry.id.mapParts(Printable.escaped)
            shown.target = entry.target.escapedForDisplay()
            shown.diff = entry.diff.map { field in
                FieldDiff(field: field.field, from: field.from?.escapedForDisplay(), to: field.to?.escapedForDisplay())
            }
            if case .permitted(let actor) = entry.decision {
                shown.decision = .permitted(by: Printable.escaped(actor))
            }
            if case .refused(let rule, let reason, let appliableBy, let alsoRefused) = entry.decision {
                shown.decision = .refused(
                    rule: rule, reason: Printable.escaped(reason), appliableBy: appliableBy.map(Printable.escaped),
                    alsoRefused: alsoRefused.map {
                        RefusedCandidate(
                            user: Printable.escaped($0.user), rule: $0.rule, reason: Printable.escaped($0.reason))
                    })
            }
            shown.dependsOn = entry.dependsOn.map { $0.mapParts(Printable.escaped) }
            shown.location = entry.location.map(Printable.escaped)
            shown.impact = entry.impact.map {
                ScopeImpact(
                    gained: $0.gained.map(Printable.escaped), lost: $0.lost.map(Printable.escaped),
                    sensitive: $0.sensitive.map(Printable.escaped))
            }
            return shown
        }
        copy.unmanaged = Plan.Unmanaged(
            users: unmanaged.users.map(Printable.escaped),
            credentials: unmanaged.credentials.map { $0.escapedForDisplay() })
        copy.rotating = rotating.map { notice in
            RotationNotice(
                successor: notice.successor.escapedForDisplay(), predecessor: Printable.escaped(notice.predecessor),
                overlapEndsAt: notice.overlapEndsAt)
        }
        copy.targeting = Targeting(
            targets: targeting.targets.map(Printable.escaped), excludes: targeting.excludes.map(Printable.escaped))
        copy.expiring = expiring.map { ExpiryNotice(target: $0.target.escapedForDisplay(), expires: $0.expires) }
        copy.refreshed?.drift = (refreshed?.drift ?? []).map { item in
            var shown = item
            shown.user = Printable.escaped(item.user)
            return shown
        }
        copy.awaiting = awaiting.map { step in
            Awaiting(
                id: step.id.mapParts(Printable.escaped), action: step.action, target: step.target.escapedForDisplay(),
                by: Printable.escaped(step.by), plannedAt: step.plannedAt)
        }
        return copy
    }
}

extension ChangeTarget {
    fileprivate func escapedForDisplay() -> ChangeTarget {
        switch self {
        case .user(let id): return .user(id: Printable.escaped(id))
        case .credential(let target): return .credential(target.escapedForDisplay())
        }
    }
}

extension CredentialTarget {
    fileprivate func escapedForDisplay() -> CredentialTarget {
        CredentialTarget(
            clientId: clientId.map(Printable.escaped), name: Printable.escaped(name),
            owner: owner.map(Printable.escaped),
            level: level)
    }
}

extension FieldDiff.Value {
    fileprivate func escapedForDisplay() -> FieldDiff.Value {
        switch self {
        case .text(let text): return .text(Printable.escaped(text))
        case .list(let items): return .list(items.map(Printable.escaped))
        }
    }
}
