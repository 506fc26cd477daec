#pragma once
// UTF-8 validation for text arriving from outside (forms, query strings,
// paths, imported files): everything stored is JSON or PostgreSQL text, and
// both refuse malformed UTF-8, so the edges refuse it first.
#include <string_view>

namespace frontdoor {

// True for well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
// nothing above U+10FFFF, no truncated sequence. Any ASCII, including control
// characters, is valid.
bool is_valid_utf8(std::string_view text);

}  // namespace frontdoor
