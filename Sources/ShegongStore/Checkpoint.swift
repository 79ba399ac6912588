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
    /// Names the kind of file only; its version is `StateCodec.version`, in the header's schema
    /// fingerprint (one number for the layout and the encoding, so neither can change alone).
    static let magic = Array("SHEGONG-CHECKPOINT\n".utf8)
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
        header.u64(StateCodec.schemaFingerprint)
        header.u64(0)
        header.u64(0)
        header.u64(header.bytes.withUnsafeBytes { FastChecksum.of($0) })

        // A new file with a random name beside the log, renamed over the old checkpoint: a
        // planted file or symlink at any name the writer uses cannot redirect these bytes.
        try SafeFile.replace(path, mode: mode & 0o660, group: group) { fd in
            var failure = header.bytes.withUnsafeBytes { SafeFile.writeAll(fd, $0) }
            if failure == nil { failure = stateBytes.withUnsafeBytes { SafeFile.writeAll(fd, $0) } }
            if failure == nil { failure = ids.slots.withUnsafeBytes { SafeFile.writeAll(fd, $0) } }
            return failure
        }
    }

    static func load(path: String, log: LogFile) -> (State, ChainPosition, IDSection)? {
        // A FIFO, device or symlink here is ignored (a replay follows), never read or waited on.
        guard let fd = try? SafeFile.openRegular(path, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let fileSize = Int64(st.st_size)
        guard let header = readExactly(fd, count: headerLength, at: 0), Array(header[0..<magic.count]) == magic else { return nil }
        return header.withUnsafeBytes { raw in load(fd: fd, header: header, raw: raw, fileSize: fileSize, log: log) }
    }

    private static func load(fd: Int32, header: [UInt8], raw: UnsafeRawBufferPointer, fileSize: Int64,
                             log: LogFile) -> (State, ChainPosition, IDSection)? {
        var r = BinaryReader(raw, from: magic.count)
        do {
            let endOffset = try r.i64()
            let count = try r.int()
            let headStart = try r.take(32)
            let head = ChainHash(bytes: header[headStart..<(headStart + 32)])
            let lastOffset = try r.i64()
            // Every length is checked against the file before anything is allocated or read.
            guard let stateLength = Int(exactly: try r.u64()) else { return nil }
            let stateChecksum = try r.u64()
            let idCount = try r.int()
            guard let idLength = Int(exactly: try r.u64()) else { return nil }
            let idChecksum = try r.u64()
            let fingerprint = try r.u64()
            _ = try r.u64(); _ = try r.u64()
            let checksumAt = r.at
            let headerChecksum = try r.u64()
            guard header.withUnsafeBytes({ FastChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<checksumAt])) }) == headerChecksum,
                  fingerprint == StateCodec.schemaFingerprint else { return nil }
            // The log must still hold the very record the checkpoint ends with.
            guard stateLength <= fileSize - Int64(headerLength), idLength <= fileSize - Int64(headerLength) - Int64(stateLength),
                  idCount >= 0, idCount <= idLength / 16 else { return nil }
            guard count > 0, endOffset > 0, lastOffset >= 0, lastOffset < endOffset, try log.size() >= endOffset else { return nil }
            let line = try log.line(at: lastOffset)
            guard lastOffset + Int64(line.count) + 1 == endOffset, line.withUnsafeBytes({ ChainHash.of($0) }) == head else { return nil }
            // The state section is mapped, not copied into anonymous memory: its pages are the page
            // cache's, shared by every console on this host, and unmapped once decoded.
            guard let state = mapped(fd, count: headerLength + stateLength, { (file: UnsafeRawBufferPointer) -> State? in
                let section = UnsafeRawBufferPointer(rebasing: file[headerLength...])
                guard FastChecksum.of(section) == stateChecksum else { return nil }
                return StateCodec.decode(raw: section)
            }), state.eventCount == count else { return nil }
            let ids = IDSection(offset: Int64(headerLength + stateLength), length: idLength, count: idCount, checksum: idChecksum)
            return (state, ChainPosition(count: count, head: head, endOffset: endOffset), ids)
        } catch {
            return nil
        }
    }

    static func loadIDs(path: String, section: IDSection) -> EventIDSet? {
        guard let fd = try? SafeFile.openRegular(path, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        guard section.length % 16 == 0, let bytes = readExactly(fd, count: section.length, at: section.offset),
              bytes.withUnsafeBytes({ FastChecksum.of($0) }) == section.checksum else { return nil }
        let words = bytes.withUnsafeBytes { raw in [UInt64](raw.bindMemory(to: UInt64.self)) }
        // The table must have the load the writer keeps and exactly the slots it claims, or a
        // lookup could probe forever.
        var used = 0
        for k in stride(from: 0, to: words.count - 1, by: 2) where words[k] != 0 || words[k + 1] != 0 { used += 1 }
        guard used == section.count, section.count * 4 <= words.count / 2 * 3 else { return nil }
        let set = EventIDSet(slots: words, count: section.count)
        return set.count == section.count ? set : nil
    }
}

/// The first `count` bytes of the file, mapped read-only for the length of `body`. The file is
/// the binary's own (written by rename, never truncated in place), so the mapping stays valid.
func mapped<T>(_ fd: Int32, count: Int, _ body: (UnsafeRawBufferPointer) -> T?) -> T? {
    // Populated in the one call: the section is read whole at once, and faulting its pages in one
    // by one cost a start more than the checksum's own work.
    guard count > 0, let base = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else { return nil }
    defer { munmap(base, count) }
    return body(UnsafeRawBufferPointer(start: base, count: count))
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
