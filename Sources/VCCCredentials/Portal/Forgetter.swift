/// `forget`: drift learnt by hand. Someone deleted a credential in the portal; the
/// state still records it. An admin removes it from the record, with a reason, audited,
/// under the lock and crash-safety of every state change. Nothing in VCC is touched.
public struct Forgetter: Sendable {
    public var environment: SystemEnvironment

    public init(environment: SystemEnvironment = .live) {
        self.environment = environment
    }

    public struct Result: Sendable {
        public var forgotten: Credential
        public var newSerial: Int
        public var notes: [Diagnostic]
    }

    /// `sealedDir`: the sealed folder whose index drops the credential, if it had a file
    /// of its own (nil: `secrets/ACCOUNT`).
    public func forget(
        clientId given: String, reason: String, statePath: String, actor: String, sealedDir: String? = nil,
        lockTimeout: LockTimeout = .none
    ) throws -> Result {
        if reason.allSatisfy(\.isWhitespace) { throw PortalError.emptyReason }
        let clientId = given.lowercased()
        let transaction = StateTransaction(environment: environment)
        let locked = try transaction.lock(statePath, timeout: lockTimeout)
        defer { locked.lock.release() }
        var next = locked.loaded.state
        let admin = try Importer.admin(actor, command: "forget", in: next, statePath: statePath)
        guard let index = next.credentials.firstIndex(where: { $0.clientId == clientId }) else {
            throw PortalError.unknownCredential(clientId: given, statePath: statePath)
        }
        if let step = next.pending.first(where: { $0.subject.credentialTarget?.clientId == clientId }) {
            throw PortalError.credentialHasOpenStep(clientId: clientId, step: step.id)
        }
        let credential = next.credentials.remove(at: index)
        // A successor of a forgotten predecessor stands alone.
        next.endOverlaps(with: [clientId])
        let change = Change(
            id: .credential(clientId: clientId), action: .delete,
            subject: .credential(Draft.target(credential), before: credential, after: nil),
            decision: .permitted(by: admin.id))
        let written = try transaction.write(
            StateChange(
                next: next, changes: [change], time: Timestamp(environment.clock.now()), event: .forgotten,
                reason: reason, sealedDir: sealedDir, checked: true),
            locked)
        return Result(forgotten: credential, newSerial: written.next.serial, notes: locked.notes)
    }
}
