#if canImport(Glibc)
import Glibc
#endif
import Crypto
import ShegongDomain

/// The projection saved beside the log for a fast start. It is a cache: it names the log
/// position it covers and the hash of the record there, and it is used only when the log still
/// has that record at that place. Anything else (missing, stale, corrupt, other version) means
/// a replay from the start, never an error.
enum Checkpoint {
    static let magic = Array("SHEGONG-CHECKPOINT 1\n".utf8)

    static func write(path: String, state: State, position: ChainPosition, lastRecordOffset: Int64,
                      mode: mode_t, group: gid_t) throws {
        var w = BinaryWriter()
        w.bytes.append(contentsOf: magic)
        w.i64(position.endOffset)
        w.int(position.count)
        w.bytes.append(contentsOf: position.head.bytes)
        w.i64(lastRecordOffset)
        let stateBytes = StateCodec.encode(state)
        w.u64(UInt64(stateBytes.count))
        w.bytes.append(contentsOf: stateBytes)
        w.bytes.append(contentsOf: Array(SHA256.hash(data: w.bytes)))

        let temp = "\(path).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 0o660)
        guard fd >= 0 else { throw StoreError.from(errno: errno, path: temp, operation: "create checkpoint") }
        fchmod(fd, mode & 0o660)
        fchown(fd, uid_t.max, group)
        var ok = true
        var written = 0
        let data = w.bytes
        while written < data.count && ok {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, data.count - written) }
            if n <= 0 { ok = errno == EINTR } else { written += n }
        }
        let e = errno
        if !ok || fsync(fd) != 0 {
            close(fd)
            unlink(temp)
            throw StoreError.from(errno: ok ? errno : e, path: temp, operation: "write checkpoint")
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw StoreError.from(errno: e, path: path, operation: "rename checkpoint")
        }
        fsyncDirectory(directory(of: path))
    }

    static func load(path: String, log: LogFile) -> (State, ChainPosition)? {
        guard let data = readWholeFile(path), data.count > magic.count + 32,
              Array(data[0..<magic.count]) == magic else { return nil }
        let body = data[0..<(data.count - 32)]
        guard Array(SHA256.hash(data: body)) == Array(data[(data.count - 32)...]) else { return nil }
        var r = BinaryReader(Array(body))
        do {
            _ = try r.take(magic.count)
            let endOffset = try r.i64()
            let count = try r.int()
            let headStart = try r.take(32)
            let head = ChainHash(bytes: Array(data[headStart..<(headStart + 32)]))
            let lastOffset = try r.i64()
            let length = Int(try r.u64())
            let stateStart = try r.take(length)
            guard r.atEnd else { return nil }
            // The log must still hold the very record the checkpoint ends with.
            guard count > 0, try log.size() >= endOffset else { return nil }
            let line = try log.line(at: lastOffset)
            guard lastOffset + Int64(line.count) + 1 == endOffset,
                  line.withUnsafeBytes({ ChainHash.of($0) }) == head else { return nil }
            guard let state = StateCodec.decode(Array(data[stateStart..<(stateStart + length)])),
                  state.eventCount == count else { return nil }
            return (state, ChainPosition(count: count, head: head, endOffset: endOffset))
        } catch {
            return nil
        }
    }
}

func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    var out = [UInt8](repeating: 0, count: Int(st.st_size))
    var got = 0
    while got < out.count {
        let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
        if n <= 0 { return nil }
        got += n
    }
    return out
}
