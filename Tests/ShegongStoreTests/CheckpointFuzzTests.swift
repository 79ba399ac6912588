import Foundation
import Testing
@testable import ShegongStore
import ShegongDomain
import ShegongTestSupport

/// A checkpoint is a cache anyone with the data directory could damage: whatever its bytes say,
/// opening the store must neither crash nor hang, and where the checkpoint is refused the state is
/// the log's own.
@Suite struct CheckpointFuzzTests {
    /// Byte positions of the header fields (see Checkpoint.write).
    static let stateLengthAt = Checkpoint.magic.count + 56
    static let stateChecksumAt = Checkpoint.magic.count + 64
    static let idChecksumAt = Checkpoint.magic.count + 88
    static let headerChecksumAt = Checkpoint.headerLength - 8

    func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }
    func get(at offset: Int, in bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }
    func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.withUnsafeBytes { FastChecksum.of($0) } }

    /// Recomputes the checksums a forger would: of the state and id sections, then of the header,
    /// so the mutation reaches the decoder behind them.
    func resealed(_ cp: [UInt8]) -> [UInt8] {
        var out = cp
        let start = Checkpoint.headerLength
        let stateLength = min(Int(clamping: get(at: Self.stateLengthAt, in: cp)), cp.count - start)
        put(checksum(cp[start..<(start + stateLength)]), at: Self.stateChecksumAt, in: &out)
        put(checksum(cp[(start + stateLength)...]), at: Self.idChecksumAt, in: &out)
        put(checksum(out[0..<Self.headerChecksumAt]), at: Self.headerChecksumAt, in: &out)
        return out
    }

    func fixture() throws -> (TempDir, Store, State, [UInt8]) {
        let dir = TempDir()
        let store = try makeStore(dir, visits: 5)
        let ctx = testContext(actor: "root")
        try store.append { s in
            [try Forms.build(Forms.spec("case")!, values: ["person": "P-1", "source": "self", "problem": "独居"], state: s, context: ctx)]
        }
        try store.append { s in [try Forms.build(Forms.spec("volunteer")!, values: ["name": "周秀英", "site": "S-1"], state: s, context: ctx)] }
        try store.writeCheckpoint()
        let cold = try Store.open(path: store.path, useCheckpoint: false).state
        return (dir, store, cold, readBytes(store.checkpointPath))
    }

    /// Opens the store over `checkpoint` and uses what it loaded the way a report does.
    func openOver(_ checkpoint: [UInt8], _ store: Store) throws -> Store {
        writeBytes(store.checkpointPath, checkpoint)
        let opened = try Store.open(path: store.path)
        let today = Day(iso: "2026-11-30")!
        _ = Report(state: opened.state, from: Day(iso: "2026-01-01")!, to: today)
        for v in opened.state.visits { _ = opened.state.people[Int(v.person)].name }
        return opened
    }

    @Test func everyHeaderBitFlippedIsACheckpointRefusedOrTheTrueState() throws {
        let (dir, store, cold, good) = try fixture()
        defer { withExtendedLifetime(dir) {} }
        for bit in 0..<(Checkpoint.headerLength * 8) {
            var flipped = good
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(try openOver(flipped, store).state == cold, "bit \(bit)")
            let forged = resealed(flipped)
            #expect(try openOver(forged, store).state == cold, "bit \(bit), checksums recomputed")
        }
    }

    @Test func everyTruncationFallsBackToAReplay() throws {
        let (dir, store, cold, good) = try fixture()
        defer { withExtendedLifetime(dir) {} }
        for length in Array(0..<Checkpoint.headerLength + 64) + Array(stride(from: Checkpoint.headerLength + 64, to: good.count, by: 13)) {
            let opened = try openOver(Array(good[0..<length]), store)
            #expect(!opened.loadedFromCheckpoint && opened.state == cold, "length \(length)")
        }
    }

    @Test func mutatedSectionsWithValidChecksumsNeverCrashOrHang() throws {
        let (dir, store, cold, good) = try fixture()
        defer { withExtendedLifetime(dir) {} }
        var rng = SplitMix64(seed: 20261122)
        let body = Checkpoint.headerLength..<good.count
        var loaded = 0
        for round in 0..<1500 {
            var bytes = good
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = body.lowerBound + Int(rng.next() % UInt64(body.count))
                switch rng.next() % 3 {
                case 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
                case 1: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
                }
            }
            let opened = try openOver(resealed(bytes), store)
            if opened.loadedFromCheckpoint { loaded += 1 } else { #expect(opened.state == cold, "round \(round)") }
            // The id set is read on the first write; a forged one must not make that loop or trap.
            let resend = try Store.open(path: store.path, useCheckpoint: false).record(at: cold.visits[0].offset).event
            _ = try? opened.append { _ in [resend] }
        }
        // Some mutations hit strings, which decode to other text: those are the forgeries the
        // checkpoint's location (not a key) protects against; see docs/security.md.
        #expect(loaded < 1500, "most mutations are refused")
        // Afterwards a clean checkpoint from the log works again.
        try store.writeCheckpoint()
        let healed = try Store.open(path: store.path)
        #expect(healed.loadedFromCheckpoint)
    }

    @Test func randomBytesOfEveryLengthAreRefused() throws {
        let (dir, store, cold, good) = try fixture()
        defer { withExtendedLifetime(dir) {} }
        var rng = SplitMix64(seed: 7)
        for length in [0, 1, Checkpoint.magic.count, Checkpoint.headerLength, good.count, 1 << 16] {
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if length >= Checkpoint.magic.count { bytes.replaceSubrange(0..<Checkpoint.magic.count, with: Checkpoint.magic) }
            let opened = try openOver(bytes, store)
            #expect(!opened.loadedFromCheckpoint && opened.state == cold)
        }
    }
}

