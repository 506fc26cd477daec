#include "storage/migrations.hpp"

#include <string>

namespace frontdoor::storage {
namespace {

// Version 1: the event log, the audit log and the first projections.
constexpr std::string_view kV1 = R"SQL(
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  stream TEXT NOT NULL,
  stream_version BIGINT NOT NULL,
  type TEXT NOT NULL,
  payload_version INTEGER NOT NULL,
  payload TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  actor_username TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_agency_id BIGINT NOT NULL,
  actor_agency TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  reason TEXT,
  idempotency_key TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (stream, stream_version)
);
CREATE UNIQUE INDEX events_idempotency ON events (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  agency_id BIGINT NOT NULL,
  agency TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  basis TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_subject ON audit (subject, seq);
CREATE TABLE agencies (
  id BIGINT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  requires_supervisor_approval INTEGER NOT NULL DEFAULT 0,
  email TEXT NOT NULL DEFAULT ''
);
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  password_hash TEXT NOT NULL,
  api_token_hash TEXT UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at TEXT
);
CREATE TABLE persons (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth TEXT,
  postcode TEXT NOT NULL DEFAULT '',
  nhs_number TEXT,
  upn TEXT,
  la_child_id TEXT,
  restricted INTEGER NOT NULL DEFAULT 0,
  merged_into BIGINT,
  version BIGINT NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX persons_family_name ON persons (family_name);
CREATE INDEX persons_nhs ON persons (nhs_number);
CREATE TABLE relationships (
  person_id BIGINT NOT NULL,
  related_person_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (person_id, related_person_id, kind)
);
CREATE INDEX relationships_related ON relationships (related_person_id);
CREATE TABLE contacts (
  id BIGINT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  channel TEXT NOT NULL,
  received_at TEXT NOT NULL,
  rag TEXT,
  decision_due_at TEXT,
  children TEXT NOT NULL,
  referrer_agency_id BIGINT,
  submitted_by_user_id BIGINT,
  outcome TEXT,
  closed_at TEXT,
  version BIGINT NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX contacts_queue ON contacts (status, decision_due_at, received_at);
CREATE INDEX contacts_submitted_by ON contacts (submitted_by_user_id, received_at);
CREATE TABLE contact_people (
  contact_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  role TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (contact_id, person_id)
);
CREATE INDEX contact_people_person ON contact_people (person_id, received_at);
CREATE TABLE referral_forms (
  id BIGINT PRIMARY KEY,
  owner_user_id BIGINT NOT NULL,
  agency_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  contact_id BIGINT,
  version BIGINT NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX referral_forms_owner ON referral_forms (owner_user_id, updated_at);
CREATE INDEX referral_forms_agency ON referral_forms (agency_id, status);
CREATE TABLE threshold_frameworks (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  published_at TEXT NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE outbox (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  contact_id BIGINT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
)
)SQL";

constexpr std::string_view kV1Sqlite = R"SQL(
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END
)SQL";

// On PostgreSQL the same protection as SQLite's triggers, and TRUNCATE too.
// (Production also runs the application as a role without UPDATE, DELETE or
// TRUNCATE rights on these tables: see postgres_app_grants.)
constexpr std::string_view kV1Postgres = R"SQL(
CREATE FUNCTION frontdoor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION frontdoor_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
FOR EACH STATEMENT EXECUTE FUNCTION frontdoor_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION frontdoor_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION frontdoor_append_only()
)SQL";

// Version 2: the MASH queue reads the open contacts nearest their deadline
// first. This partial index holds only open contacts, in that order, so the
// queue reads the first page of them without sorting (or scanning) the rest.
// The queue's query repeats the index's predicate (status <> 'completed'), which is
// how SQLite and PostgreSQL know the index applies.
constexpr std::string_view kV2 = R"SQL(
CREATE INDEX contacts_open_by_deadline ON contacts (decision_due_at, id) WHERE status <> 'completed'
)SQL";

// Version 3: an e-mail in the outbox is claimed before it is sent, so that
// when several processes deliver from one database each e-mail is sent once.
// A claim lapses (the process died while sending) at claimed_until.
constexpr std::string_view kV3 = R"SQL(
ALTER TABLE outbox ADD COLUMN claimed_until TEXT
)SQL";

// Version 4: failed sign-ins counted in the store rather than in each
// process, so that several processes behind a load balancer share one count
// (app/sign_in_throttle.hpp). One row per key ("user:<name>" or
// "address:<client>"); failures holds the instants of the failures within
// the window, oldest first, separated by spaces; locked_until is the epoch
// when the key has never been locked. Rows are deleted once they no longer
// matter, found by last_failure_at.
constexpr std::string_view kV4 = R"SQL(
CREATE TABLE sign_in_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures TEXT NOT NULL,
  locks INTEGER NOT NULL,
  locked_until TEXT NOT NULL,
  last_failure_at TEXT NOT NULL
);
CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at)
)SQL";

