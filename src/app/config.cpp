#include "app/config.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

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
    // A key of the wrong type is named, never ignored and never thrown.
    std::vector<FieldError> wrong;
    auto read = [&](const nlohmann::json& obj, const std::string& prefix, const char* key,
                    auto& target) {
      auto it = obj.find(key);
      if (it == obj.end() || it->is_null()) return;
      using T = std::decay_t<decltype(target)>;
      bool ok = false;
      if constexpr (std::is_same_v<T, bool>) {
        ok = it->is_boolean();
      } else if constexpr (std::is_floating_point_v<T>) {
        ok = it->is_number();
      } else if constexpr (std::is_integral_v<T>) {
        ok = it->is_number_integer() && it->template get<long long>() >= 0 &&
             it->template get<long long>() <= static_cast<long long>(std::numeric_limits<T>::max());
      } else {
        ok = it->is_string();
      }
      if (!ok) {
        wrong.push_back({prefix + key, "has the wrong type or is out of range"});
        return;
      }
      target = it->template get<T>();
    };
    read(j, "", "council_name", c.council_name);
    read(j, "", "database_url", c.database_url);
    read(j, "", "base_url", c.base_url);
    read(j, "", "address", c.address);
    read(j, "", "port", c.port);
    read(j, "", "http_threads", c.http_threads);
    read(j, "", "http_max_in_flight", c.http_max_in_flight);
    read(j, "", "http_max_queue_wait_ms", c.http_max_queue_wait_ms);
    read(j, "", "production", c.production);
    read(j, "", "secure_cookies", c.secure_cookies);
    int idle = static_cast<int>(c.sessions.idle.count());
    int absolute = static_cast<int>(c.sessions.absolute.count());
    read(j, "", "session_idle_minutes", idle);
    read(j, "", "session_absolute_minutes", absolute);
    c.sessions.idle = std::chrono::minutes{idle};
    c.sessions.absolute = std::chrono::minutes{absolute};
    if (j.contains("decision_policy")) {
      FD_ASSIGN_OR_RETURN(c.contacts.decision, domain::RagPolicy::from_json(j["decision_policy"]));
    }
    if (j.contains("check_policy")) {
      FD_ASSIGN_OR_RETURN(c.contacts.checks, domain::RagPolicy::from_json(j["check_policy"]));
    }
    read(j, "", "check_access_days", c.contacts.check_access_days);
    if (c.contacts.check_access_days < 0 || c.contacts.check_access_days > 365) {
      wrong.push_back({"check_access_days", "must be from 0 to 365"});
    }
    if (j.contains("smtp")) {
      const auto& sj = j["smtp"];
      if (!sj.is_object()) {
        wrong.push_back({"smtp", "must be an object"});
      } else {
        SmtpConfig smtp;
        read(sj, "smtp.", "host", smtp.host);
        read(sj, "smtp.", "port", smtp.port);
        read(sj, "smtp.", "from", smtp.from);
        read(sj, "smtp.", "helo_name", smtp.helo_name);
        read(sj, "smtp.", "starttls", smtp.starttls);
        read(sj, "smtp.", "tls_ca_file", smtp.tls_ca_file);
        int timeout = static_cast<int>(smtp.timeout.count());
        read(sj, "smtp.", "timeout_seconds", timeout);
        smtp.timeout = std::chrono::seconds{timeout};
        std::string username;
        std::string password;
        read(sj, "smtp.", "username", username);
        read(sj, "smtp.", "password", password);
        if (!username.empty()) smtp.username = username;
        if (!password.empty()) smtp.password = password;
        c.smtp = smtp;
      }
    }
    if (j.contains("matching")) {
      const auto& mj = j["matching"];
      if (!mj.is_object()) {
        wrong.push_back({"matching", "must be an object"});
      } else {
        auto& m = c.matching;
        read(mj, "matching.", "review_probability", m.review_probability);
        read(mj, "matching.", "auto_link_probability", m.auto_link_probability);
        read(mj, "matching.", "train_minimum_people", m.train_minimum_people);
        read(mj, "matching.", "em_minimum_people", m.em_minimum_people);
        read(mj, "matching.", "training_sample", m.training_sample);
        if (m.training_sample < 2) {
          wrong.push_back({"matching.training_sample", "must be at least 2"});
        }
        if (!(m.review_probability > 0 && m.review_probability <= m.auto_link_probability &&
              m.auto_link_probability <= 1)) {
          wrong.push_back({"matching.review_probability",
                           "must be above 0 and no more than matching.auto_link_probability, "
                           "which must be no more than 1"});
        }
      }
    }
    if (!wrong.empty()) {
      for (auto& w : wrong) w.message = file.string() + ": " + w.field + " " + w.message;
      return Error::invalid_fields(std::move(wrong));
    }
    if (c.sessions.idle.count() < 1 || c.sessions.absolute < c.sessions.idle) {
      return Error::validation(file.string() +
                               ": session_idle_minutes must be at least 1 and no more than "
                               "session_absolute_minutes");
    }
  }
  if (auto v = env("FRONTDOOR_DATABASE_URL")) c.database_url = *v;
  if (auto v = env("FRONTDOOR_COUNCIL_NAME")) c.council_name = *v;
  if (auto v = env("FRONTDOOR_BASE_URL")) c.base_url = *v;
  if (auto v = env("FRONTDOOR_PRODUCTION")) c.production = *v == "1" || *v == "true";
  if (auto v = env("FRONTDOOR_SECURE_COOKIES")) c.secure_cookies = *v == "1" || *v == "true";
  if (auto v = env("FRONTDOOR_HTTP_THREADS")) c.http_threads = std::atoi(v->c_str());
  for (auto [name, target] :
       {std::pair{"FRONTDOOR_HTTP_MAX_IN_FLIGHT", &c.http_max_in_flight},
        std::pair{"FRONTDOOR_HTTP_MAX_QUEUE_WAIT_MS", &c.http_max_queue_wait_ms}}) {
    if (auto v = env(name)) {
      int n = -1;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 0) {
        return Error::validation(std::string(name) + " must be a whole number, 0 or more");
      }
      *target = n;
    }
  }
  if (auto host = env("FRONTDOOR_SMTP_HOST")) {
    SmtpConfig s = c.smtp.value_or(SmtpConfig{});
    s.host = *host;
    if (auto port = env("FRONTDOOR_SMTP_PORT"))
      s.port = static_cast<unsigned short>(std::atoi(port->c_str()));
    if (auto from = env("FRONTDOOR_SMTP_FROM")) s.from = *from;
    c.smtp = s;
  }
  if (c.smtp) {
    // Secrets are better kept out of the file: the environment wins.
    if (auto user = env("FRONTDOOR_SMTP_USERNAME")) c.smtp->username = *user;
    if (auto password = env("FRONTDOOR_SMTP_PASSWORD")) c.smtp->password = *password;
    if (auto tls = env("FRONTDOOR_SMTP_STARTTLS")) c.smtp->starttls = *tls == "1" || *tls == "true";
  }
  if (c.smtp && c.smtp->from.empty()) c.smtp->from = "frontdoor@localhost";
  if (!c.database_url.empty() && !storage::is_postgres_url(c.database_url)) {
    return Error::validation(
        "database_url must be a postgresql:// URL, or empty for SQLite in the data folder");
  }
  if (c.production) c.secure_cookies = true;
  c.contacts.base_url = c.base_url;
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
