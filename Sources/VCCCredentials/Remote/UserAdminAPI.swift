import StrictJSON

/// VCC's User Admin API, as far as vcc-creds uses it. Reads go with `users:read`.
public struct UserAdminAPI: Sendable {
    public let connection: VCCConnection
    /// Users asked for per page: the API's maximum.
    public var pageSize: Int

    public static let readScope = "users:read"
    public static let writeScope = "users:write"
    public static let maxPageSize = 5000
    /// Pages read at most: 5 million users, far past any account, so a server whose
    /// paging never ends cannot keep a run going.
    static let maxPages = 1000

    public init(connection: VCCConnection, pageSize: Int = UserAdminAPI.maxPageSize) {
        self.connection = connection
        self.pageSize = min(max(pageSize, 1), Self.maxPageSize)
    }

    /// Every user, active and archived (`include=All`), all pages. The docs show two
    /// envelopes (`users`, and `items` with `meta`); either is read. Paging stops at
    /// `meta.pageCount`, or without it at the first short or empty page.
    public func allUsers() async throws(RemoteError) -> [RemoteUser] {
        let base = connection.settings.userAdminURL.appending("users")
        var users: [RemoteUser] = []
        var seen: Set<String> = []
        var page = 1
        while true {
            let url = base.adding(query: [("include", "All"), ("limit", String(pageSize)), ("page", String(page))])
            let response = try await connection.userAdmin(.get, url, scope: Self.readScope)
            let request = HTTPRequest(method: .get, url: url)
            guard response.status == 200 else {
                throw .status(request: request.description, status: response.status, detail: Self.detail(response))
            }
            let answer = try UserPage.read(response, request: request)
            var added = 0
            for user in answer.users where seen.insert(user.userId).inserted {
                users.append(user)
                added += 1
            }
            if answer.users.isEmpty { break }
            if added == 0 {
                throw .malformed(
                    request: request.description, problem: "repeats users of an earlier page: paging did not advance")
            }
            if let pageCount = answer.pageCount {
                if page >= pageCount { break }
            } else if answer.users.count < pageSize {
                break
            }
            page += 1
            if page > Self.maxPages {
                throw .malformed(request: request.description, problem: "goes on past \(Self.maxPages) pages")
            }
        }
        return users
    }

    /// A short reason from an error answer's JSON (`message`, `error`), if it has one.
    static func detail(_ response: HTTPResponse) -> String? {
        guard let root = try? JSONParser.parse(response.body).root, let members = RemoteJSON.members(root) else {
            return nil
        }
        for key in ["message", "error_description", "error", "title"] {
            if let text = RemoteJSON.string(members[key]), !text.isEmpty { return String(text.prefix(200)) }
        }
        return nil
    }
}

/// One page of `GET /users`.
struct UserPage {
    var users: [RemoteUser]
    var pageCount: Int?

    static func read(_ response: HTTPResponse, request: HTTPRequest) throws(RemoteError) -> UserPage {
        let json = try RemoteJSON(response, request: request)
        func malformed(_ problem: String) -> RemoteError { .malformed(request: request.description, problem: problem) }
        guard let members = RemoteJSON.members(json.root) else { throw malformed("is not a JSON object") }
        guard let list = members["items"] ?? members["users"], case .array(let items) = list.content else {
            throw malformed("has no 'items' or 'users' array")
        }
        var pageCount: Int?
        if let meta = members["meta"], let metaMembers = RemoteJSON.members(meta) {
            pageCount = metaMembers["pageCount"]?.int
        }
        var users: [RemoteUser] = []
        users.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            users.append(try user(item, number: index + 1, malformed: malformed))
        }
        return UserPage(users: users, pageCount: pageCount)
    }

    /// One user object; a missing or mistyped field is the answer's fault, named.
    static func user(
        _ value: JSONValue, number: Int, malformed: (String) -> RemoteError
    ) throws(RemoteError) -> RemoteUser {
        guard let fields = RemoteJSON.members(value) else {
            throw malformed("has user #\(number) that is not an object")
        }
        func text(_ key: String, limit: Int = 512) throws(RemoteError) -> String {
            guard let value = RemoteJSON.string(fields[key]), !value.isEmpty, value.utf8.count <= limit else {
                throw malformed("has user #\(number) without a usable '\(key)'")
            }
            return value
        }
        let userId = try text("userId", limit: 128)
        let username = try text("username")
        let name = try text("name")
        let email = RemoteJSON.string(fields["email"]).flatMap { $0.isEmpty ? nil : String($0.prefix(512)) }
        guard let active = RemoteJSON.bool(fields["active"]) else {
            throw malformed("has user #\(number) without a boolean 'active'")
        }
        guard let configuration = fields["userAccountConfiguration"].flatMap(RemoteJSON.members),
            let roleName = RemoteJSON.string(configuration["role"])
        else {
            throw malformed("has user #\(number) without 'userAccountConfiguration.role'")
        }
        guard let role = RemoteUser.role(named: roleName) else {
            throw malformed(
                "has user #\(number) with role \(Quoted.of(Printable.escaped(String(roleName.prefix(40))))), "
                    + "not Admin, Supervisor, Agent, Wallboard or NvmAdmin")
        }
        return RemoteUser(userId: userId, username: username, name: name, email: email, active: active, role: role)
    }
}
