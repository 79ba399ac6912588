import Foundation
import Testing
@testable import ShegongStore
import ShegongDomain
import ShegongTestSupport

/// A small real store: init events plus a few people and visits with Chinese text.
func makeStore(_ dir: TempDir, name: String = "s.log", visits: Int = 6) throws -> Store {
    let ctx = testContext(actor: "root")
    let store = try Store.create(path: dir.file(name), station: "弹子石街道社工站", context: ctx)
    try store.append { state in
        [try Forms.build(Forms.spec("person")!, values: ["name": "张晓芳", "community": "S-1", "tier": "high"], state: state, context: ctx)]
    }
    for i in 0..<visits {
        try store.append { state in
            [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "上门", "note": "第\(i)次走访，老人精神很好"],
                             state: state, context: ctx)]
        }
    }
    return store
}

func recordOffsets(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == 0x0A && i + 1 < bytes.count { starts.append(i + 1) }
    return starts
}

@Suite struct LogDurabilityTests {
    @Test func truncatedAtEveryOffsetOfTheLastRecordKeepsEarlierRecordsAndHeals() throws {
        let dir = TempDir()
        let original = try makeStore(dir)
        let count = original.position.count
        let bytes = readBytes(original.path)
        let lastStart = recordOffsets(bytes).last!
        for cut in (lastStart + 1)..<bytes.count {
            let path = dir.file("cut.log")
            try? FileManager.default.removeItem(atPath: path)
            writeBytes(path, Array(bytes[0..<cut]))
            let store = try Store.open(path: path, useCheckpoint: false)
            #expect(store.position.count == count - 1, "cut at \(cut)")
            #expect(store.damage == nil)
            // The CLI on a sample of cuts (process start-up is slow), the same scan in-process on all.
            let useCLI = cut == lastStart + 1 || cut == bytes.count - 1 || cut % 29 == 0
            if useCLI {
                let verify = try run(["verify", "--store", path])
                #expect(verify.status == 1 && verify.stdout.contains("TORN TAIL"), "cut at \(cut): \(verify.stdout)")
            } else {
                let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start) { _, _ in }
                #expect(pos.count == count - 1 && end == .tornTail(bytes: Int64(cut - lastStart)), "cut at \(cut)")
            }
            try store.append { state in
                [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "phone"], state: state,
                                 context: testContext(actor: "root"))]
            }
            if useCLI {
                let after = try run(["verify", "--store", path])
                #expect(after.status == 0 && after.stdout.contains("ok: \(count) records"), "cut at \(cut): \(after.stdout)")
            } else {
                let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start) { _, _ in }
                #expect(pos.count == count && end == .clean, "cut at \(cut): \(pos.count) \(count) \(end)")
            }
        }
    }

    @Test func zeroFilledTailIsTornNotDamage() throws {
        let dir = TempDir()
        let store = try makeStore(dir)
        var bytes = readBytes(store.path)
        bytes += [UInt8](repeating: 0, count: 300)
        writeBytes(store.path, bytes)
        let reopened = try Store.open(path: store.path)
        #expect(reopened.damage == nil)
        try reopened.append { state in
            [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: state, context: testContext(actor: "root"))]
        }
        #expect(try run(["verify", "--store", store.path]).status == 0)
    }

    @Test func bitFlipInTheMiddleIsNamedRefusedAndRepaired() throws {
        let dir = TempDir()
        let store = try makeStore(dir)
        var bytes = readBytes(store.path)
        let starts = recordOffsets(bytes)
        let victim = 5  // record number 5 (1-based), in the middle
        bytes[starts[victim - 1] + 40] ^= 0x04
        writeBytes(store.path, bytes)

        let verify = try run(["verify", "--store", store.path])
        #expect(verify.status == 2)
        #expect(verify.stdout.contains("record \(victim) at byte \(starts[victim - 1])"), "\(verify.stdout)")

        let damaged = try Store.open(path: store.path)
        #expect(damaged.damage?.recordNumber == victim)
        #expect(damaged.state.eventCount == victim - 1)
        #expect(throws: StoreError.self) {
            try damaged.append { _ in [testContext().event("person.consent", subject: "P-1", body: .object([]))] }
        }
        #expect(readBytes(store.path) == bytes, "a refused write must not touch the file")

        let repair = try run(["repair", "--store", store.path])
        #expect(repair.status == 0, "\(repair.stderr)")
        let kept = readBytes(store.path)
        #expect(kept == Array(bytes[0..<starts[victim - 1]]))
        let side = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".damaged-") }
        #expect(side.count == 1)
        #expect(readBytes(dir.file(side[0])) == Array(bytes[starts[victim - 1]...]), "the side file holds everything after the prefix")
        #expect(try run(["verify", "--store", store.path]).stdout.contains("ok: \(victim - 1) records"))
    }

    @Test func eightProcessesAppendingAtOnceAreSerialised() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 0)
        let before = store.position.count
        let processes = try (0..<8).map { _ in
            try ChildProcess(shegongBinary, ["bench-append", "--store", store.path, "--count", "500"])
        }
        for p in processes { let r = p.wait(); #expect(r.status == 0, "\(r.stderr)") }
        let verify = try run(["verify", "--store", store.path])
        #expect(verify.stdout.contains("ok: \(before + 4000) records"), "\(verify.stdout)")
        let reopened = try Store.open(path: store.path, useCheckpoint: false)
        #expect(reopened.state.visits.count == 4000)
        #expect(Set(reopened.state.visits.map(\.offset)).count == 4000, "every record has its own position")
        #expect(Set(reopened.state.visits.map(\.id)).count == 4000, "ids assigned under the lock never collide")
    }

    @Test func aFollowerSeesAnotherProcessAppendWithinOneSecond() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        let follower = try Store.open(path: store.path)
        let before = follower.state.visits.count
        let add = try run(["add", "visit", "--store", store.path, "--person", "P-1", "--mode", "home", "--note", "另一个进程写入"])
        #expect(add.status == 0, "\(add.stderr)")
        // From the moment the writer has acknowledged, the follower has one second.
        let seen = try waitUntil(timeout: 1.0, interval: 0.02) { try follower.refresh() > 0 }
        #expect(seen && follower.state.visits.count == before + 1)
    }

    @Test func aWatcherIsWokenByAnotherProcessesAppendAndOnlyThen() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        guard let watcher = LogWatcher.make(path: store.path) else { return }  // no inotify here: the console polls
        #expect(!watcher.drain(), "nothing happened yet")
        let other = try run(["add", "visit", "--store", store.path, "--person", "P-1", "--mode", "home"])
        #expect(other.status == 0, "\(other.stderr)")
        var fds = [pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0)]
        #expect(poll(&fds, 1, 1000) == 1, "the descriptor wakes a waiting loop")
        #expect(watcher.drain() && !watcher.drain(), "one write, drained once")
    }

    @Test func aHalfWrittenTailIsNotYetVisibleToAFollower() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        let follower = try Store.open(path: store.path)
        let count = follower.position.count
        let line = RecordCodec.encode(testContext().event("visit.logged", subject: "V-9", body: .object([])),
                                      number: count + 1, prev: follower.position.head)
        let fh = FileHandle(forWritingAtPath: store.path)!
        fh.seekToEndOfFile()
        fh.write(Data(line.prefix(line.count / 2)))
        #expect(try follower.refresh() == 0)
        #expect(follower.damage == nil)
        fh.write(Data(line.suffix(from: line.count / 2)))
        try fh.close()
        #expect(try follower.refresh() == 1)
    }

    @Test func randomBytesNeitherCrashNorHang() throws {
        let dir = TempDir()
        var rng = SplitMix64(seed: 7)
        for round in 0..<200 {
            let path = dir.file("fuzz\(round).log")
            let n = Int(rng.next() % 4096)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if round % 3 == 0 { for i in stride(from: 0, to: bytes.count, by: 97) { bytes[i] = 0x0A } }
            if round % 5 == 0, let valid = try? makeStore(dir, name: "v\(round).log", visits: 2) {
                bytes = readBytes(valid.path) + bytes
            }
            writeBytes(path, bytes)
            let store = try? Store.open(path: path, wantWrite: false, useCheckpoint: false)
            if let store { #expect(store.position.endOffset <= Int64(bytes.count)) }
        }
    }

    /// Mounting a small tmpfs needs root.
    @Test(rootRequired) func fullDiskFailsCleanlyAndRecovers() throws {
        let dir = TempDir()
        let mnt = dir.file("small")
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        let mount = try run(["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], program: "/bin/mount")
        guard mount.status == 0 else {
            print("skipped: cannot mount tmpfs here (\(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return
        }
        defer { _ = try? run([mnt], program: "/bin/umount") }
        let path = mnt + "/s.log"
        let ctx = testContext(actor: "root")
        let s = try Store.create(path: path, station: "弹子石街道社工站", context: ctx)
        try s.append { state in
            [try Forms.build(Forms.spec("person")!, values: ["name": "李桂兰", "community": "S-1"], state: state, context: ctx)]
        }
        let filler = mnt + "/filler"
        _ = try run(["-c", "head -c 200000 /dev/zero > \(filler)"], program: "/bin/sh")  // fills what is left
        let longNote = String(repeating: "老人独居，子女在外地务工。", count: 300)  // under the 4,000-character field limit
        var sawDiskFull = false
        for _ in 0..<20 {
            do {
                try s.append { state in
                    [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home", "note": longNote], state: state, context: ctx)]
                }
            } catch let e as StoreError {
                if case .diskFull = e { sawDiskFull = true; break }
                Issue.record("unexpected \(e)")
                break
            }
        }
        #expect(sawDiskFull)
        #expect(try run(["verify", "--store", path]).status == 0, "the log stays valid after a failed append")
        try FileManager.default.removeItem(atPath: filler)
        try s.append { state in
            [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home", "note": "空间释放后继续记录"], state: state, context: ctx)]
        }
        #expect(try run(["verify", "--store", path]).status == 0)
    }
}

@Suite struct FsyncFailureTests {
    /// A failed fsync is reported, the bytes are cut off, and the store refuses to write again
    /// (no retry-and-acknowledge) until it is reopened, which re-reads and re-verifies the log.
    @Test func aFailedFsyncIsNeverAcknowledged() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        let size = readBytes(store.path).count
        store.log.sync = { _ in errno = EIO; return -1 }
        let visit = { (s: Store) throws in
            try s.append { state in
                [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: state, context: testContext(actor: "root"))]
            }
        }
        #expect(throws: StoreError.fsyncFailed(path: store.path, errno: EIO)) { try visit(store) }
        #expect(readBytes(store.path).count == size, "the unconfirmed record is cut off")
        #expect(store.state.visits.count == 1, "and not in the projection")
        store.log.sync = { fsync($0) }
        #expect(throws: StoreError.failedEarlier(path: store.path)) { try visit(store) }
        let reopened = try Store.open(path: store.path)
        _ = try visit(reopened)
        #expect(reopened.state.visits.count == 2)
        #expect(try run(["verify", "--store", store.path]).status == 0)
    }
}

/// A replay decodes its chunks on two threads, each chunk on its own: whatever is wrong, and
/// wherever (the chunk before, the record at the seam, the chunk after), it must find what one
/// pass would.
@Suite struct ParallelDecodeTests {
    /// A log of a few MiB, read in two chunks, with one fixed record replaced by `damage(line)`.
    func scanWith(_ bytes: [UInt8], replacing k: Int, _ starts: [Int], by damage: ([UInt8]) -> [UInt8], in dir: TempDir)
        throws -> (count: Int, end: ScanEnd) {
        let end = k + 1 < starts.count ? starts[k + 1] : bytes.count
        let changed = Array(bytes[0..<starts[k]]) + damage(Array(bytes[starts[k]..<end])) + Array(bytes[end...])
        let path = dir.file("d-\(k).log")
        try? FileManager.default.removeItem(atPath: path)
        writeBytes(path, changed)
        let (pos, scanEnd) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: bytes.count / 2) { _, _ in }
        return (pos.count, scanEnd)
    }

    @Test func damageIsFoundAtItsRecordOnEitherSideOfTheSeam() throws {
        let dir = TempDir()
        let store = try Store.create(path: dir.file("big.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
        var generator = DemoGenerator(seed: 4, totalEvents: 6000, endingNear: Day(iso: "2026-11-21")!, state: store.state)
        try store.append { _ in generator.next(6000) }
        let bytes = readBytes(store.path)
        #expect(bytes.count > 2 << 20, "a few MiB: \(bytes.count)")
        let starts = recordOffsets(bytes)
        // The seam: the first record that starts in the second chunk.
        let seam = try #require(starts.firstIndex { $0 >= bytes.count / 2 })
        let (clean, cleanEnd) = try LogFile.open(path: store.path, wantWrite: false).scan(from: .start) { _, _ in }
        #expect(clean.count == starts.count && cleanEnd == .clean)

        for k in [1, seam - 1, seam, seam + 1, starts.count - 2] {
            // A flipped byte: a checksum failure at record k + 1 (1-based), at its offset.
            let flipped = try scanWith(bytes, replacing: k, starts, by: { line in var l = line; l[20] ^= 0x01; return l }, in: dir)
            #expect(flipped.count == k, "flip in record \(k + 1)")
            guard case .damaged(let d) = flipped.end else { Issue.record("record \(k + 1): \(flipped.end)"); continue }
            #expect(d.recordNumber == k + 1 && d.offset == Int64(starts[k]), "\(d)")
            // A record taken out: the next one's number and prev do not follow.
            let removed = try scanWith(bytes, replacing: k, starts, by: { _ in [] }, in: dir)
            guard case .damaged(let gap) = removed.end else { Issue.record("gap at \(k + 1): \(removed.end)"); continue }
            #expect(removed.count == k && gap.recordNumber == k + 1 && gap.offset == Int64(starts[k]), "\(gap)")
            #expect(gap.reason.contains("record number"), "\(gap.reason)")
        }
    }
}

/// A replay reads its chunks ahead of the one being applied, on two threads. Across many chunks
/// (each owning the lines that start in it, and reading on to the end of its last), it must hand
/// over every record once and in order, find damage in a later chunk where it is, and stop at once
/// when the caller stops.
@Suite struct ChunksAheadTests {
    static let dir = TempDir()
    static let log: (path: String, bytes: [UInt8], starts: [Int]) = {
        let store = try! Store.create(path: dir.file("ahead.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
        var generator = DemoGenerator(seed: 7, totalEvents: 6000, endingNear: Day(iso: "2026-11-21")!, state: store.state)
        _ = try! store.append { _ in generator.next(6000) }
        let bytes = readBytes(store.path)
        return (store.path, bytes, recordOffsets(bytes))
    }()

    /// Chunks smaller than a line (most hold no line's start), of some eighty lines, and of over a MiB.
    static let chunkSizes = [300, 40_000, 1_300_000]

    /// The ids of every record, in order, read in one chunk.
    static let ids: [EventID] = {
        var ids: [EventID] = []
        _ = try! LogFile.open(path: log.path, wantWrite: false).scan(from: .start) { record, _ in ids.append(record.event.id) }
        return ids
    }()

    /// With `slowly`, the caller pauses now and then, so the decoding runs the full chunks ahead
    /// and reuses each decoder as soon as it is given back.
    @Test(arguments: chunkSizes, [false, true]) func everyRecordIsHandedOverOnceInOrder(chunkSize: Int, slowly: Bool) throws {
        let log = Self.log
        #expect(log.bytes.count > 2 * 1_300_000, "spans chunks of either size: \(log.bytes.count)")
        var numbers: [Int] = [], offsets: [Int64] = [], ids: [EventID] = []
        let (pos, end) = try LogFile.open(path: log.path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { record, offset in
            numbers.append(record.number)
            offsets.append(offset)
            ids.append(record.event.id)
            if slowly, numbers.count % 300 == 0 { usleep(15_000) }
        }
        #expect(end == .clean && pos.count == log.starts.count && pos.endOffset == Int64(log.bytes.count))
        #expect(numbers == Array(1...log.starts.count))
        #expect(offsets == log.starts.map(Int64.init))
        #expect(ids == Self.ids, "each record is the one decoded at its place, not a later chunk's")
        let (whole, _) = try LogFile.open(path: log.path, wantWrite: false).scan(from: .start) { _, _ in }
        #expect(pos == whole, "the same chain position as one chunk gives")
    }

    @Test(arguments: chunkSizes) func aScanFromAPositionReadsOnFromThere(chunkSize: Int) throws {
        let log = Self.log
        let k = log.starts.count / 3
        let before = Array(log.bytes[log.starts[k - 1]..<(log.starts[k] - 1)])
        let from = ChainPosition(count: k, head: before.withUnsafeBytes { ChainHash.of($0) }, endOffset: Int64(log.starts[k]))
        var numbers: [Int] = []
        let (pos, end) = try LogFile.open(path: log.path, wantWrite: false).scan(from: from, chunkSize: chunkSize) { record, _ in
            numbers.append(record.number)
        }
        #expect(end == .clean && numbers == Array((k + 1)...log.starts.count) && pos.count == log.starts.count)
    }

    /// A record taken out where a chunk begins (the chunk before reads on past its end to finish
    /// its last line): the next one does not follow, and that is found at its place.
    @Test(arguments: chunkSizes.prefix(2)) func aGapWhereAChunkBeginsIsFoundThere(chunkSize: Int) throws {
        let log = Self.log
        for boundary in [chunkSize, 5 * chunkSize] {
            let k = try #require(log.starts.lastIndex { $0 < boundary })
            let bytes = Array(log.bytes[0..<log.starts[k]]) + Array(log.bytes[log.starts[k + 1]...])
            let path = Self.dir.file("ahead-gap-\(chunkSize)-\(boundary).log")
            writeBytes(path, bytes)
            let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { _, _ in }
            guard case .damaged(let d) = end else { Issue.record("\(end)"); continue }
            #expect(d.recordNumber == k + 1 && d.offset == Int64(log.starts[k]) && pos.count == k, "\(d)")
            #expect(d.reason.contains("record number"), "\(d.reason)")
        }
    }

    /// At half and at three quarters of the log: found in a chunk decoded ahead, after the records
    /// before it in that chunk were handed over.
    @Test(arguments: chunkSizes, [2, 3]) func damageInALaterChunkIsFoundAtItsRecord(chunkSize: Int, quarters: Int) throws {
        let log = Self.log
        let k = log.starts.count * quarters / 4
        var bytes = log.bytes
        bytes[log.starts[k] + 20] ^= 0x01
        let path = Self.dir.file("ahead-damaged-\(chunkSize)-\(quarters).log")
        writeBytes(path, bytes)
        var applied = 0
        let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { _, _ in applied += 1 }
        guard case .damaged(let d) = end else { Issue.record("\(end)"); return }
        #expect(d.recordNumber == k + 1 && d.offset == Int64(log.starts[k]), "\(d)")
        #expect(applied == k && pos.count == k && pos.endOffset == Int64(log.starts[k]))
    }

    /// The log with a line of over 100 KB at record `k + 1`, re-chained after it: far longer than
    /// a small chunk and than what a chunk reads past its end at first.
    static func withALongLine(at k: Int) throws -> (path: String, bytes: [UInt8]) {
        var events: [Event] = []
        _ = try LogFile.open(path: log.path, wantWrite: false).scan(from: .start) { record, _ in events.append(record.event) }
        events[k].body = .object((events[k].body.fields ?? []) + [JSONField("appendix", .string(String(repeating: "入户走访记录", count: 6000)))])
        var bytes: [UInt8] = [], prev = ChainHash.genesis
        for (i, event) in events.enumerated() {
            let line = RecordCodec.encode(event, number: i + 1, prev: prev)
            prev = line.dropLast().withUnsafeBytes { ChainHash.of($0) }
            bytes += line
        }
        let path = dir.file("ahead-long-\(k).log")
        writeBytes(path, bytes)
        return (path, bytes)
    }

    @Test(arguments: chunkSizes) func aLineLongerThanAChunkIsReadWhole(chunkSize: Int) throws {
        let k = Self.log.starts.count / 2
        let (path, bytes) = try Self.withALongLine(at: k)
        var offsets: [Int64] = [], long: Event?
        let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { record, offset in
            offsets.append(offset)
            if record.number == k + 1 { long = record.event }
        }
        #expect(end == .clean && offsets == recordOffsets(bytes).map(Int64.init))
        #expect(long?.body["appendix"]?.string?.count == 36_000, "the long line is read whole")
        let (whole, _) = try LogFile.open(path: path, wantWrite: false).scan(from: .start) { _, _ in }
        #expect(pos == whole)
    }

    /// Part of a line at the end (a writer that crashed, or one still writing): not a record, at
    /// any chunk size, and what came before it is all read.
    @Test(arguments: chunkSizes) func aTornTailIsLeftForLater(chunkSize: Int) throws {
        let log = Self.log
        let path = Self.dir.file("ahead-torn-\(chunkSize).log")
        writeBytes(path, log.bytes + log.bytes[log.starts[7]..<(log.starts[7] + 150)])
        var count = 0
        let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { _, _ in count += 1 }
        #expect(end == .tornTail(bytes: 150) && count == log.starts.count && pos.endOffset == Int64(log.bytes.count))
    }

    /// A record rewritten with a good checksum and number but naming another hash than its
    /// predecessor's: found at its record, whether it starts a chunk (the seam is checked by the
    /// reader) or sits inside one.
    @Test(arguments: chunkSizes) func aBrokenChainIsFoundAtItsRecordAtAnyChunkSize(chunkSize: Int) throws {
        let log = Self.log
        for k in [log.starts.firstIndex { $0 >= 40_000 }!, log.starts.count / 2 + 1] {
            let record = try LogFile.open(path: log.path, wantWrite: false).record(at: Int64(log.starts[k]))
            let line = RecordCodec.encode(record.event, number: k + 1, prev: .genesis)
            let path = Self.dir.file("ahead-chain-\(chunkSize)-\(k).log")
            writeBytes(path, Array(log.bytes[0..<log.starts[k]]) + line + Array(log.bytes[log.starts[k + 1]...]))
            var applied = 0
            let (pos, end) = try LogFile.open(path: path, wantWrite: false).scan(from: .start, chunkSize: chunkSize) { _, _ in applied += 1 }
            guard case .damaged(let d) = end else { Issue.record("record \(k + 1): \(end)"); continue }
            #expect(d.recordNumber == k + 1 && d.offset == Int64(log.starts[k]) && d.reason.contains("hash chain"), "\(d)")
            #expect(applied == k && pos.count == k)
        }
    }

    /// As a replay reads (facts from the line, the chain left to the check behind it): every
    /// record the same at any chunk size, and the same position at the end, named by the last
    /// record's hash.
    @Test(arguments: chunkSizes) func aReplaysScanReadsTheSameAtAnyChunkSize(chunkSize: Int) throws {
        let file = try LogFile.open(path: Self.log.path, wantWrite: false)
        func read(_ size: Int) throws -> ([Record], [Int64], ChainPosition, ScanEnd) {
            var records: [Record] = [], offsets: [Int64] = []
            let (pos, end) = try file.scan(from: .start, checkChain: false, forProjection: true, chunkSize: size) { r, offset in
                records.append(r)
                offsets.append(offset)
            }
            return (records, offsets, pos, end)
        }
        let (records, offsets, pos, end) = try read(chunkSize)
        let (whole, wholeOffsets, wholePos, _) = try read(LogFile.replayChunkSize)
        #expect(end == .clean && pos == wholePos && offsets == wholeOffsets)
        #expect(records.count == whole.count && zip(records, whole).allSatisfy { $0.event == $1.event && $0.facts == $1.facts })
        let (chained, _) = try file.scan(from: .start) { _, _ in }
        #expect(pos == chained, "the last record's hash, as a scan that checks the chain finds it")
    }

    struct Enough: Error {}

    @Test(arguments: chunkSizes) func aCallerThatStopsEndsTheScanAtOnce(chunkSize: Int) throws {
        let log = Self.log
        let file = try LogFile.open(path: log.path, wantWrite: false)
        var seen = 0
        #expect(throws: Enough.self) {
            _ = try file.scan(from: .start, chunkSize: chunkSize) { _, _ in
                seen += 1
                if seen == 1500 { throw Enough() }
            }
        }
        #expect(seen == 1500, "nothing is handed over after the caller stopped")
        // The file reads whole again afterwards: nothing was left waiting.
        let (pos, end) = try file.scan(from: .start, chunkSize: chunkSize) { _, _ in }
        #expect(end == .clean && pos.count == log.starts.count)
    }
}
