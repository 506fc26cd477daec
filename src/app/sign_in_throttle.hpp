#pragma once
// Sign-in throttling shared by every process on one database. Failed
// sign-ins are counted per key (one key per username, one per client address)
// in the sign_in_throttle table (migration 4), so several `frontdoor serve`
// processes behind a load balancer allow an attacker no more attempts than
// one. After max_failures failures within the window a key is locked; each
// further lock lasts twice as long as the one before, up to max_lock; a key
// quiet for forget_after starts clean. Entries that no longer matter are
// deleted as failures are recorded, so the table stays small.
//
// The functions work inside the caller's transaction: sign-in reads the locks
// in the transaction that reads the user, and writes a failure in the one that
// audits it, so throttling adds no round trip. Writers are serialised across
// processes (storage/database.hpp), which makes the read-modify-write of a
// failure atomic.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

// How sign-in failures are throttled.
struct ThrottlePolicy {
  int max_failures = 5;  // failures within `window` that lock
  std::chrono::minutes window{15};
  std::chrono::minutes first_lock{5};     // doubled at each further lock...
  std::chrono::minutes max_lock{60 * 4};  // ...up to this
  std::chrono::hours forget_after{24};    // quiet time after which a key is clean
};

class SignInThrottle {
 public:
  explicit SignInThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  // The key for a username ("user:alice") and for a client address
  // ("address:192.0.2.1"). Keys are stored and indexed: pass short, well-formed
  // text (Accounts passes a digest for anything typed that is not).
  static std::string user_key(std::string_view username);
  static std::string address_key(std::string_view address);

  // ok, or Error::rate_limited ("... Try again in 5 minutes") while the key
  // is locked. Storage errors are returned as they are.
  Status check(storage::Transaction& tx, std::string_view key, Instant now) const;
  // Counts a failure for the key (in a write transaction) and deletes the
  // entries of other keys that no longer matter.
  Status record_failure(storage::Transaction& tx, std::string_view key, Instant now) const;
  // Forgets the key's failures and lock history (for the username key on a
  // successful sign-in; not for an address key, or one good account would let
  // an attacker reset the count for that address).
  static Status record_success(storage::Transaction& tx, std::string_view key);
  // How many keys are tracked now (for tests and monitoring).
  static Result<std::int64_t> tracked(storage::Transaction& tx);

 private:
  ThrottlePolicy policy_;
};

}  // namespace frontdoor::app
