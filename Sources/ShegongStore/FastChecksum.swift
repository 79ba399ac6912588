/// A fast 64-bit checksum for checkpoint sections: they are caches, so what matters is noticing
/// a torn or corrupted file quickly, not resisting forgery (the log's hash chain does that).
enum FastChecksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15, b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let n = bytes.count
        var i = 0
        while i + 16 <= n {
            a = (a ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9FB2_1C65_1E98_DF25
            b = (b ^ bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* 0xD6E8_FEB8_6659_FD93
            a = (a << 31) | (a >> 33)
            b = (b << 27) | (b >> 37)
            i += 16
        }
        while i < n {
            a = (a ^ UInt64(bytes[i])) &* 0x100_0000_01B3
            i += 1
        }
        var h = a ^ (b &* 0x94D0_49BB_1331_11EB) ^ UInt64(n)
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 29)
    }
}
