import Crypto
import ShegongDomain

/// The SHA-256 of a record's line, which the next record names as `prev`.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init?(hex: some StringProtocol) {
        let u = Array(hex.utf8)
        guard u.count == 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = hexValue(u[i]), let lo = hexValue(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        bytes = out
    }

    public static func of(_ line: UnsafeRawBufferPointer) -> ChainHash {
        ChainHash(bytes: Array(SHA256.hash(data: line)))
    }

    public var hex: String { hexString(bytes) }
    public var description: String { hex }
}

func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x61...0x66: return b - 0x61 + 10
    default: return nil
    }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
    return String(decoding: out, as: UTF8.self)
}

/// One decoded record: its number (1-based), the hash it chains to, and the event.
public struct Record: Sendable {
    public var number: Int
    public var prev: ChainHash
    public var event: Event
}

/// Reasons a complete line is not a valid record.
public enum RecordDamage: Error, Equatable, CustomStringConvertible {
    case checksum
    case malformed(String)
    public var description: String {
        switch self {
        case .checksum: return "checksum mismatch"
        case .malformed(let why): return "malformed record (\(why))"
        }
    }
}

/// The line format (docs/log-format.md): a JSON object whose last member is a CRC-32C of every
/// byte before it, so a line is checkable alone and still readable by jq.
enum RecordCodec {
    static let crcSuffixLength = 18  // ,"crc":"xxxxxxxx"}

    static func encode(_ event: Event, number: Int, prev: ChainHash) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(384)
        out.append(contentsOf: "{\"n\":\(number),".utf8)
        let fields = event.json.fields ?? []
        for field in fields {
            JSON.writeString(field.key, to: &out)
            out.append(UInt8(ascii: ":"))
            field.value.write(to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"prev\":\"\(prev.hex)\"".utf8)
        let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
        out.append(contentsOf: ",\"crc\":\"".utf8)
        let crcHex = hexString(withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        out.append(contentsOf: crcHex.utf8)
        out.append(contentsOf: "\"}\n".utf8)
        return out
    }

    /// `line` excludes the newline.
    static func checksumMatches(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = line.count
        guard n > crcSuffixLength + 2 else { return false }
        let suffixStart = n - crcSuffixLength
        let expectedPrefix: StaticString = ",\"crc\":\""
        for i in 0..<8 where line[suffixStart + i] != expectedPrefix.utf8Start[i] { return false }
        guard line[n - 2] == UInt8(ascii: "\""), line[n - 1] == UInt8(ascii: "}") else { return false }
        var stored: UInt32 = 0
        for i in 0..<8 {
            guard let d = hexValue(line[suffixStart + 8 + i]) else { return false }
            stored = stored << 4 | UInt32(d)
        }
        return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: line[0..<suffixStart])) == stored
    }

    static func decode(_ line: UnsafeRawBufferPointer) throws(RecordDamage) -> Record {
        guard checksumMatches(line) else { throw .checksum }
        let json: JSON
        do { json = try JSON.parse(line.assumingMemoryBound(to: UInt8.self)) }
        catch { throw .malformed(error.reason) }
        guard let number = json["n"]?.int, number >= 1 else { throw .malformed("record number") }
        guard let prevText = json["prev"]?.string, let prev = ChainHash(hex: prevText) else {
            throw .malformed("prev hash")
        }
        let event: Event
        do { event = try Event(json: json) } catch { throw .malformed(error.description) }
        return Record(number: number, prev: prev, event: event)
    }
}
