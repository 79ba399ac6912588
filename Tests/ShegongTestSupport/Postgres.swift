import Foundation

/// A real PostgreSQL server for the district tests: the one `.ci/run` started (SHEGONG_TEST_POSTGRES),
/// or one this test process starts on loopback with `.ci/postgres-start` and stops when it exits.
public enum TestPostgres {
    nonisolated(unsafe) private static var startedDirectory: String?

    private static let server: Result<String, TestPostgresError> = {
        if let given = ProcessInfo.processInfo.environment["SHEGONG_TEST_POSTGRES"], !given.isEmpty { return .success(given) }
        let dir = "/tmp/shegong-test-postgres-\(getpid())"
        guard let r = try? run([dir], program: packageRoot + "/.ci/postgres-start"), r.status == 0 else {
            return .failure(TestPostgresError(message: "cannot start PostgreSQL for the tests (apt-get install -y postgresql)"))
        }
        startedDirectory = dir
        atexit {
            guard let dir = TestPostgres.startedDirectory else { return }
            _ = try? run([dir], program: packageRoot + "/.ci/postgres-stop")
            try? FileManager.default.removeItem(atPath: dir)
        }
        return .success(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }()

    /// A new, empty database on the server, for one test.
    public static func freshDatabase() throws -> String {
        let url = try server.get()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let made = try run(["-qX", url, "-c", "CREATE DATABASE \(name)"], program: "/usr/bin/psql")
        guard made.status == 0 else { throw TestPostgresError(message: "CREATE DATABASE failed: \(made.stderr)") }
        guard let slash = url.range(of: "/", options: .backwards) else { throw TestPostgresError(message: "odd URL \(url)") }
        return String(url[..<slash.lowerBound]) + "/" + name
    }

    /// Runs SQL with psql and returns its unaligned, tuples-only output.
    public static func query(_ url: String, _ sql: String) throws -> String {
        let r = try run(["-qXAt", url, "-c", sql], program: "/usr/bin/psql")
        guard r.status == 0 else { throw TestPostgresError(message: "psql: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
