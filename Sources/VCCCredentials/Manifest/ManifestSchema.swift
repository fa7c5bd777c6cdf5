/// The manifest format, declared once: the loader takes its keys and enums from here,
/// and `vcc-creds schema` turns it into JSON Schema, so editor help and the loader
/// cannot disagree.
public enum ManifestSchema {
    /// A mapping and the keys it may have.
    public struct Object: Sendable {
        public let name: String
        public let summary: String
        public let fields: [Field]
        /// The keys, and the required ones, computed once: the loader checks every entry.
        public let keys: [String]
        public let requiredKeys: [String]

        init(name: String, summary: String, fields: [Field]) {
            self.name = name
            self.summary = summary
            self.fields = fields
            keys = fields.map(\.key)
            requiredKeys = fields.filter(\.required).map(\.key)
        }
    }

    /// One key of a mapping.
    public struct Field: Sendable {
        public var key: String
        public var type: FieldType
        public var required: Bool
        public var summary: String
    }

    public indirect enum FieldType: Sendable {
        case string
        case boolean(defaultValue: Bool)
        case integer(minimum: Int, defaultValue: Int)
        case enumeration([String], defaultValue: String?)
        case list(of: FieldType, minItems: Int)
        case object(Object)
        /// A string matching a regular expression (JSON Schema `pattern`).
        case pattern(String, example: String)
        /// A scope: one of VCC's own, or one `settings.scopes` declares.
        case scope
    }

    static let ensureValues = Ensure.allCases.map(\.rawValue)

    /// A list of age X25519 recipients, as `age-keygen` prints them.
    static let recipientList = FieldType.list(of: .pattern("^age1[02-9ac-hj-np-z]+$", example: "age1..."), minItems: 0)

    /// `90d` or `36h`.
    static let span = FieldType.pattern("^(0|[1-9][0-9]*)[dh]$", example: "90d")

    public static let scopeDeclaration = Object(
        name: "scopeDeclaration", summary: "A scope VCC added after this release of vcc-creds.",
        fields: [
            Field(
                key: "id", type: .pattern(ScopeDeclaration.identifierPattern, example: "reports:read"), required: true,
                summary: "The scope's identifier, as VCC's API documentation spells it (not one of VCC's own)."),
            Field(
                key: "label", type: .string, required: true,
                summary: "The label the Admin Portal shows in its Scopes list (runbooks use it)."),
            Field(
                key: "unlocks", type: .list(of: .string, minItems: 1), required: true,
                summary: "The API access it gives: \"Reports API (read)\" (plans list what a change gains)."),
            Field(
                key: "licenses",
                type: .list(
                    of: .enumeration([License.admin.rawValue, License.supervisor.rawValue], defaultValue: nil),
                    minItems: 1),
                required: false, summary: "The licences that may grant it (default: admin)."),
            Field(
                key: "sensitive", type: .boolean(defaultValue: false), required: false,
                summary: "Whether granting it is sensitive when settings.sensitiveScopes does not say."),
        ])

    public static let rotation = Object(
        name: "rotation", summary: "When a credential gets a successor, and how long both stay valid.",
        fields: [
            Field(
                key: "every", type: span, required: true,
                summary: "A secret older than this gets a successor (same owner, name and scopes): 90d, 36h."),
            Field(
                key: "overlap", type: span, required: true,
                summary:
                    "How long predecessor and successor are both valid before the predecessor is deleted; shorter "
                    + "than every."
            ),
        ])

    public static let settings = Object(
        name: "settings", summary: "How plans treat what the manifests do not name.",
        fields: [
            Field(
                key: "prune", type: .boolean(defaultValue: false), required: false,
                summary:
                    "Delete visible users and credentials the manifests do not name (default false: report them as "
                    + "unmanaged)."
            ),
            Field(
                key: "maxDeletes", type: .integer(minimum: 0, defaultValue: Settings.defaultMaxDeletes),
                required: false,
                summary: "A plan deleting more than this refuses every deletion (delete-guard)."),
            Field(
                key: "recipients", type: recipientList, required: false,
                summary:
                    "Escrow: age X25519 recipients who can open every new secret (the apply's bundle and every "
                    + "credential's own sealed file)."
            ),
            Field(
                key: "rotate", type: .object(rotation), required: false,
                summary: "The rotation of every credential that declares none (default: none)."),
            Field(
                key: "expiryWarning", type: span, required: false,
                summary: "How long before a credential's expires plans warn (default 14d)."),
            Field(
                key: "sensitiveScopes",
                type: .list(of: .scope, minItems: 0), required: false,
                summary:
                    "Scopes whose grant plans mark as sensitive (default: admin:write, globalpci, "
                    + "interaction-content:delete, interactions:write, users:write, and each declared scope marked "
                    + "sensitive)."
            ),
            Field(
                key: "scopes", type: .list(of: .object(scopeDeclaration), minItems: 0), required: false,
                summary:
                    "Scopes VCC added after this release: each is then planned, refused and shown like VCC's own "
                    + "(at most 32)."
            ),
            Field(
                key: "region", type: .enumeration(Region.allCases.map(\.rawValue), defaultValue: nil),
                required: false,
                summary:
                    "The VCC region of the account (emea, nam or apac): where plan --refresh and apply --refresh "
                    + "read users (default: $VCC_CREDS_REGION; the two must agree)."
            ),
        ])

