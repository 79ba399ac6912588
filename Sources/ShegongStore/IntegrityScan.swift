#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Checks every record's CRC-32C and number over a prefix of the log, without parsing JSON or
/// hashing the chain. A start from a checkpoint replays only what follows it; this is what
/// still finds a flipped bit in the part the checkpoint covers, before any write is accepted.
enum IntegrityScan {
    static func firstDamage(in log: LogFile, upTo end: Int64) -> Damage? {
        var buffer = [UInt8](repeating: 0, count: LogFile.chunkSize)
        var carry = 0          // bytes of an unfinished line kept at the buffer's start
        var fileOffset: Int64 = 0   // file offset of buffer[0]
        var number = 0
        while fileOffset + Int64(carry) < end {
            let want = min(buffer.count - carry, Int(end - fileOffset - Int64(carry)))
            if want == 0 {
                // One line longer than the buffer: grow it (records are at most 1 MiB when written).
                buffer += [UInt8](repeating: 0, count: buffer.count)
                continue
            }
            let got: Int
            do {
                got = try buffer.withUnsafeMutableBytes { try log.read(into: $0, start: carry, count: want, at: fileOffset + Int64(carry)) }
            } catch {
                return Damage(recordNumber: number + 1, offset: fileOffset, reason: "cannot be read (\(error))")
            }
            if got == 0 { return Damage(recordNumber: number + 1, offset: fileOffset, reason: "the log is shorter than its checkpoint") }
            let filled = carry + got
            var start = 0
            let damage: Damage? = buffer.withUnsafeBytes { raw in
                while start < filled {
                    guard let nl = memchr(raw.baseAddress! + start, 0x0A, filled - start) else { break }
                    let lineEnd = raw.baseAddress!.distance(to: UnsafeRawPointer(nl))
                    let line = UnsafeRawBufferPointer(rebasing: raw[start..<lineEnd])
                    number += 1
                    let offset = fileOffset + Int64(start)
                    guard RecordCodec.checksumMatches(line) else {
                        return Damage(recordNumber: number, offset: offset, reason: "checksum mismatch")
                    }
                    guard RecordCodec.leadingNumber(line) == number else {
                        return Damage(recordNumber: number, offset: offset, reason: "record number out of sequence")
                    }
                    start = lineEnd + 1
                }
                return nil
            }
            if let damage { return damage }
            // Keep the unfinished line for the next read.
            carry = filled - start
            if carry > 0 { buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: carry) } }
            fileOffset += Int64(start)
        }
        return nil
    }
}

/// The integrity scan of a checkpointed prefix, run on the second core while the console starts.
/// Writers wait for its answer: nothing is acknowledged on top of damage nobody has looked for.
final class PrefixCheck: @unchecked Sendable {
    private let group = DispatchGroup()
    private var damage: Damage?
    let covers: Int64
    /// How long the scan took, in seconds (for the bench).
    private(set) var seconds = 0.0

    init(log: LogFile, upTo end: Int64) {
        covers = end
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            let t0 = DispatchTime.now().uptimeNanoseconds
            self.damage = IntegrityScan.firstDamage(in: log, upTo: end)
            self.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            self.group.leave()
        }
    }

    /// Blocks until the scan is done; the damage it found, if any.
    func result() -> Damage? {
        group.wait()
        return damage
    }

    /// The answer if the scan has finished, without waiting.
    var finished: (damage: Damage?, seconds: Double)? {
        group.wait(timeout: .now()) == .success ? (damage, seconds) : nil
    }
}
