import StrictJSON

/// An answer's JSON, read defensively: every problem is one sentence about the answer
/// (never its whole text, which could be a page of HTML), for ``RemoteError/malformed``.
struct RemoteJSON {
    let root: JSONValue

    /// Parses an answer's body; "is not JSON" when it is not (an HTML error page, say).
    init(_ response: HTTPResponse, request: HTTPRequest) throws(RemoteError) {
        do {
            root = try JSONParser.parse(response.body).root
        } catch {
            let type = response.header("Content-Type").map { " (Content-Type \(String($0.prefix(80))))" } ?? ""
            throw .malformed(request: request.description, problem: "is not JSON\(type)")
        }
    }

    /// The members of an object, or nil.
    static func members(_ value: JSONValue) -> [String: JSONValue]? {
        guard case .object(let members) = value.content else { return nil }
        var result: [String: JSONValue] = [:]
        for member in members where result[member.key] == nil { result[member.key] = member.value }
        return result
    }

    static func string(_ value: JSONValue?) -> String? {
        guard let value, case .string(let text) = value.content else { return nil }
        return text
    }

    static func bool(_ value: JSONValue?) -> Bool? {
        guard let value, case .bool(let flag) = value.content else { return nil }
        return flag
    }
}

/// The token endpoint's answer: 200 with `access_token`, `expires_in`, `token_type`
/// (`Bearer` or `bearer`); 400 with IdentityServer's `error` and `error_description`.
struct TokenAnswer {
    var accessToken: String
    var expiresIn: Int

    static func read(_ response: HTTPResponse, request: HTTPRequest, scope: String) throws(RemoteError) -> TokenAnswer {
        if response.status == 400 || response.status == 401 {
            let json = try? RemoteJSON(response, request: request)
            let members = json.flatMap { RemoteJSON.members($0.root) }
            if let error = RemoteJSON.string(members?["error"]) {
                throw .tokenRefused(
                    scope: scope, error: String(error.prefix(80)),
                    description: RemoteJSON.string(members?["error_description"]))
            }
            throw .status(request: request.description, status: response.status, detail: nil)
        }
        guard response.status == 200 else {
            throw .status(request: request.description, status: response.status, detail: nil)
        }
        let json = try RemoteJSON(response, request: request)
        guard let members = RemoteJSON.members(json.root) else {
            throw .malformed(request: request.description, problem: "is not a JSON object")
        }
        guard let token = RemoteJSON.string(members["access_token"]), !token.isEmpty, token.utf8.count <= 16384,
            token.utf8.allSatisfy(Identifiers.isVisibleASCII)
        else {
            throw .malformed(request: request.description, problem: "has no usable 'access_token'")
        }
        guard let type = RemoteJSON.string(members["token_type"]), type.lowercased() == "bearer" else {
            throw .malformed(request: request.description, problem: "has a 'token_type' other than Bearer")
        }
        guard let expiresIn = members["expires_in"]?.int, expiresIn > 0 else {
            throw .malformed(request: request.description, problem: "has no positive whole 'expires_in'")
        }
        return TokenAnswer(accessToken: token, expiresIn: min(expiresIn, 86_400))
    }
}
