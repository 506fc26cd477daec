#include "app/config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/json.hpp"
#include "storage/postgres_database.hpp"

namespace frontdoor::app {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::filesystem::path default_assets_dir() {
  if (auto v = env("FRONTDOOR_ASSETS_DIR")) return *v;
#ifdef FRONTDOOR_ASSETS_DIR
  return std::filesystem::path(FRONTDOOR_ASSETS_DIR) / "dist";
#else
  return "assets/dist";
#endif
}

}  // namespace

Result<Config> Config::load(const std::filesystem::path& data_dir) {
  Config c;
  c.data_dir = data_dir;
  c.assets_dir = default_assets_dir();
  const auto file = data_dir / "frontdoor.json";
  if (std::filesystem::exists(file)) {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Error::validation(file.string() + " is not a JSON object");
    }
    c.council_name = j.value("council_name", c.council_name);
    c.database_url = j.value("database_url", c.database_url);
    c.base_url = j.value("base_url", c.base_url);
    c.address = j.value("address", c.address);
    c.port = j.value("port", c.port);
    c.http_threads = j.value("http_threads", c.http_threads);
    c.production = j.value("production", c.production);
    c.secure_cookies = j.value("secure_cookies", c.secure_cookies);
    if (j.contains("decision_policy")) {
      FD_ASSIGN_OR_RETURN(c.contacts.decision, domain::RagPolicy::from_json(j["decision_policy"]));
    }
    if (j.contains("session_idle_minutes"))
      c.sessions.idle = std::chrono::minutes{j["session_idle_minutes"].get<int>()};
    if (j.contains("session_absolute_minutes")) {
      c.sessions.absolute = std::chrono::minutes{j["session_absolute_minutes"].get<int>()};
    }
    if (j.contains("smtp")) {
      SmtpConfig s;
      const auto& sj = j["smtp"];
      s.host = sj.value("host", s.host);
      s.port = sj.value("port", s.port);
      s.from = sj.value("from", s.from);
      c.smtp = s;
    }
  }
  if (auto v = env("FRONTDOOR_DATABASE_URL")) c.database_url = *v;
  if (auto v = env("FRONTDOOR_COUNCIL_NAME")) c.council_name = *v;
  if (auto v = env("FRONTDOOR_BASE_URL")) c.base_url = *v;
  if (auto v = env("FRONTDOOR_PRODUCTION")) c.production = *v == "1" || *v == "true";
  if (auto v = env("FRONTDOOR_SECURE_COOKIES")) c.secure_cookies = *v == "1" || *v == "true";
  if (auto v = env("FRONTDOOR_HTTP_THREADS")) c.http_threads = std::atoi(v->c_str());
  if (auto host = env("FRONTDOOR_SMTP_HOST")) {
    SmtpConfig s = c.smtp.value_or(SmtpConfig{});
    s.host = *host;
    if (auto port = env("FRONTDOOR_SMTP_PORT"))
      s.port = static_cast<unsigned short>(std::atoi(port->c_str()));
    if (auto from = env("FRONTDOOR_SMTP_FROM")) s.from = *from;
    c.smtp = s;
  }
  if (c.smtp && c.smtp->from.empty()) c.smtp->from = "frontdoor@localhost";
  if (!c.database_url.empty() && !storage::is_postgres_url(c.database_url)) {
    return Error::validation(
        "database_url must be a postgresql:// URL, or empty for SQLite in the data folder");
  }
  if (c.production) c.secure_cookies = true;
  return c;
}

Status Config::check_production() const {
  if (!production) return ok_status();
  if (!secure_cookies)
    return Error::validation("Production needs secure cookies (HTTPS in front of Frontdoor)");
  if (!smtp)
    return Error::validation("Production needs an SMTP server so referrers are told outcomes");
  return ok_status();
}

}  // namespace frontdoor::app
