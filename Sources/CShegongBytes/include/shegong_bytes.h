#ifndef SHEGONG_BYTES_H
#define SHEGONG_BYTES_H
// The two inner loops of a replay, where Swift cannot reach the CPU's instructions: CRC-32C of a
// record (SSE4.2's crc32 when the CPU has it) and finding where a JSON string's plain run ends.
#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `n` bytes, continuing from `crc` (start with 0).
uint32_t sg_crc32c(uint32_t crc, const void *bytes, size_t n);

/// The index of the first byte in `bytes[0..<n]` that is '"', '\\' or below 0x20; `n` if none.
size_t sg_string_run(const uint8_t *bytes, size_t n);
#endif
