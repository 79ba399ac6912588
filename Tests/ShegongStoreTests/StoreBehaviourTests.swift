import Foundation
import Testing
@testable import ShegongStore
import ShegongDomain
import ShegongTestSupport

@Suite struct StoreBehaviourTests {
    @Test func checkpointGivesTheSameStateAndIsNeverTrustedOverTheLog() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 4)
        try store.writeCheckpoint()
        let warm = try Store.open(path: store.path)
        #expect(warm.loadedFromCheckpoint)
        #expect(warm.state == store.state)

        // The log grows after the checkpoint: the checkpoint is used and the rest replayed.
        try store.append { state in
            [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: state, context: testContext(actor: "root"))]
        }
        let grown = try Store.open(path: store.path)
        #expect(grown.loadedFromCheckpoint && grown.state.visits.count == 5)
        #expect(warm.recordsPastCheckpoint == 0 && grown.recordsPastCheckpoint == 1, "what a start replays decides when to refresh it")
        let cold = try Store.open(path: store.path, useCheckpoint: false)
        #expect(cold.recordsPastCheckpoint == cold.position.count)
        #expect(cold.state == grown.state)

        // A corrupt checkpoint is ignored.
        try store.writeCheckpoint()
        let good = readBytes(store.checkpointPath)
        var cp = good
        cp[200] ^= 0xFF  // inside the state section
        writeBytes(store.checkpointPath, cp)
        let afterCorrupt = try Store.open(path: store.path)
        #expect(!afterCorrupt.loadedFromCheckpoint && afterCorrupt.state == cold.state)

        // A corrupt id set (read only when writing) is rebuilt from the log: resending stays idempotent.
        cp = good
        cp[cp.count - 3] ^= 0xFF
        writeBytes(store.checkpointPath, cp)
        let lazy = try Store.open(path: store.path)
        #expect(lazy.loadedFromCheckpoint)
        let first = try Store.open(path: store.path, useCheckpoint: false)
        let again = try first.record(at: first.state.visits[0].offset).event
        #expect(try lazy.append { _ in [again] }.isEmpty)

        // A checkpoint from a log that was since repaired shorter and rewritten is ignored too.
        try store.writeCheckpoint()
        let bytes = readBytes(store.path)
        let starts = recordOffsets(bytes)
        writeBytes(store.path, Array(bytes[0..<starts[starts.count - 2]]))
        let rewritten = try Store.open(path: store.path)
        #expect(!rewritten.loadedFromCheckpoint)
        #expect(rewritten.state.visits.count == 3)
    }

    @Test func aRecordOverOneMebibyteIsRefusedOnEveryWritePath() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        let before = readBytes(store.path)
        // Forms limit each field; the store limits the record, whoever made it (an import, a script).
        let note = String(repeating: "长", count: 700_000)  // 2.1 MB of UTF-8
        let visit = try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: store.state,
                                    context: testContext(actor: "root"))
        var huge = visit
        huge.body = .object((visit.body.fields ?? []) + [JSONField("note", .string(note))])
        #expect {
            try store.append { _ in [huge] }
        } throws: { error in
            guard case StoreError.recordTooLarge(let bytes, let limit) = error else { return false }
            return bytes > 2_000_000 && limit == 1 << 20
        }
        #expect(readBytes(store.path) == before, "nothing written")
        #expect(store.state.visits.count == 1)
        // Just under the limit is fine: the limit is on the record, not on Chinese text.
        var fits = try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: store.state,
                                   context: testContext(actor: "root"))
        fits.body = .object((fits.body.fields ?? []) + [JSONField("note", .string(String(repeating: "长", count: 300_000)))])
        try store.append { _ in [fits] }
        #expect(store.state.visits.count == 2)
    }

    @Test func theTwoCoreChainCheckAgreesWithTheFullScanAndStepsAsideForAnythingUnusual() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 40)
        let log = try LogFile.open(path: store.path, wantWrite: false)
        let (full, end) = try log.scan(from: .start) { _, _ in }
        #expect(end == .clean)
        let fast = try #require(log.intactChain(since: nil))
        #expect(fast.position == full)
        let middle = try #require(Store.open(path: store.path, useCheckpoint: false).state.visits.dropFirst(20).first)
        let record = try log.record(at: middle.offset)
        // A hash from inside the chain is found at its record; one from elsewhere is not.
        let line = try log.line(at: middle.offset)
        let hash = line.withUnsafeBytes { ChainHash.of($0) }
        #expect(log.intactChain(since: hash)?.since == record.number)
        #expect(log.intactChain(since: ChainHash(bytes: [UInt8](repeating: 7, count: 32)))?.since == nil)
        // A torn tail or a flipped bit: the fast path steps aside, the full scan names it.
        var bytes = readBytes(store.path)
        writeBytes(store.path, bytes + Array("{\"n\":99".utf8))
        #expect(try LogFile.open(path: store.path, wantWrite: false).intactChain(since: nil) == nil)
        bytes[bytes.count / 2] ^= 0x01
        writeBytes(store.path, bytes)
        #expect(try LogFile.open(path: store.path, wantWrite: false).intactChain(since: nil) == nil)
    }

    @Test func resendingTheSameEventStoresItOnce() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 0)
        let event = try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: store.state,
                                    context: testContext(actor: "root"))
        #expect(try store.append { _ in [event] }.count == 1)
        #expect(try store.append { _ in [event] }.count == 0)
        #expect(try Store.open(path: store.path, useCheckpoint: false).state.visits.count == 1)
    }

    @Test func aStaleEditIsAConflictAndWritesNothing() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 0)
        let other = try Store.open(path: store.path)
        let form = Forms.spec("person-update")!
        // Both read version 1; the other process saves first.
        try other.append { state in
            [try Forms.build(form, values: ["id": "P-1", "phone": "13800001111", "base": "1"], state: state, context: testContext(actor: "root"))]
        }
        let size = readBytes(store.path).count
        #expect {
            try store.append { state in
                [try Forms.build(form, values: ["id": "P-1", "address": "彩云社区3栋", "base": "1"], state: state, context: testContext(actor: "root"))]
            }
        } throws: { error in
            guard case DomainError.conflict(let subject, let expected, let actual, _) = error else { return false }
            return subject == "P-1" && expected == 1 && actual == 2
        }
        #expect(readBytes(store.path).count == size)
        #expect(store.state.person("P-1")?.phone == "13800001111", "the writer caught up with the newer version")
    }

    @Test func unknownEventTypesAreKeptAndOldVersionsUpcast() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 0)
        let ctx = testContext(actor: "root")
        let future = ctx.event("future.thing", subject: "X-1", body: .object([JSONField("text", .string("新版本的数据"))]))
        var old = ctx.event("visit.logged", subject: "V-1", body: .object([
            JSONField("person", .string("P-1")), JSONField("date", .string("2026-11-20")), JSONField("mode", .string("电话视频"))]))
        old.version = 1
        try store.append { _ in [future, old] }
        let reopened = try Store.open(path: store.path, useCheckpoint: false)
        #expect(reopened.state.unknown.map(\.type) == ["future.thing"])
        #expect(reopened.state.visit("V-1")?.mode == .phone, "v1 stored the Chinese label; it is read as the code")
        let exported = try run(["export", "--store", store.path, "--format", "jsonl"])
        #expect(exported.stdout.contains("\"type\":\"future.thing\""))
        #expect(exported.stdout.contains("新版本的数据"))
    }

    @Test func permissionsArePersonalByDefaultAndWorldReadableIsRefused() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 0)
        var st = stat()
        stat(store.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        chmod(store.path, 0o644)
        let result = try run(["report", "--store", store.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("chmod o-rwx"))
        #expect(throws: StoreError.worldReadable(path: store.path, mode: UInt32(st.st_mode & ~0o777 | 0o644))) {
            try Store.open(path: store.path)
        }
    }

    @Test func aReadOnlyLogOpensForReadingAndSaysWhyItCannotWrite() throws {
        guard getuid() != 0 else {
            // root ignores file modes, so a read-only file cannot be simulated by chmod; use a read-only open instead.
            let dir = TempDir()
            let store = try makeStore(dir, visits: 1)
            let ro = try Store.open(path: store.path, wantWrite: false)
            #expect(ro.readOnlyReason == .readOnly(path: store.path))
            #expect(throws: StoreError.readOnly(path: store.path)) { try ro.append { _ in [] } }
            return
        }
        let dir = TempDir()
        let store = try makeStore(dir, visits: 1)
        chmod(store.path, 0o400)
        let ro = try Store.open(path: store.path)
        #expect(ro.readOnlyReason == .readOnly(path: store.path))
    }

    @Test func exportPrintsEveryEventInOrderWithItsEnvelope() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 3)
        let out = try run(["export", "--store", store.path, "--format", "jsonl"])
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == store.position.count)
        for (i, line) in lines.enumerated() {
            let json = try JSON.parse(String(line))
            #expect(json["n"]?.int == i + 1)
            #expect(json["id"]?.string != nil && json["type"]?.string != nil && json["actor"]?.string != nil)
            #expect(json["at"]?.string.flatMap { Timestamp(iso: $0) } != nil)
        }
    }

    @Test func verifySinceProvesTheLogWasOnlyAppendedTo() throws {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 2)
        let head = store.position.head.hex
        try store.append { state in
            [try Forms.build(Forms.spec("visit")!, values: ["person": "P-1", "mode": "home"], state: state, context: testContext(actor: "root"))]
        }
        let ok = try run(["verify", "--store", store.path, "--since", head])
        #expect(ok.status == 0 && ok.stdout.contains("1 new records"), "\(ok.stdout)")
        let foreign = try run(["verify", "--store", store.path, "--since", String(repeating: "ab", count: 32)])
        #expect(foreign.status == 3)
    }
}

