#pragma once
// Password hashing (Argon2id) and the password policy. (Sign-in throttling is
// in sign_in_throttle.hpp.)
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace frontdoor::app {

// Argon2id cost. The OWASP Password Storage Cheat Sheet gives as minimum
// configurations for Argon2id (all with p=1) m=47104 KiB (46 MiB) t=1,
// m=19456 KiB (19 MiB) t=2, m=12288 KiB (12 MiB) t=3, m=9216 KiB (9 MiB) t=4
// and m=7168 KiB (7 MiB) t=5, which trade memory against passes for equal
// strength. The defaults here, 64 MiB and 3 passes, are above every one of
// those and match RFC 9106's second recommended option (t=3, m=64 MiB) with
// one lane so that concurrent sign-ins do not compete for the server's cores.
struct PasswordParams {
  std::uint32_t t_cost = 3;
  std::uint32_t m_cost_kib = 65536;
  std::uint32_t parallelism = 1;
};

// The PHC-format Argon2id string "$argon2id$v=19$m=...,t=...,p=...$salt$hash"
// with a fresh 16-byte random salt and a 32-byte tag. Throws only on the
// unexpected (the random generator or Argon2 itself failing, e.g. no memory).
std::string hash_password(std::string_view password, const PasswordParams& params);

// True when `password` matches `encoded`. False for a wrong password and for
// anything that is not a well-formed Argon2id string.
bool verify_password(std::string_view password, std::string_view encoded);

// True when `encoded` was made with other parameters (or another Argon2
// variant or version, or cannot be read), so it should be replaced by
// hash_password(password, params) after the next successful sign-in.
bool needs_rehash(std::string_view encoded, const PasswordParams& params);

// Spends the same time as verify_password with these params, for sign-in
// attempts on usernames that do not exist, so a response time does not tell
// an attacker which usernames are real. Always "fails".
void verify_password_against_nothing(std::string_view password, const PasswordParams& params);

// The password rules, following NCSC and NIST SP 800-63B: long enough
// (12 characters or more), not absurdly long (256 or fewer), and not one of
// the very commonly used passwords. No composition rules (no forced digits,
// capitals or symbols) and no expiry. Characters are counted as Unicode code
// points. Errors are Error::field("password", ...) in GOV.UK style.
Status check_password_policy(std::string_view password);

}  // namespace frontdoor::app
