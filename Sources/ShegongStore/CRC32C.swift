import CShegongBytes

/// CRC-32C (Castagnoli), the checksum iSCSI, ext4 and LevelDB use for records; computed with
/// SSE4.2's crc32 instruction where the CPU has it (`CShegongBytes`), so checking every record
/// of a replay costs a small part of reading it.
enum CRC32C {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        sg_crc32c(0, bytes.baseAddress, bytes.count)
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