@Suite struct ProjectionSkippingTests {
    /// Replays skip body fields `apply` never reads; the state must be exactly what a full read gives.
    @Test func skippingUnreadFieldsGivesTheSameState() throws {
        let dir = TempDir()
        let ctx = testContext(actor: "root")
        let store = try Store.create(path: dir.file("s.log"), station: "弹子石街道社工站", context: ctx)
        var generator = DemoGenerator(seed: 11, totalEvents: 4000, endingNear: Day(iso: "2026-11-21")!, state: store.state)
        try store.append { _ in generator.next(4000) }
        var full = State()
        _ = try store.log.scan(from: .start, forProjection: false) { record, offset in full.apply(record.event, offset: offset) }
        let replayed = try Store.open(path: store.path, useCheckpoint: false)
        let r = replayed.state
        // Compared part by part so a failure names the part, not a megabyte of state.
        #expect(r.people == full.people)
        #expect(r.visits == full.visits)
        #expect(r.cases == full.cases)
        #expect(r.groups == full.groups)
        #expect(r.volunteers == full.volunteers && r.hours == full.hours && r.timeBank == full.timeBank)
        #expect(r.staff == full.staff && r.sites == full.sites && r.activities == full.activities)
        #expect(r.eventCount == full.eventCount && r.unknown == full.unknown)
        #expect(full.visits.count > 100 && full.cases.count > 3 && full.groups.count > 0 && full.hours.count > 10)
    }
}