    public static let user = Object(
        name: "user", summary: "A VCC user, keyed by login.",
        fields: [
            Field(key: "id", type: .string, required: true, summary: "The user's login; the key."),
            Field(
                key: "name", type: .string, required: false, summary: "Display name (required unless ensure: absent)."),
            Field(
                key: "license", type: .enumeration(License.allCases.map(\.rawValue), defaultValue: nil),
                required: false,
                summary: "The user's licence (required unless ensure: absent)."),
            Field(
                key: "email", type: .string, required: false,
                summary:
                    "The user's email address; VCC's when not declared. Needed for a user the api user executor "
                    + "creates, unless the id is an email address."),
            Field(
                key: "ensure", type: .enumeration(ensureValues, defaultValue: Ensure.present.rawValue), required: false,
                summary: "absent deletes the user."),
            Field(
                key: "login", type: .string, required: false,
                summary:
                    "The user's login on the forge that reviews the manifests (e.g. GitHub): 'vcc-creds actors' maps "
                    + "approvals to --as users."
            ),
            Field(
                key: "recipients", type: recipientList, required: false,
                summary:
                    "age X25519 recipients who receive this user's credentials' secrets, one sealed file per "
                    + "credential."
            ),
        ])

    public static let credential = Object(
        name: "credential", summary: "An API credential: matched by clientId when given, else by (level, owner, name).",
        fields: [
            Field(key: "name", type: .string, required: true, summary: "Name of the credential (editable)."),
            Field(
                key: "owner", type: .string, required: false,
                summary: "Owning user's id; required for user-level credentials, forbidden for account-level."),
            Field(
                key: "level", type: .enumeration(CredentialLevel.allCases.map(\.rawValue), defaultValue: "user"),
                required: false,
                summary: "user (default) or account (deprecated: adopt existing ones by clientId only)."),
            Field(
                key: "clientId",
                type: .pattern(
                    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                    example: "6f1c2f8e-0000-4000-8000-000000000000"), required: false,
                summary: "Pins the credential by client ID, so a rename is an edit."),
            Field(
                key: "scopes",
                type: .list(of: .scope, minItems: 1),
                required: false, summary: "One or more VCC scopes (required unless ensure: absent)."),
            Field(
                key: "ensure", type: .enumeration(ensureValues, defaultValue: Ensure.present.rawValue), required: false,
                summary: "absent deletes the credential."),
            Field(
                key: "recipients", type: recipientList, required: false,
                summary:
                    "The consuming service's age recipients: they receive this credential's secret instead of the "
                    + "owner's recipients."
            ),
            Field(
                key: "additionalRecipients", type: recipientList, required: false,
                summary: "age recipients who receive this credential's secret as well as the owner's recipients."),
            Field(
                key: "rotate", type: .object(rotation), required: false,
                summary: "This credential's rotation, instead of settings.rotate."),
            Field(
                key: "description", type: .string, required: false,
                summary: "What the credential is for, for people; policy.requireDescription may require it."),
            Field(
                key: "expires",
                type: .pattern(
                    "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
                        + "([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$",
                    example: "2027-03-31"),
                required: false,
                summary:
                    "A date (the start of that day, UTC) or an RFC 3339 time: plans warn settings.expiryWarning "
                    + "before, and delete the credential at or after it."
            ),
        ])

    public static let forbiddenScope = Object(
        name: "forbiddenScope", summary: "A scope no credential may be granted, except those of the users listed.",
        fields: [
            Field(
                key: "scope", type: .scope, required: true,
                summary: "The scope."),
            Field(
                key: "except", type: .list(of: .string, minItems: 0), required: false,
                summary: "Users whose credentials may still be granted it."),
        ])

    public static let policy = Object(
        name: "policy", summary: "Guardrails stricter than the licence rules: they only ever refuse.",
        fields: [
            Field(
                key: "forbidScopes", type: .list(of: .object(forbiddenScope), minItems: 0), required: false,
                summary: "Scopes no create or update may grant (policy-forbidden-scope), with per-user exceptions."),
            Field(
                key: "maxCredentialsPerUser", type: .integer(minimum: 0, defaultValue: 0), required: false,
                summary:
                    "No user may hold more user-level credentials than this after a plan (policy-max-credentials); a "
                    + "rotation's overlap does not count."
            ),
            Field(
                key: "requireDescription", type: .boolean(defaultValue: false), required: false,
                summary: "Every created or edited credential needs a description (policy-description-required)."),
            Field(
                key: "namePattern", type: .string, required: false,
                summary:
                    "A pattern every created or renamed credential's name must match whole (policy-name-pattern): "
                    + "regular expressions without back-references or look-around, decided without backtracking."
            ),
        ])

    public static let document = Object(
        name: "manifest", summary: "A vcc-creds manifest document.",
        fields: [
            Field(key: "account", type: .string, required: false, summary: "Account id; must equal the state's."),
            Field(key: "settings", type: .object(settings), required: false, summary: settings.summary),
            Field(key: "policy", type: .object(policy), required: false, summary: policy.summary),
            Field(key: "users", type: .list(of: .object(user), minItems: 0), required: false, summary: "Users."),
            Field(
                key: "credentials", type: .list(of: .object(credential), minItems: 0), required: false,
                summary: "API credentials."),
        ])
}
