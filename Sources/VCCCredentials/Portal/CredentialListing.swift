import StrictYAML

/// What an admin copied from the API Credentials screen, for `import`: one row per
/// credential, as CSV (a header naming `name, clientId, owner, level, scopes`, scopes
/// separated by spaces, `"` quoting as RFC 4180) or YAML (`credentials:` a list of
/// mappings with the same keys, `scopes` a list). Every field keeps its position, so
/// each problem names `file:line:column`.
public struct CredentialListing: Sendable {
    /// One row, each field as written and where.
    public struct Row: Sendable {
        public var location: SourceLocation
        public var fields: [Column: Field]
    }

    public struct Field: Sendable {
        public var text: String
        public var location: SourceLocation
    }

    public enum Column: String, CaseIterable, Sendable {
        case name, clientId, owner, level, scopes
    }

    public var file: String
    public var rows: [Row]
    /// YAML lists scopes as a list; CSV as one field of space-separated identifiers.
    var scopeLists: [Int: [Field]] = [:]

    /// Largest listing read: far more than any account's credentials.
    public static let maxBytes = 64 * 1024 * 1024

    public static func parse(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> CredentialListing {
        let lower = file.lowercased()
        if lower.hasSuffix(".csv") { return try parseCSV(bytes, file: file) }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return try parseYAML(bytes, file: file) }
        throw DiagnosticsError(
            .error(
                "a listing is a .csv file (with a header) or a .yaml file; name it so", at: SourceLocation(file: file)))
    }

    // MARK: - CSV

    static func parseCSV(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> CredentialListing {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DiagnosticsError(.error("is not UTF-8 text", at: SourceLocation(file: file)))
        }
        var records: [[Field]] = []
        var problems: [Diagnostic] = []
        var line = 1
        var column = 1
        var record: [Field] = []
        var field = ""
        var fieldStart = Mark(line: 1, column: 1)
        var quoted = false
        var afterQuote = false
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }  // a spreadsheet's byte-order mark
        var index = 0
        func endField() {
            record.append(Field(text: field, location: SourceLocation(file: file, mark: fieldStart)))
            field = ""
            afterQuote = false
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character == "\"" {
                    if index < characters.count && characters[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    field.unicodeScalars.append(character)
                }
                if character == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                continue
            }
            switch character {
            case ",":
                endField()
                column += 1
                fieldStart = Mark(line: line, column: column)
            case "\r" where index < characters.count && characters[index] == "\n":
                continue
            case "\n":
                endField()
                if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
                record = []
                line += 1
                column = 1
                fieldStart = Mark(line: line, column: column)
            case "\"" where !afterQuote && field.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" }):
                // Spaces before an opening quote are how people type `a, "b, c"`.
                field = ""
                quoted = true
                column += 1
            case "\"":
                problems.append(
                    .error(
                        "a quote inside an unquoted field; quote the whole field and double the quote (\"a\"\"b\")",
                        at: SourceLocation(file: file, line: line, column: column)))
                column += 1
            default:
                if afterQuote {
                    problems.append(
                        .error(
                            "text after a closing quote; quote the whole field",
                            at: SourceLocation(file: file, line: line, column: column)))
                }
                field.unicodeScalars.append(character)
                column += 1
            }
        }
        if quoted {
            problems.append(.error("a quoted field is not closed", at: SourceLocation(file: file, mark: fieldStart)))
        }
        endField()
        if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
        guard problems.isEmpty else { throw DiagnosticsError(problems) }
        guard let header = records.first else {
            throw DiagnosticsError(
                .error(
                    "is empty: the first line must be the header name,clientId,owner,level,scopes",
                    at: SourceLocation(file: file)))
        }
        var columns: [Column] = []
        for cell in header {
            let name = cell.text.trimmingSpaces
            guard let column = Column(rawValue: name) else {
                problems.append(
                    .error(
                        SchemaRules.unknownKey(name, in: "the header", keys: Column.allCases.map(\.rawValue)),
                        at: cell.location))
                continue
            }
            if columns.contains(column) {
                problems.append(.error("column \(Quoted.of(name)) is named twice", at: cell.location))
            }
            columns.append(column)
        }
        for column in Column.allCases where !columns.contains(column) {
            problems.append(
                .error(
                    "the header has no \(Quoted.of(column.rawValue)) column (it needs "
                        + "name,clientId,owner,level,scopes)",
                    at: header[0].location))
        }
        guard problems.isEmpty else { throw DiagnosticsError(problems) }
        var listing = CredentialListing(file: file, rows: [])
        for record in records.dropFirst() {
            let location = record[0].location
            guard record.count == columns.count else {
                problems.append(
                    .error("the row has \(record.count) fields; the header has \(columns.count)", at: location))
                continue
            }
            var fields: [Column: Field] = [:]
            for (column, cell) in zip(columns, record) {
                fields[column] = Field(text: cell.text.trimmingSpaces, location: cell.location)
            }
            listing.rows.append(Row(location: location, fields: fields))
        }
        guard problems.isEmpty else { throw DiagnosticsError(problems) }
        return listing
    }

    // MARK: - YAML

    static func parseYAML(_ bytes: [UInt8], file: String) throws(DiagnosticsError) -> CredentialListing {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(bytes)
        } catch {
            throw DiagnosticsError(.syntax(error, in: file))
        }
        var input = YAMLInput(file: file)
        guard documents.count == 1, let root = documents.first?.root else {
            throw DiagnosticsError(
                .error("must be one YAML document with a 'credentials' list", at: SourceLocation(file: file)))
        }
        var listing = CredentialListing(file: file, rows: [])
        let top = input.pairs(root, what: "listing", keys: ["credentials"], required: ["credentials"])
        for item in input.list(top?["credentials"], "credentials") ?? [] {
            let keys = Column.allCases.map(\.rawValue)
            guard let entry = input.pairs(item, what: "credential", keys: keys, required: keys.filter { $0 != "owner" })
            else { continue }
            var fields: [Column: Field] = [:]
            for column in Column.allCases where column != .scopes {
                guard let node = entry[column.rawValue], let text = input.string(node, column.rawValue) else {
                    continue
                }
                fields[column] = Field(text: text, location: input.location(node.mark))
            }
            if let node = entry["scopes"], let items = input.list(node, "scopes") {
                let scopes = items.compactMap { node in
                    input.string(node, "scope").map { Field(text: $0, location: input.location(node.mark)) }
                }
                listing.scopeLists[listing.rows.count] = scopes
                fields[.scopes] = Field(
                    text: scopes.map(\.text).joined(separator: " "), location: input.location(node.mark))
            }
            listing.rows.append(Row(location: input.location(item.mark), fields: fields))
        }
        guard input.diagnostics.isEmpty else { throw DiagnosticsError(input.diagnostics) }
        return listing
    }

    /// Each scope of row `index` with its own position (YAML), or the field's (CSV).
    func scopes(ofRow index: Int) -> [Field] {
        if let list = scopeLists[index] { return list }
        guard let field = rows[index].fields[.scopes] else { return [] }
        return field.text.split(separator: " ", omittingEmptySubsequences: true).map {
            Field(text: String($0), location: field.location)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs: `name, clientId` as people type it.
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
