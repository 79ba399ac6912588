#if canImport(Glibc)
import Glibc
#endif
import ShegongStore

/// The station's secret for the hashes that stand for households at the district: 32 random
/// bytes beside the log (`LOG.district-key`, as private as the log), made on the first ship. It
/// never leaves the station; lose it and the next ships name households anew.
public enum DistrictKey {
    public static func path(forLog log: String) -> String { log + ".district-key" }

    public static func load(forLog log: String, mode: mode_t, group: gid_t?) throws -> [UInt8] {
        let path = path(forLog: log)
        for _ in 0..<2 {
            do {
                let key = try SafeFile.read(path, limit: 64)
                guard key.count == 32 else { throw StoreError.tooLarge(path: path, bytes: key.count, limit: 32) }
                return key
            } catch StoreError.notFound {
                var g = SystemRandomNumberGenerator()
                let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
                do {
                    let fd = try SafeFile.createNew(path, mode: mode)
                    defer { close(fd) }
                    if let group { fchown(fd, uid_t.max, group) }
                    let failed = key.withUnsafeBytes { SafeFile.writeAll(fd, $0) } ?? (fsync(fd) == 0 ? nil : errno)
                    if let e = failed { unlink(path); throw StoreError.io(path: path, operation: "write", errno: e) }
                    return key
                } catch StoreError.alreadyExists {
                    continue  // another ship made it a moment ago: read theirs
                }
            }
        }
        throw StoreError.alreadyExists(path: path)
    }
}
