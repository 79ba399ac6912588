#ifndef SHEGONG_BYTES_H
#define SHEGONG_BYTES_H
// The two inner loops of a replay, where Swift cannot reach the CPU's instructions: CRC-32C of a
// record (SSE4.2's crc32 when the CPU has it) and finding where a JSON string's plain run ends.
#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `n` bytes, continuing from `crc` (start with 0).
uint32_t sg_crc32c(uint32_t crc, const void *bytes, size_t n);

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The index of the first byte in `bytes[0..<n]` that is '"', '\\' or below 0x20; `n` if none.
/// Inline, because most strings in a record are a few bytes long and a call cost more than the scan.
static inline size_t sg_string_run(const uint8_t *bytes, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    // A byte below 0x20 is one whose signed value, offset by 0x80, falls below -0x60.
    const __m128i flip = _mm_set1_epi8((char)0x80), limit = _mm_set1_epi8((char)(0x20 ^ 0x80));
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                   _mm_cmplt_epi8(_mm_xor_si128(v, flip), limit));
        int mask = _mm_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++) {
        uint8_t b = bytes[i];
        if (b == '"' || b == '\\' || b < 0x20) return i;
    }
    return n;
}
#endif
