#pragma once
// Routes requests to handlers by method and path pattern, around a chain of
// middleware, and turns Errors (and exceptions) into responses.
//
// Patterns are absolute paths whose segments are literals, "{name}" (one
// non-empty segment, percent-decoded, into Request::path_params) or, as the
// last segment only, "{name*}" (the rest of the path, possibly empty).
// Matching is on the decoded path. When several patterns match, the most
// specific wins: segment by segment, a literal beats {name}, which beats
// {name*}. If the winning pattern has no route for the method the answer is
// 405 with Allow; if no pattern matches, 404. A GET route also answers HEAD
// (the Server sends the headers without the body).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/errors.hpp"
#include "http/message.hpp"

namespace frontdoor::http {

using Handler = std::function<Result<Response>(Request&)>;
using Middleware = std::function<Result<Response>(Request&, const Handler& next)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string name;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Throws std::invalid_argument for a malformed pattern or a duplicate
  // method+pattern (programming errors, found at start-up).
  void add(std::string method, std::string pattern, Handler handler, std::string name = {});
  void get(std::string pattern, Handler handler, std::string name = {}) {
    add("GET", std::move(pattern), std::move(handler), std::move(name));
  }
  void post(std::string pattern, Handler handler, std::string name = {}) {
    add("POST", std::move(pattern), std::move(handler), std::move(name));
  }

  // Middleware runs in the order added, the first outermost, around every
  // route and around the 404/405 answers.
  void use(Middleware middleware);

  // Never throws: a handler's Error becomes error_response(); an exception is
  // logged to stderr (one line, with the request id) and becomes a 500 that
  // shows only the generic message.
  Response dispatch(Request& request) const;

  const std::vector<RouteInfo>& routes() const { return infos_; }

  void set_error_renderer(ErrorRenderer renderer) { renderer_ = std::move(renderer); }
  const ErrorRenderer& error_renderer() const { return renderer_; }

 private:
  struct Pattern;
  Result<Response> match_and_run(Request& request) const;
  Result<Response> run_chain(std::size_t index, Request& request, const Handler& last) const;

  std::vector<std::unique_ptr<Pattern>> patterns_;
  std::vector<RouteInfo> infos_;
  std::vector<Middleware> middleware_;
  ErrorRenderer renderer_;
};

}  // namespace frontdoor::http
