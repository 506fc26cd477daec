#include "app/accounts.hpp"

#include <string_view>

#include "core/crypto.hpp"
#include "core/utf8.hpp"
#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {
namespace {

using storage::Row;
using storage::Transaction;

constexpr const char* kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.email, u.role, u.active, a.id, a.code, a.name, "
    "a.kind, a.requires_supervisor_approval, a.email FROM users u JOIN agencies a ON a.id = "
    "u.agency_id ";

Agency agency_from(const Row& r, std::size_t at) {
  Agency a;
  a.id = r.integer(at);
  a.code = r.text(at + 1);
  a.name = r.text(at + 2);
  a.kind = domain::parse_agency_kind(r.text(at + 3)).value_or(domain::AgencyKind::kOther);
  a.requires_supervisor_approval = r.integer(at + 4) != 0;
  a.email = r.text(at + 5);
  return a;
}

User user_from(const Row& r) {
  User u;
  u.id = r.integer(0);
  u.username = r.text(1);
  u.display_name = r.text(2);
  u.email = r.text(3);
  u.role = domain::parse_role(r.text(4)).value_or(domain::Role::kPartnerReferrer);
  u.active = r.integer(5) != 0;
  u.agency = agency_from(r, 6);
  return u;
}

Result<User> find_user(Transaction& tx, const std::string& where, const storage::Params& params) {
  FD_ASSIGN_OR_RETURN(auto row, tx.query_one(std::string(kUserSelect) + where, params));
  if (!row) return Error::not_found("No such user");
  return user_from(*row);
}

Result<std::int64_t> next_id(Transaction& tx, const char* table) {
  FD_ASSIGN_OR_RETURN(auto row,
                      tx.query_one(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table));
  return row->integer(0);
}

// True for well-formed UTF-8 without control characters (what PostgreSQL
// stores as text, and what a person types as a name).
bool is_plain_text(std::string_view s) {
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  return is_valid_utf8(s);
}

// The name a sign-in attempt is counted and audited under: what was typed
// when it could be a username (up to 64 bytes of text, as create_user
// allows), otherwise "sha256:" and its digest (71 characters, so never a real
// username). Megabytes, or bytes that are not text, must not stop a failure
// from being counted and audited.
std::string attempted_name(const std::string& username) {
  if (username.size() <= 64 && is_plain_text(username)) return username;
  return "sha256:" + sha256_hex(username);
}

domain::Actor anonymous(const std::string& username) {
  domain::Actor a;
  a.username = username;
  a.display_name = "(not signed in)";
  a.role = domain::Role::kPartnerReferrer;
  return a;
}

}  // namespace

domain::Actor User::actor() const {
  domain::Actor a;
  a.user_id = id;
  a.username = username;
  a.display_name = display_name;
  a.role = role;
  a.agency_id = agency.id;
  a.agency_name = agency.name;
  return a;
}

Accounts::Accounts(storage::Database& db, const Clock& clock, SessionPolicy policy,
                   PasswordParams params)
    : db_(db), clock_(clock), policy_(policy), params_(params) {}

Result<std::int64_t> Accounts::create_agency(const Agency& agency) {
  if (agency.code.empty() || agency.name.empty()) {
    return Error::validation("Enter the agency's code and name",
                             {{"code", "Enter a code"}, {"name", "Enter a name"}});
  }
  std::int64_t id = 0;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(id, next_id(tx, "agencies"));
    FD_TRY(tx.exec(
        "INSERT INTO agencies (id, code, name, kind, requires_supervisor_approval, email) VALUES "
        "(?, ?, ?, ?, ?, ?)",
        {id, agency.code, agency.name, std::string(domain::to_string(agency.kind)),
         std::int64_t{agency.requires_supervisor_approval ? 1 : 0}, agency.email}));
    storage::NewEvent e;
    e.type = "AgencyRegistered";
    e.payload = {{"code", agency.code},
                 {"name", agency.name},
                 {"kind", domain::to_string(agency.kind)},
                 {"requires_supervisor_approval", agency.requires_supervisor_approval},
                 {"email", agency.email}};
    FD_TRY(storage::EventStore::append(tx, "agency/" + std::to_string(id), storage::kNewStream,
                                       domain::Actor::system(), {e}, clock_.now()));
    return ok_status();
  }));
  return id;
}

Result<std::vector<Agency>> Accounts::agencies() {
  std::vector<Agency> out;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query("SELECT id, code, name, kind, requires_supervisor_approval, "
                                 "email FROM agencies ORDER BY name"));
    for (const auto& r : rows) out.push_back(agency_from(r, 0));
    return ok_status();
  }));
  return out;
}

