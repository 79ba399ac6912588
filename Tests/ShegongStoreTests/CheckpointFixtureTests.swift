import Foundation
import Testing
@testable import ShegongStore
import ShegongDomain
import ShegongTestSupport

/// A small store and its checkpoint, written by this format and checked in: a later change that
/// makes them unreadable (a reordered vocabulary, a new field) fails here instead of silently
/// misreading stations' checkpoints. Regenerate on purpose with UPDATE_FIXTURES=1.
@Suite(.serialized) struct CheckpointFixtureTests {
    static let folder = packageRoot + "/Tests/ShegongStoreTests/Fixtures"

    func copyFixture(to dir: TempDir) throws -> String {
        let path = dir.file("fixture.log")
        writeBytes(path, readBytes(Self.folder + "/fixture.log"))
        writeBytes(path + ".checkpoint", readBytes(Self.folder + "/fixture.log.checkpoint"))
        return path
    }

    @Test func theCheckedInCheckpointStillDecodesToTheLogsOwnState() throws {
        if ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1" {
            let dir = TempDir()
            let store = try Store.create(path: dir.file("fixture.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
            var g = DemoGenerator(seed: 11, totalEvents: 150, endingNear: Day(iso: "2026-11-21")!, state: store.state)
            try store.append { _ in g.next(150) }
            try store.writeCheckpoint()
            writeBytes(Self.folder + "/fixture.log", readBytes(store.path))
            writeBytes(Self.folder + "/fixture.log.checkpoint", readBytes(store.checkpointPath))
        }
        let dir = TempDir()
        let path = try copyFixture(to: dir)
        let warm = try Store.open(path: path)
        let cold = try Store.open(path: path, useCheckpoint: false)
        #expect(warm.loadedFromCheckpoint, "this build reads the checkpoint the checked-in format wrote (UPDATE_FIXTURES=1 after a deliberate change)")
        #expect(warm.state == cold.state)
    }

    @Test func aCheckpointOfAnotherSchemaIsReplayedNotMisread() throws {
        let dir = TempDir()
        let path = try copyFixture(to: dir)
        var bytes = readBytes(path + ".checkpoint")
        // The fingerprint sits after the id section's checksum; change it and reseal the header.
        let at = Checkpoint.magic.count + 96
        bytes[at] ^= 0x01
        let checksumAt = Checkpoint.headerLength - 8
        let sum = bytes.withUnsafeBytes { FastChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<checksumAt])) }
        withUnsafeBytes(of: sum.littleEndian) { for (i, b) in $0.enumerated() { bytes[checksumAt + i] = b } }
        writeBytes(path + ".checkpoint", bytes)
        let opened = try Store.open(path: path)
        let cold = try Store.open(path: path, useCheckpoint: false)
        #expect(!opened.loadedFromCheckpoint && opened.state == cold.state)
    }
}
