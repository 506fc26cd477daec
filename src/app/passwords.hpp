#pragma once
// Password hashing (Argon2id), the password policy, and sign-in throttling.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

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

// How sign-in failures are throttled.
struct ThrottlePolicy {
  int max_failures = 5;  // failures within `window` that lock
  std::chrono::minutes window{15};
  std::chrono::minutes first_lock{5};     // doubled at each further lock...
  std::chrono::minutes max_lock{60 * 4};  // ...up to this
  std::chrono::hours forget_after{24};    // quiet time after which a key is clean
  std::size_t max_keys = 10000;           // memory bound
};

// Counts failed sign-ins per key (callers use one key per username and one per
// remote address, e.g. "user:alice" and "ip:192.0.2.1"). After max_failures
// failures within the window the key is locked; each further lock lasts twice
// as long as the one before, up to max_lock. Thread-safe. Memory is bounded:
// when max_keys are tracked, entries that no longer matter are dropped first,
// then the least recently active.
class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, ThrottlePolicy policy = {});

  // ok, or Error::rate_limited while the key is locked.
  Status check(std::string_view key) const;
  void record_failure(std::string_view key);
  // Forgets the key's failures and lock history (call it for the username
  // key on a successful sign-in; not for a shared address key, or one good
  // account would let an attacker reset the count for that address).
  void record_success(std::string_view key);

  // How many keys are tracked now (for tests and monitoring).
  std::size_t tracked() const;

 private:
  struct Entry {
    std::vector<Instant> failures;  // within the window, oldest first
    int locks = 0;                  // locks so far (for the doubling)
    Instant locked_until{};
    Instant last_activity{};
  };
  bool removable(const Entry& e, Instant now) const;
  void make_room(Instant now);

  const Clock& clock_;
  ThrottlePolicy policy_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace frontdoor::app