Result<Agency> Accounts::agency_by_code(const std::string& code) {
  std::optional<Agency> found;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT id, code, name, kind, requires_supervisor_approval, "
                                     "email FROM agencies WHERE code = ?",
                                     {code}));
    if (row) found = agency_from(*row, 0);
    return ok_status();
  }));
  if (!found) return Error::field("agency", "There is no agency with the code " + code);
  return *found;
}

Result<User> Accounts::create_user(const NewUser& nu) {
  std::vector<FieldError> errors;
  if (nu.username.empty() || nu.username.size() > 64) {
    errors.push_back({"username", "Enter a username of up to 64 characters"});
  }
  if (nu.display_name.empty()) errors.push_back({"display_name", "Enter the person's name"});
  if (nu.email.find('@') == std::string::npos) {
    errors.push_back(
        {"email", "Enter an e-mail address in the correct format, like name@example.org"});
  }
  if (auto policy = check_password_policy(nu.password); !policy.ok()) {
    errors.push_back({"password", policy.error().message});
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  FD_ASSIGN_OR_RETURN(Agency agency, agency_by_code(nu.agency_code));
  const std::string hash = hash_password(nu.password, params_);
  std::int64_t id = 0;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto existing,
                        tx.query_one("SELECT id FROM users WHERE username = ?", {nu.username}));
    if (existing) return Error::field("username", "That username is already taken");
    FD_ASSIGN_OR_RETURN(id, next_id(tx, "users"));
    FD_TRY(tx.exec(
        "INSERT INTO users (id, username, display_name, email, role, agency_id, password_hash, "
        "active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
        {id, nu.username, nu.display_name, nu.email, std::string(domain::to_string(nu.role)),
         agency.id, hash, format_utc(clock_.now())}));
    storage::NewEvent e;
    e.type = "UserCreated";
    // The password hash is not part of the record's history.
    e.payload = {{"username", nu.username},
                 {"display_name", nu.display_name},
                 {"email", nu.email},
                 {"role", domain::to_string(nu.role)},
                 {"agency_id", agency.id}};
    FD_TRY(storage::EventStore::append(tx, "user/" + std::to_string(id), storage::kNewStream,
                                       domain::Actor::system(), {e}, clock_.now()));
    return ok_status();
  }));
  return user_by_id(id);
}

Result<User> Accounts::user_in(Transaction& tx, std::int64_t id) {
  return find_user(tx, "WHERE u.id = ?", {id});
}

Result<User> Accounts::user_by_id(std::int64_t id) {
  std::optional<User> user;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(user, find_user(tx, "WHERE u.id = ?", {id}));
    return ok_status();
  }));
  return *user;
}

Result<User> Accounts::user_by_username(const std::string& username) {
  std::optional<User> user;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(user, find_user(tx, "WHERE u.username = ?", {username}));
    return ok_status();
  }));
  return *user;
}

Result<std::vector<User>> Accounts::users() {
  std::vector<User> out;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query(std::string(kUserSelect) + "ORDER BY u.display_name"));
    for (const auto& r : rows) out.push_back(user_from(r));
    return ok_status();
  }));
  return out;
}

Result<SignedIn> Accounts::sign_in(const std::string& username, const std::string& password,
                                   const std::string& remote_address) {
  const Error refused = Error::unauthenticated(
      "Enter a correct username and password. Accounts are locked for a while after several "
      "failed attempts.");
  const std::string name = attempted_name(username);
  const std::string user_key = SignInThrottle::user_key(name);
  const std::string address_key = SignInThrottle::address_key(remote_address);

  std::optional<User> user;
  std::string hash;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    // A locked username or address (locked by any process on this store) is
    // refused before the password is looked at.
    const Instant now = clock_.now();
    FD_TRY(throttle_.check(tx, user_key, now));
    FD_TRY(throttle_.check(tx, address_key, now));
    if (name != username) return ok_status();  // no account has such a name
    auto found = find_user(tx, "WHERE u.username = ?", {username});
    if (!found.ok()) return ok_status();
    user = std::move(found).value();
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT password_hash FROM users WHERE id = ?", {user->id}));
    hash = row->text(0);
    return ok_status();
  }));
  // Do the same work for unknown users so timing does not reveal which exist.
  bool verified = false;
  if (user) {
    verified = verify_password(password, hash) && user->active;
  } else {
    verify_password_against_nothing(password, params_);
  }
  const Instant now = clock_.now();
  if (!verified) {
    // Counted and audited together. If that cannot be written the answer is
    // the storage error, as it would be for the right password: an uncounted
    // guess must not learn anything.
    FD_TRY(db_.write([&](Transaction& tx) -> Status {
      FD_TRY(throttle_.record_failure(tx, user_key, now));
      FD_TRY(throttle_.record_failure(tx, address_key, now));
      return storage::AuditLog::record(tx, user ? user->actor() : anonymous(name), now,
                                       "sign_in_failed", "user/" + name, remote_address,
                                       storage::AuditOutcome::kRefused);
    }));
    return refused;
  }
  if (needs_rehash(hash, params_)) {
    const std::string rehashed = hash_password(password, params_);
    (void)db_.write([&](Transaction& tx) {
      return tx.exec("UPDATE users SET password_hash = ? WHERE id = ?", {rehashed, user->id});
    });
  }
  SignedIn result;
  result.session_token = random_token(32);
  result.principal.user = *user;
  result.principal.session_id_hash = sha256_hex(result.session_token);
  result.principal.csrf_token = random_token(32);
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_TRY(SignInThrottle::record_success(tx, user_key));
    FD_TRY(
        tx.exec("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) "
                "VALUES (?, ?, "
                "?, ?, ?)",
                {result.principal.session_id_hash, user->id, result.principal.csrf_token,
                 format_utc(now), format_utc(now)}));
    return storage::AuditLog::record(tx, user->actor(), now, "sign_in", "user/" + username,
                                     remote_address, storage::AuditOutcome::kAllowed);
  }));
  return result;
}