// Version 5: the MASH enquiry (issue #3). Projections of the "check/<id>"
// streams (an agency's queue by due time, a contact's checks, who was asked
// about whom) and of consent per child of a contact (for reporting).
constexpr std::string_view kV5 = R"SQL(
CREATE TABLE checks (
  id BIGINT PRIMARY KEY,
  contact_id BIGINT NOT NULL,
  agency_id BIGINT NOT NULL,
  parent_check_id BIGINT,
  service TEXT NOT NULL,
  status TEXT NOT NULL,
  clock TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  answered_at TEXT,
  finished_at TEXT,
  version BIGINT NOT NULL
);
CREATE INDEX checks_by_contact ON checks (contact_id, id);
CREATE INDEX checks_agency_queue ON checks (agency_id, status, due_at, id);
CREATE INDEX checks_open_by_due ON checks (due_at, id) WHERE status = 'requested';
CREATE TABLE check_people (
  check_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  PRIMARY KEY (check_id, person_id)
);
CREATE INDEX check_people_person ON check_people (person_id, check_id);
CREATE TABLE consent (
  contact_id BIGINT NOT NULL,
  child_index INTEGER NOT NULL,
  decision TEXT NOT NULL,
  override_basis TEXT,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (contact_id, child_index)
)
)SQL";

// Splits a script on ';' at the end of a line (our scripts keep one
// statement per such terminator; SQLite trigger bodies end with "END;",
// PostgreSQL function bodies are quoted between $$ lines).
std::vector<std::string> split_statements(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  bool in_dollar_quote = false;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find('\n', start);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(start, end - start);
    current.append(line);
    current.push_back('\n');
    for (std::size_t at = line.find("$$"); at != std::string_view::npos;
         at = line.find("$$", at + 2)) {
      in_dollar_quote = !in_dollar_quote;
    }
    const auto last = line.find_last_not_of(" \t\r");
    const bool terminates = !in_dollar_quote && last != std::string_view::npos &&
                            line[last] == ';' &&
                            (current.find("CREATE TRIGGER") == std::string::npos ||
                             current.find("EXECUTE FUNCTION") != std::string::npos ||
                             line.find("END;") != std::string_view::npos);
    if (terminates) {
      current.erase(current.find_last_of(';'));
      out.push_back(current);
      current.clear();
    }
    start = end + 1;
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "event log, audit log and front-door projections", kV1, kV1Sqlite, kV1Postgres},
      {2, "open contacts by decision deadline, for the MASH queue", kV2, "", ""},
      {3, "outbox claims, so each e-mail is sent by one process", kV3, "", ""},
      {4, "sign-in failures counted in the store, shared by every process", kV4, "", ""},
      {5, "the MASH enquiry: checks, who was asked about whom, consent", kV5, "", ""},
  };
  return all;
}

Result<int> schema_version(Database& db) {
  int version = 0;
  FD_TRY(db.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto exists, tx.query_one(db.engine() == Engine::kSqlite
                                      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                        "name = 'schema_migrations'"
                                      : "SELECT tablename FROM pg_tables WHERE schemaname = "
                                        "current_schema() AND tablename = 'schema_migrations'"));
    if (!exists) return ok_status();
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT MAX(version) FROM schema_migrations"));
    if (row && !row->is_null(0)) version = static_cast<int>(row->integer(0));
    return ok_status();
  }));
  return version;
}

Result<int> migrate(Database& db, std::string_view applied_at) {
  FD_ASSIGN_OR_RETURN(const int applied, schema_version(db));
  if (applied >= migrations().back().version) return 0;
  int ran = 0;
  Status done = db.write([&](Transaction& tx) -> Status {
    FD_TRY(tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
        "NULL, applied_at TEXT NOT NULL)"));
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT MAX(version) FROM schema_migrations"));
    const int current = row && !row->is_null(0) ? static_cast<int>(row->integer(0)) : 0;
    for (const auto& m : migrations()) {
      if (m.version <= current) continue;
      for (const auto& statement : split_statements(m.sql)) FD_TRY(tx.exec(statement));
      const std::string_view extra =
          db.engine() == Engine::kSqlite ? m.sqlite_extra : m.postgres_extra;
      for (const auto& statement : split_statements(extra)) FD_TRY(tx.exec(statement));
      FD_TRY(tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     {std::int64_t{m.version}, std::string(m.name), std::string(applied_at)}));
      ++ran;
    }
    return ok_status();
  });
  if (!done.ok() && done.error().code == ErrorCode::kInternal) {
    // Most often a role without the right to create tables (the running
    // application's PostgreSQL role); the engine's reason is in the log.
    return Error::internal("The database schema is at version " + std::to_string(applied) +
                           " and its migrations could not be applied (see the log above). Run "
                           "`frontdoor migrate` as the schema's owner.");
  }
  FD_TRY(std::move(done));
  return ran;
}

std::string postgres_app_grants(std::string_view schema, std::string_view role) {
  const std::string s = quote_identifier(schema);
  const std::string r = quote_identifier(role);
  std::string sql;
  sql += "GRANT USAGE ON SCHEMA " + s + " TO " + r + ";\n";
  sql += "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r + ";\n";
  sql += "REVOKE INSERT, UPDATE, DELETE ON " + s + ".schema_migrations FROM " + r + ";\n";
  for (const char* table : {"events", "audit"}) {
    sql += "REVOKE UPDATE, DELETE, TRUNCATE ON " + s + "." + table + " FROM " + r + ";\n";
  }
  return sql;
}

}  // namespace frontdoor::storage
