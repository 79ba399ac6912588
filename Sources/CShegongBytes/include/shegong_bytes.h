#ifndef SHEGONG_BYTES_H
#define SHEGONG_BYTES_H
// The inner loops of a replay, where Swift cannot reach the CPU's instructions: CRC-32C of a
// record (SSE4.2's crc32 when the CPU has it), finding where a JSON string's plain run ends, and
// reading the hex digits of ids and hashes.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/// The value of `n` (at most 16) lowercase hex digits at `p` into `out`; 0 if any is not one.
/// Sixteen at once: a record holds 104 (its id, the hash it chains to, its CRC).
static inline int sg_hex_value(const uint8_t *p, size_t n, uint64_t *out) {
#if defined(__SSE2__)
    __m128i v;
    if (n == 16) {
        // A hash's quarter: the digits are loaded where they are (the shorter count's copy is a call).
        v = _mm_loadu_si128((const __m128i *)p);
    } else {
        uint8_t digits[16];
        memset(digits, '0', 16);  // leading zeros keep the value
        memcpy(digits + 16 - n, p, n);
        v = _mm_loadu_si128((const __m128i *)digits);
    }
    // Signed compares: a byte of 0x80 or more is negative, so it is neither a digit nor a letter.
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('f' + 1)));
    if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xFFFF) return 0;
    __m128i nibble = _mm_add_epi8(_mm_and_si128(v, _mm_set1_epi8(0x0F)), _mm_and_si128(letter, _mm_set1_epi8(9)));
    // Each 16-bit lane holds two digits, the first in its low byte: make it first * 16 + second.
    __m128i pairs = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(nibble, _mm_set1_epi16(0x00FF)), 4), _mm_srli_epi16(nibble, 8));
    uint64_t bigEndian;
    _mm_storel_epi64((__m128i *)&bigEndian, _mm_packus_epi16(pairs, pairs));
    *out = __builtin_bswap64(bigEndian);
    return 1;
#else
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b >= '0' && b <= '9') v = v << 4 | (uint64_t)(b - '0');
        else if (b >= 'a' && b <= 'f') v = v << 4 | (uint64_t)(b - 'a' + 10);
        else return 0;
    }
    *out = v;
    return 1;
#endif
}

/// The two halves of a UUID written 8-4-4-4-12 (dashes already checked): its 32 digits gathered
/// by copies of fixed size, which compile to moves, then read sixteen at a time.
static inline int sg_uuid_value(const uint8_t *p, uint64_t *high, uint64_t *low) {
    uint8_t digits[32];
    memcpy(digits, p, 8);
    memcpy(digits + 8, p + 9, 4);
    memcpy(digits + 12, p + 14, 4);
    memcpy(digits + 16, p + 19, 4);
    memcpy(digits + 20, p + 24, 12);
    return sg_hex_value(digits, 16, high) && sg_hex_value(digits + 16, 16, low);
}
#endif