Result<Principal> Accounts::resume(const std::string& session_token) {
  if (session_token.empty()) return Error::unauthenticated();
  const std::string id_hash = sha256_hex(session_token);
  const Instant now = clock_.now();
  std::optional<Principal> principal;
  Instant last_seen{};
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto row, tx.query_one("SELECT user_id, csrf_token, created_at, last_seen_at, ended_at "
                               "FROM sessions WHERE id_hash = ?",
                               {id_hash}));
    if (!row || !row->is_null(4)) return ok_status();
    const Instant created = parse_utc(row->text(2)).value_or(Instant{});
    last_seen = parse_utc(row->text(3)).value_or(Instant{});
    if (now - last_seen > policy_.idle || now - created > policy_.absolute) return ok_status();
    auto user = find_user(tx, "WHERE u.id = ?", {row->integer(0)});
    if (!user.ok() || !user->active) return ok_status();
    principal = Principal{std::move(user).value(), id_hash, row->text(1)};
    return ok_status();
  }));
  if (!principal) return Error::unauthenticated("Your session has ended. Sign in again.");
  if (now - last_seen > policy_.touch_interval) {
    FD_TRY(db_.write([&](Transaction& tx) {
      return tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
                     {format_utc(now), id_hash});
    }));
  }
  return *principal;
}

Status Accounts::sign_out(const Principal& principal) {
  const Instant now = clock_.now();
  return db_.write([&](Transaction& tx) -> Status {
    FD_TRY(tx.exec("UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                   {format_utc(now), principal.session_id_hash}));
    return storage::AuditLog::record(tx, principal.user.actor(), now, "sign_out",
                                     "user/" + principal.user.username, "",
                                     storage::AuditOutcome::kAllowed);
  });
}

Status Accounts::record_refusal(const User& user, const std::string& subject,
                                const std::string& reason) {
  const Instant now = clock_.now();
  return db_.write([&](Transaction& tx) -> Status {
    return storage::AuditLog::record(tx, user.actor(), now, "refused", subject, reason,
                                     storage::AuditOutcome::kRefused);
  });
}

Result<std::string> Accounts::issue_api_token(std::int64_t user_id) {
  std::string token = "fdt_" + random_token(32);
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_TRY(
        tx.exec("UPDATE users SET api_token_hash = ? WHERE id = ?", {sha256_hex(token), user_id}));
    if (tx.changes() != 1) return Error::not_found("No such user");
    storage::NewEvent e;
    e.type = "ApiTokenIssued";
    FD_TRY(storage::EventStore::append(tx, "user/" + std::to_string(user_id), storage::kAnyVersion,
                                       domain::Actor::system(), {e}, clock_.now()));
    return ok_status();
  }));
  return token;
}

Result<Principal> Accounts::authenticate_api_token(const std::string& token) {
  if (token.rfind("fdt_", 0) != 0) return Error::unauthenticated("The API token is not valid");
  std::optional<User> user;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    auto found = find_user(tx, "WHERE u.api_token_hash = ?", {sha256_hex(token)});
    if (found.ok()) user = std::move(found).value();
    return ok_status();
  }));
  if (!user || !user->active) return Error::unauthenticated("The API token is not valid");
  return Principal{*user, "", ""};
}

}  // namespace frontdoor::app
