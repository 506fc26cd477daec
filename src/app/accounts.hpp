#pragma once
// Users, agencies, sign-in and server-side sessions.
// Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored,
// with a CSRF token, and it ends after an idle period or an absolute limit,
// whichever comes first. Sign-in, failures and sign-out are audited.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/passwords.hpp"
#include "app/sign_in_throttle.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/actor.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

struct Agency {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  domain::AgencyKind kind = domain::AgencyKind::kOther;
  bool requires_supervisor_approval = false;
  std::string email;
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  domain::Role role = domain::Role::kMashSocialWorker;
  Agency agency;
  bool active = true;

  domain::Actor actor() const;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string email;
  domain::Role role = domain::Role::kMashSocialWorker;
  std::string agency_code;
  std::string password;
};

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::minutes absolute{10 * 60};
  std::chrono::seconds touch_interval{60};  // how often last-seen is written
};

// A signed-in session as a request sees it.
struct Principal {
  User user;
  std::string session_id_hash;  // empty for API tokens
  std::string csrf_token;       // empty for API tokens
};

struct SignedIn {
  Principal principal;
  std::string session_token;  // for the cookie; never stored
};

class Accounts {
 public:
  Accounts(storage::Database& db, const Clock& clock, SessionPolicy policy, PasswordParams params);

  Result<std::int64_t> create_agency(const Agency& agency);
  Result<std::vector<Agency>> agencies();
  Result<Agency> agency_by_code(const std::string& code);
  Result<User> create_user(const NewUser& user);
  Result<User> user_by_id(std::int64_t id);
  static Result<User> user_in(storage::Transaction& tx, std::int64_t id);
  Result<User> user_by_username(const std::string& username);
  Result<std::vector<User>> users();

  // Checks the password (rate-limited per username and per address, counted
  // in the store so every process shares the count), starts a new session (a
  // fresh token every time: no fixation) and audits it.
  Result<SignedIn> sign_in(const std::string& username, const std::string& password,
                           const std::string& remote_address);
  // The session behind a cookie token, if it is live; refreshes last-seen.
  Result<Principal> resume(const std::string& session_token);
  Status sign_out(const Principal& principal);

  // Audits a request refused because of the user's role (the record-level
  // refusals are audited by the services that make them).
  Status record_refusal(const User& user, const std::string& subject, const std::string& reason);

  // Partner-system tokens: the raw token is returned once; its hash is kept.
  Result<std::string> issue_api_token(std::int64_t user_id);
  Result<Principal> authenticate_api_token(const std::string& token);

 private:
  storage::Database& db_;
  const Clock& clock_;
  SessionPolicy policy_;
  PasswordParams params_;
  SignInThrottle throttle_;
};

}  // namespace frontdoor::app
