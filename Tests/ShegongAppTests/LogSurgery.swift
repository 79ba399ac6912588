import Foundation
import ShegongDomain
import ShegongStore
import ShegongTestSupport

/// Rewrites a record of a log and re-chains every record after it, CRCs and all, the way someone
/// covering their tracks would: the log then verifies on its own.
func rewriteRecord(_ path: String, number: Int, _ change: (inout Event) -> Void) throws {
    let log = try LogFile.open(path: path, wantWrite: false)
    var records: [(Record, Int64)] = []
    _ = try log.scan(from: .start, checkChain: true) { r, offset in records.append((r, offset)) }
    var bytes = Array(readBytes(path)[0..<Int(records[number - 1].1)])
    var prev = records[number - 1].0.prev
    for (record, _) in records[(number - 1)...] {
        var event = record.event
        if record.number == number { change(&event) }
        let line = RecordCodec.encode(event, number: record.number, prev: prev)
        prev = line.dropLast().withUnsafeBytes { ChainHash.of($0) }
        bytes += line
    }
    unlink(path + ".checkpoint")
    writeBytes(path, bytes)
}

/// Appends an event to the end of a log with a good CRC and chain link, as a program that
/// writes around the rules (or an older release without them) would.
func appendRecord(_ path: String, _ event: Event) {
    let bytes = readBytes(path)
    let lines = bytes.split(separator: 0x0A)
    let head = Array(lines.last!).withUnsafeBytes { ChainHash.of($0) }
    writeBytes(path, bytes + RecordCodec.encode(event, number: lines.count + 1, prev: head))
}
