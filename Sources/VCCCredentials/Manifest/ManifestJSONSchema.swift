import StrictJSON

/// The manifests' JSON Schema (draft 2020-12), generated from ``ManifestSchema``: the
/// keys, types, enums of licences and scopes, and defaults the loader itself uses, plus
/// the loader's cross-field rules as `if`/`then`.
public enum ManifestJSONSchema {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    public static func render() -> [UInt8] {
        JSONWriter.pretty(json())
    }

    public static func json() -> JSON {
        var root = object(ManifestSchema.document, definitions: true)
        root["$schema"] = .string(dialect)
        root["$id"] = .string("https://github.com/vcc-creds/vcc-creds/schema/vcc-creds.schema.json")
        root["title"] = .string("vcc-creds manifest")
        root["$defs"] = .object([
            "settings": .object(object(ManifestSchema.settings)),
            "rotation": .object(object(ManifestSchema.rotation)),
            "scopeDeclaration": .object(object(ManifestSchema.scopeDeclaration)),
            "policy": .object(object(ManifestSchema.policy)),
            "forbiddenScope": .object(object(ManifestSchema.forbiddenScope)),
            "user": .object(userRules(object(ManifestSchema.user))),
            "credential": .object(credentialRules(object(ManifestSchema.credential))),
        ])
        return .object(root)
    }

    private static func object(_ schema: ManifestSchema.Object, definitions: Bool = false) -> [String: JSON] {
        var properties: [String: JSON] = [:]
        for field in schema.fields {
            var property = type(field.type, nested: definitions)
            property["description"] = .string(field.summary)
            properties[field.key] = .object(property)
        }
        var result: [String: JSON] = [
            "type": .string("object"),
            "description": .string(schema.summary),
            "additionalProperties": .bool(false),
            "properties": .object(properties),
        ]
        if !schema.requiredKeys.isEmpty { result["required"] = .array(schema.requiredKeys.map(JSON.string)) }
        return result
    }

    private static func type(_ type: ManifestSchema.FieldType, nested: Bool) -> [String: JSON] {
        switch type {
        case .string:
            return ["type": .string("string"), "minLength": .int(1)]
        case .boolean(let defaultValue):
            return ["type": .string("boolean"), "default": .bool(defaultValue)]
        case .integer(let minimum, let defaultValue):
            return ["type": .string("integer"), "minimum": .int(minimum), "default": .int(defaultValue)]
        case .enumeration(let values, let defaultValue):
            var result: [String: JSON] = ["type": .string("string"), "enum": .array(values.map(JSON.string))]
            if let defaultValue { result["default"] = .string(defaultValue) }
            return result
        case .pattern(let pattern, _):
            return ["type": .string("string"), "pattern": .string(pattern)]
        case .scope:
            return [
                "type": .string("string"),
                "anyOf": .array([
                    .object(["enum": .array(Scope.builtIn.map { JSON.string($0.rawValue) })]),
                    .object([
                        "pattern": .string(ScopeDeclaration.identifierPattern),
                        "description": .string("a scope declared in settings.scopes"),
                    ]),
                ]),
            ]
        case .list(let element, let minItems):
            var result: [String: JSON] = [
                "type": .string("array"), "items": .object(Self.type(element, nested: nested)),
            ]
            if minItems > 0 { result["minItems"] = .int(minItems) }
            switch element {
            case .enumeration, .scope: result["uniqueItems"] = .bool(true)
            default: break
            }
            return result
        case .object(let object):
            return ["$ref": .string("#/$defs/\(object.name)")]
        }
    }

    private static func equals(_ key: String, _ value: String) -> JSON {
        .object(["properties": .object([key: .object(["const": .string(value)])]), "required": .array([.string(key)])])
    }

    private static func requires(_ keys: [String]) -> JSON {
        .object(["required": .array(keys.map(JSON.string))])
    }

    /// A present user needs a name and a licence.
    private static func userRules(_ base: [String: JSON]) -> [String: JSON] {
        var result = base
        result["if"] = equals("ensure", Ensure.absent.rawValue)
        result["else"] = requires(["name", "license"])
        return result
    }

    /// User level needs an owner; account level needs a client ID and no owner; a present
    /// credential needs scopes.
    private static func credentialRules(_ base: [String: JSON]) -> [String: JSON] {
        var result = base
        let accountLevel = JSON.object([
            "if": equals("level", CredentialLevel.account.rawValue),
            "then": .object(["required": .array([.string("clientId")]), "not": requires(["owner"])]),
            "else": requires(["owner"]),
        ])
        let scopes = JSON.object(["if": equals("ensure", Ensure.absent.rawValue), "else": requires(["scopes"])])
        result["allOf"] = .array([accountLevel, scopes])
        return result
    }
}
