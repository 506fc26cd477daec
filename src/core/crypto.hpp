#pragma once
// Small cryptographic helpers over OpenSSL 3: random tokens, SHA-256,
// HMAC-SHA-256, constant-time comparison and unpadded base64url (RFC 4648 §5).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace frontdoor {

// `bytes` bytes from the OpenSSL CSPRNG, as unpadded base64url (43 characters
// for the default 32 bytes). Throws std::runtime_error if the generator fails:
// that is unexpected and must never be papered over with weaker randomness.
std::string random_token(std::size_t bytes = 32);

// `bytes` raw random bytes (same generator and failure rule as random_token).
std::string random_bytes(std::size_t bytes);

// Lower-case hexadecimal SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Lower-case hexadecimal HMAC-SHA-256 of `data` under `key` (64 characters).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// True when a and b hold the same bytes. The time taken depends only on the
// lengths, never on where the first difference is.
bool constant_time_equals(std::string_view a, std::string_view b);

// Base64url without padding ('-' and '_' for '+' and '/').
std::string base64url_encode(std::string_view data);
// Accepts unpadded (and, leniently, '='-padded) base64url; nullopt if the text
// has any other character or an impossible length or non-zero trailing bits.
std::optional<std::string> base64url_decode(std::string_view text);

// Lower-case hexadecimal of raw bytes.
std::string hex_encode(std::string_view data);

}  // namespace frontdoor
