import StrictJSON

/// The User Admin API's changes, with `users:write`: what the `api` user executor sends.
/// POST and PATCH are not retried on a dropped connection (the connection's rule): the
/// caller asks VCC what happened instead (``UserAdminAPI/user(id:)``, ``find(username:)``).
extension UserAdminAPI {
    /// A token for `users:write`, asked for before any change: a credential VCC refuses
    /// it for stops the run before anything is sent.
    public func requireWriteAccess() async throws(RemoteError) {
        _ = try await connection.token(scope: Self.writeScope)
    }

    /// `GET /users/{userId}`; nil when VCC answers 404.
    public func user(id: String) async throws(RemoteError) -> RemoteUser? {
        let url = connection.settings.userAdminURL.appending("users").appending(id)
        let response = try await connection.userAdmin(.get, url, scope: Self.readScope)
        if response.status == 404 { return nil }
        return try Self.single(response, HTTPRequest(method: .get, url: url), expecting: [200])
    }

    /// The user with this username (without regard to case), active before archived;
    /// nil when VCC has none. Reads every page: VCC has no search by username.
    public func find(username: String) async throws(RemoteError) -> RemoteUser? {
        let key = username.lowercased()
        let matches = try await allUsers().filter { $0.username.lowercased() == key && $0.role != .vonage }
        return matches.first(where: \.active) ?? matches.first
    }

    /// `POST /users`: the user VCC made.
    public func create(_ user: User, email: String) async throws(RemoteError) -> RemoteUser {
        let url = connection.settings.userAdminURL.appending("users")
        var body = JSONStreamWriter(style: .compact, capacity: 256)
        body.beginObject()
        body.field("email", email)
        body.field("name", user.name)
        body.key("userAccountConfiguration")
        body.beginObject()
        body.field("role", RemoteUser.roleName(user.license))
        body.endObject()
        body.field("username", user.id)
        body.endObject()
        let response = try await connection.userAdmin(.post, url, scope: Self.writeScope, body: body.finish())
        return try Self.single(response, HTTPRequest(method: .post, url: url), expecting: [200, 201])
    }

    /// `PATCH /users/{userId}` with the fields that change: role, name, email.
    public func update(
        id: String, license: License?, name: String?, email: String?
    ) async throws(RemoteError) -> RemoteUser {
        let url = connection.settings.userAdminURL.appending("users").appending(id)
        var body = JSONStreamWriter(style: .compact, capacity: 256)
        body.beginObject()
        if let email { body.field("email", email) }
        if let name { body.field("name", name) }
        if let license {
            body.key("userAccountConfiguration")
            body.beginObject()
            body.field("role", RemoteUser.roleName(license))
            body.endObject()
        }
        body.endObject()
        let response = try await connection.userAdmin(.patch, url, scope: Self.writeScope, body: body.finish())
        return try Self.single(response, HTTPRequest(method: .patch, url: url), expecting: [200])
    }

    /// Archives the user (`PATCH active: false`, accepting the archive in every account
    /// the user is in: the manifests said the user goes), then deletes them (`DELETE`,
    /// which VCC allows only for archived users). A user already gone is done.
    public func archiveAndDelete(id: String) async throws(RemoteError) {
        let user = connection.settings.userAdminURL.appending("users").appending(id)
        if try await self.user(id: id)?.active ?? false {
            let url = user.adding(query: [("acceptArchiveInMultipleAccounts", "true")])
            var body = JSONStreamWriter(style: .compact, capacity: 32)
            body.beginObject()
            body.key("active")
            body.bool(false)
            body.endObject()
            let response = try await connection.userAdmin(.patch, url, scope: Self.writeScope, body: body.finish())
            _ = try Self.single(response, HTTPRequest(method: .patch, url: url), expecting: [200])
        }
        let response = try await connection.userAdmin(.delete, user, scope: Self.writeScope)
        guard [200, 204, 404].contains(response.status) else {
            throw .status(
                request: HTTPRequest(method: .delete, url: user).description, status: response.status,
                detail: Self.detail(response))
        }
    }

    /// One user object from an answer of an expected status.
    static func single(
        _ response: HTTPResponse, _ request: HTTPRequest, expecting statuses: Set<Int>
    ) throws(RemoteError) -> RemoteUser {
        guard statuses.contains(response.status) else {
            throw .status(request: request.description, status: response.status, detail: detail(response))
        }
        let json = try RemoteJSON(response, request: request)
        return try UserPage.user(json.root, number: 1) { problem in
            .malformed(request: request.description, problem: problem)
        }
    }
}
