#include "app/thresholds.hpp"

#include "core/json.hpp"
#include "domain/access.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using storage::Transaction;

Thresholds::Thresholds(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Status Thresholds::ensure_default() {
  bool any = false;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM threshold_frameworks"));
    any = row->integer(0) > 0;
    return ok_status();
  }));
  if (any) return ok_status();
  auto published =
      publish_as(domain::Actor::system(), domain::ThresholdFramework::default_framework(),
                 "Default framework installed");
  if (!published.ok()) return std::move(published).error();
  return ok_status();
}

Result<domain::ThresholdFramework> Thresholds::active() {
  // Which version is active is read every time (another process on the same
  // database may have published one); its definition is parsed only when it
  // differs from the cached one.
  std::optional<domain::ThresholdFramework> found;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto current,
                        tx.query_one("SELECT id, version FROM threshold_frameworks WHERE "
                                     "active = 1 ORDER BY version DESC LIMIT 1"));
    if (!current) return Error::not_found("No threshold framework has been published");
    {
      std::lock_guard lock(mutex_);
      if (cached_ && cached_->id == current->text(0) && cached_->version == current->integer(1)) {
        found = cached_;
        return ok_status();
      }
    }
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT definition FROM threshold_frameworks WHERE "
                                               "id = ? AND version = ?",
                                               {current->text(0), current->integer(1)}));
    if (!row) return Error::not_found("No threshold framework has been published");
    FD_ASSIGN_OR_RETURN(found,
                        domain::ThresholdFramework::from_json(nlohmann::json::parse(row->text(0))));
    return ok_status();
  }));
  std::lock_guard lock(mutex_);
  cached_ = found;
  return *found;
}

Result<domain::ThresholdFramework> Thresholds::version(const std::string& id, int v) {
  std::optional<domain::ThresholdFramework> found;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT definition FROM threshold_frameworks WHERE id = ? "
                                     "AND version = ?",
                                     {id, std::int64_t{v}}));
    if (!row) return Error::not_found("No such version of the threshold framework");
    FD_ASSIGN_OR_RETURN(found,
                        domain::ThresholdFramework::from_json(nlohmann::json::parse(row->text(0))));
    return ok_status();
  }));
  return *found;
}

Result<std::vector<FrameworkVersion>> Thresholds::versions() {
  std::vector<FrameworkVersion> out;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT version, name, published_at, active FROM "
                                            "threshold_frameworks ORDER BY version DESC"));
    for (const auto& r : rows) {
      out.push_back(FrameworkVersion{static_cast<int>(r.integer(0)), r.text(1),
                                     parse_utc(r.text(2)).value_or(Instant{}), r.integer(3) != 0});
    }
    return ok_status();
  }));
  return out;
}

Result<domain::ThresholdFramework> Thresholds::publish(const Principal& who,
                                                       const std::string& definition_json,
                                                       const std::string& reason) {
  FD_TRY(domain::authorize(who.user.actor(), domain::Permission::kAdministerThresholds));
  nlohmann::json parsed = nlohmann::json::parse(definition_json, nullptr, false);
  if (parsed.is_discarded()) {
    return Error::field("definition", "The framework is not valid JSON: check brackets and commas");
  }
  FD_ASSIGN_OR_RETURN(auto framework, domain::ThresholdFramework::from_json(parsed));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::field("reason", "Enter why the framework is changing");
  }
  return publish_as(who.user.actor(), std::move(framework), reason);
}

Result<domain::ThresholdFramework> Thresholds::publish_as(const domain::Actor& actor,
                                                          domain::ThresholdFramework framework,
                                                          const std::string& reason) {
  const Instant now = clock_.now();
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM threshold_frameworks "
                                     "WHERE id = ?",
                                     {framework.id}));
    framework.version = static_cast<int>(row->integer(0)) + 1;
    const auto definition = framework.to_json();
    storage::NewEvent e;
    e.type = "ThresholdFrameworkPublished";
    e.payload = {{"definition", definition}};
    e.reason = reason;
    FD_TRY(storage::EventStore::append(tx, "threshold/" + framework.id, framework.version - 1,
                                       actor, {e}, now));
    FD_TRY(tx.exec("UPDATE threshold_frameworks SET active = 0"));
    return tx.exec(
        "INSERT INTO threshold_frameworks (id, version, name, definition, published_at, active) "
        "VALUES (?, ?, ?, ?, ?, 1)",
        {framework.id, std::int64_t{framework.version}, framework.name, definition.dump(),
         format_utc(now)});
  }));
  std::lock_guard lock(mutex_);
  cached_ = framework;
  return framework;
}

}  // namespace frontdoor::app
