#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain

/// The projection saved beside the log for a fast start. It is a cache: it names the log
/// position it covers and the hash of the record there, and it is used only when the log still
/// has that record at that place. Anything else (missing, stale, corrupt, other version) means
/// a replay from the start, never an error.
///
/// Layout: magic, a fixed header (with its own checksum), the state, then the event-id set. The
/// id set is only needed to write, so it is read later, on the first append.
enum Checkpoint {
    static let magic = Array("SHEGONG-CHECKPOINT 2\n".utf8)
    static let headerLength = magic.count + 8 * 12 + 32

    struct IDSection: Equatable {
        var offset: Int64
        var length: Int
        var count: Int
        var checksum: UInt64
    }

    static func write(path: String, state: State, ids: EventIDSet, position: ChainPosition, lastRecordOffset: Int64,
                      mode: mode_t, group: gid_t) throws {
        let stateBytes = StateCodec.encode(state)
        var header = BinaryWriter()
        header.bytes.append(contentsOf: magic)
        header.i64(position.endOffset)
        header.int(position.count)
        header.bytes.append(contentsOf: position.head.bytes)
        header.i64(lastRecordOffset)
        header.u64(UInt64(stateBytes.count))
        header.u64(stateBytes.withUnsafeBytes { FastChecksum.of($0) })
        header.int(ids.count)
        header.u64(UInt64(ids.slots.count * 8))
        header.u64(ids.slots.withUnsafeBytes { FastChecksum.of($0) })
        header.u64(0)
        header.u64(0)
        header.u64(0)
        header.u64(header.bytes.withUnsafeBytes { FastChecksum.of($0) })

        let temp = "\(path).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 0o660)
        guard fd >= 0 else { throw StoreError.from(errno: errno, path: temp, operation: "create checkpoint") }
        fchmod(fd, mode & 0o660)
        fchown(fd, uid_t.max, group)
        func writeAll(_ buffer: UnsafeRawBufferPointer) -> Int32? {
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return nil
        }
        var failure = header.bytes.withUnsafeBytes(writeAll)
        if failure == nil { failure = stateBytes.withUnsafeBytes(writeAll) }
        if failure == nil { failure = ids.slots.withUnsafeBytes(writeAll) }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if let e = failure {
            unlink(temp)
            throw StoreError.from(errno: e, path: temp, operation: "write checkpoint")
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw StoreError.from(errno: e, path: path, operation: "rename checkpoint")
        }
        fsyncDirectory(directory(of: path))
    }

    static func load(path: String, log: LogFile) -> (State, ChainPosition, IDSection)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let header = readExactly(fd, count: headerLength, at: 0), Array(header[0..<magic.count]) == magic else { return nil }
        var r = BinaryReader(header, from: magic.count)
        do {
            let endOffset = try r.i64()
            let count = try r.int()
            let headStart = try r.take(32)
            let head = ChainHash(bytes: header[headStart..<(headStart + 32)])
            let lastOffset = try r.i64()
            let stateLength = Int(try r.u64())
            let stateChecksum = try r.u64()
            let idCount = try r.int()
            let idLength = Int(try r.u64())
            let idChecksum = try r.u64()
            _ = try r.u64(); _ = try r.u64(); _ = try r.u64()
            let checksumAt = r.at
            let headerChecksum = try r.u64()
            guard header.withUnsafeBytes({ FastChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<checksumAt])) }) == headerChecksum
            else { return nil }
            // The log must still hold the very record the checkpoint ends with.
            guard count > 0, stateLength >= 0, try log.size() >= endOffset else { return nil }
            let line = try log.line(at: lastOffset)
            guard lastOffset + Int64(line.count) + 1 == endOffset, line.withUnsafeBytes({ ChainHash.of($0) }) == head else { return nil }
            guard let stateBytes = readExactly(fd, count: stateLength, at: Int64(headerLength)),
                  stateBytes.withUnsafeBytes({ FastChecksum.of($0) }) == stateChecksum,
                  let state = StateCodec.decode(stateBytes), state.eventCount == count else { return nil }
            let ids = IDSection(offset: Int64(headerLength + stateLength), length: idLength, count: idCount, checksum: idChecksum)
            return (state, ChainPosition(count: count, head: head, endOffset: endOffset), ids)
        } catch {
            return nil
        }
    }

    static func loadIDs(path: String, section: IDSection) -> EventIDSet? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard section.length % 16 == 0, let bytes = readExactly(fd, count: section.length, at: section.offset),
              bytes.withUnsafeBytes({ FastChecksum.of($0) }) == section.checksum else { return nil }
        let words = bytes.withUnsafeBytes { raw in [UInt64](raw.bindMemory(to: UInt64.self)) }
        let set = EventIDSet(slots: words, count: section.count)
        return set.count == section.count ? set : nil
    }
}

/// Reads `count` bytes at `offset`, or nil if the file is shorter or unreadable.
func readExactly(_ fd: Int32, count: Int, at offset: Int64) -> [UInt8]? {
    var failed = false
    let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var got = 0
        while got < count {
            let n = pread(fd, buffer.baseAddress! + got, count - got, off_t(offset) + off_t(got))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failed = true; break }
            got += n
        }
        initialized = failed ? 0 : count
    }
    return failed ? nil : out
}
