#pragma once
// A small blocking HTTP/1.1 client for integration tests: one keep-alive
// connection, a cookie jar, and helpers to read the CSRF token from a page.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace frontdoor::testing {

struct HttpReply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> out;
    for (auto [it, end] = headers.equal_range(name); it != end; ++it) out.push_back(it->second);
    return out;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port)
      : port_(port), io_(std::make_unique<boost::asio::io_context>()) {}

  // Extra headers for every request (e.g. Authorization).
  void set_default_header(std::string name, std::string value) {
    defaults_[std::move(name)] = std::move(value);
  }
  void clear_cookies() { cookies_.clear(); }
  std::optional<std::string> cookie(const std::string& name) const {
    auto it = cookies_.find(name);
    if (it == cookies_.end()) return std::nullopt;
    return it->second;
  }
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }

  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& content_type = "",
                    const std::map<std::string, std::string>& headers = {}) {
    namespace bhttp = boost::beast::http;
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        connect_if_needed();
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
        for (const auto& [k, v] : defaults_) req.set(k, v);
        for (const auto& [k, v] : headers) req.set(k, v);
        std::string jar;
        for (const auto& [k, v] : cookies_) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
        if (!jar.empty()) req.set(bhttp::field::cookie, jar);
        if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
        req.body() = body;
        req.prepare_payload();
        bhttp::write(*socket_, req);
        boost::beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> res;
        bhttp::read(*socket_, buffer, res);
        HttpReply reply;
        reply.status = static_cast<int>(res.result_int());
        for (const auto& field : res) {
          std::string name(field.name_string());
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          reply.headers.emplace(name, std::string(field.value()));
        }
        reply.body = res.body();
        for (const auto& set : reply.all("set-cookie")) remember_cookie(set);
        if (!res.keep_alive()) socket_.reset();
        return reply;
      } catch (const boost::system::system_error&) {
        socket_.reset();  // the server closed an idle connection: reconnect once
        if (attempt == 1) throw;
      }
    }
    return {};
  }

  HttpReply get(const std::string& target) { return request("GET", target); }
  HttpReply post_json(const std::string& target, const nlohmann::json& body,
                      const std::map<std::string, std::string>& headers = {}) {
    return request("POST", target, body.dump(), "application/json", headers);
  }
  HttpReply post_form(const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::map<std::string, std::string>& headers = {}) {
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += encode(k) + '=' + encode(v);
    }
    return request("POST", target, body, "application/x-www-form-urlencoded", headers);
  }

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The value of the first hidden csrf_token field in an HTML page.
  static std::string csrf_token_in(const std::string& html) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    auto at = html.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return html.substr(at, html.find('"', at) - at);
  }

  static std::string encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  }

 private:
  void connect_if_needed() {
    if (socket_) return;
    socket_.emplace(*io_);
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port_);
    socket_->connect(ep);
  }
  void remember_cookie(const std::string& set_cookie) {
    const auto eq = set_cookie.find('=');
    if (eq == std::string::npos) return;
    const std::string name = set_cookie.substr(0, eq);
    const auto semi = set_cookie.find(';', eq);
    const std::string value =
        set_cookie.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    if (value.empty() || set_cookie.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }

  unsigned short port_;
  std::unique_ptr<boost::asio::io_context> io_;  // owned so that a client can be moved
  std::optional<boost::asio::ip::tcp::socket> socket_;
  std::map<std::string, std::string> cookies_;
  std::map<std::string, std::string> defaults_;
};

}  // namespace frontdoor::testing
