#include "http/message.hpp"

#include <stdexcept>

namespace frontdoor::http {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::query_string() const {
  std::string_view t = target;
  std::size_t q = t.find('?');
  if (q == std::string_view::npos) return {};
  t.remove_prefix(q + 1);
  std::size_t hash = t.find('#');
  return t.substr(0, hash);
}

const FormData& Request::query_params() const {
  if (!query_) query_ = parse_form(query_string());
  return *query_;
}

std::optional<std::string> Request::query(std::string_view name) const {
  return query_params().find(name);
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (!iequals(key, "Cookie")) continue;
    for (auto& [cookie_name, cookie_value] : parse_cookies(value)) {
      if (cookie_name == name) return std::move(cookie_value);
    }
  }
  return std::nullopt;
}

const FormData& Request::form() const {
  if (!form_) {
    auto type = header("Content-Type");
    if (type && starts_with_ci(*type, "application/x-www-form-urlencoded")) {
      form_ = parse_form(body);
    } else {
      form_ = FormData{};
    }
  }
  return *form_;
}

std::string Request::param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? std::string{} : it->second;
}

std::string Cookie::serialize() const {
  if (!is_cookie_name(name)) throw std::invalid_argument("invalid cookie name");
  if (!is_cookie_value(value)) throw std::invalid_argument("invalid cookie value for " + name);
  for (char c : path) {
    if (c == ';' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw std::invalid_argument("invalid cookie path");
    }
  }
  if (!same_site.empty() && same_site != "Lax" && same_site != "Strict" && same_site != "None") {
    throw std::invalid_argument("invalid SameSite value");
  }
  std::string out = name + "=" + value;
  if (!path.empty()) out += "; Path=" + path;
  if (max_age) out += "; Max-Age=" + std::to_string(*max_age);
  if (http_only) out += "; HttpOnly";
  if (secure || same_site == "None") out += "; Secure";
  if (!same_site.empty()) out += "; SameSite=" + same_site;
  return out;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::json(const nlohmann::json& value, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

Response& Response::set_header(std::string name, std::string value) {
  bool replaced = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (iequals(it->first, name)) {
      if (!replaced) {
        // NOLINTNEXTLINE(bugprone-use-after-move): moved at most once, guarded by `replaced`
        it->second = std::move(value);
        replaced = true;
        ++it;
      } else {
        it = headers.erase(it);
      }
    } else {
      ++it;
    }
  }
  if (!replaced) headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::set_cookie(const Cookie& cookie) {
  return add_header("Set-Cookie", cookie.serialize());
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace frontdoor::http
