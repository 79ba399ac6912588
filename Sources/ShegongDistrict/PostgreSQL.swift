#if canImport(Glibc)
import Glibc
#endif
import CLibPQ

public struct PostgreSQLError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One connection to a PostgreSQL server through libpq. Parameters are always sent apart from the
/// SQL text (`PQexecParams`), so no value is ever spliced into a statement.
public final class PostgreSQL {
    private let connection: OpaquePointer

    /// `url` is a libpq connection URI (postgresql://user@host:port/database?...).
    public init(url: String) throws(PostgreSQLError) {
        if let why = shegong_pq_load_error() {
            throw PostgreSQLError("the PostgreSQL client library could not be loaded (apt-get install libpq5): \(String(cString: why))")
        }
        guard let c = PQconnectdb(url) else { throw PostgreSQLError("cannot allocate a PostgreSQL connection") }
        guard PQstatus(c) == CONNECTION_OK else {
            let why = String(cString: PQerrorMessage(c)).trimmingTrailingNewlines
            PQfinish(c)
            throw PostgreSQLError("cannot connect to the district database: \(why)")
        }
        connection = c
        _ = PQsetClientEncoding(c, "UTF8")
        try execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(connection) }

    /// Runs one statement and returns its rows as text (nil for SQL NULL).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgreSQLError) -> [[String?]] {
        let result = withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard let result else { throw PostgreSQLError(String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: break
        default: throw PostgreSQLError(String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines)
        }
        let rows = Int(PQntuples(result)), columns = Int(PQnfields(result))
        var out: [[String?]] = []
        out.reserveCapacity(rows)
        for r in 0..<rows {
            out.append((0..<columns).map { c in
                PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c)))
            })
        }
        return out
    }

    /// The first column of the first row, if any.
    public func value(_ sql: String, _ parameters: [String?] = []) throws(PostgreSQLError) -> String? {
        try execute(sql, parameters).first?.first ?? nil
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Loads rows into `table` with COPY (text format): one round trip for any number of rows.
    public func copy(into table: String, columns: [String], rows: [[String?]]) throws(PostgreSQLError) {
        guard !rows.isEmpty else { return }
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        guard let started = PQexec(connection, sql) else { throw PostgreSQLError(String(cString: PQerrorMessage(connection))) }
        let status = PQresultStatus(started)
        let startError = String(cString: PQresultErrorMessage(started)).trimmingTrailingNewlines
        PQclear(started)
        guard status == PGRES_COPY_IN else { throw PostgreSQLError(startError) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws(PostgreSQLError) {
            let sent = buffer.withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { PQputCopyData(connection, $0, Int32(b.count)) }
            }
            guard sent == 1 else { throw PostgreSQLError(String(cString: PQerrorMessage(connection))) }
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { buffer.append(0x09) }
                if let value { Self.appendCopyText(value, to: &buffer) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }  // \N
            }
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 { try flush() }
        }
        if !buffer.isEmpty { try flush() }
        guard PQputCopyEnd(connection, nil) == 1 else { throw PostgreSQLError(String(cString: PQerrorMessage(connection))) }
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                throw PostgreSQLError(String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines)
            }
        }
    }

    /// A value in COPY's text format: backslash, tab, newline and carriage return escaped; NUL,
    /// which PostgreSQL's text cannot hold, becomes U+FFFD.
    static func appendCopyText(_ value: String, to out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case 0x00: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            default: out.append(b)
            }
        }
    }

    private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}
