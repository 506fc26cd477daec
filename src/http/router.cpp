#include "http/router.hpp"

#include <cstdio>
#include <exception>
#include <stdexcept>

namespace frontdoor::http {

namespace {

enum class SegmentKind { kLiteral = 0, kParam = 1, kRest = 2 };

struct Segment {
  SegmentKind kind;
  std::string text;  // the literal, or the parameter's name
};

std::vector<std::string_view> split_path(std::string_view path) {
  // "/a/b" -> {"a","b"}; "/" -> {""}; "/a/" -> {"a",""}.
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::vector<Segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Segment> segments;
  auto parts = split_path(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view name = part.substr(1, part.size() - 2);
      SegmentKind kind = SegmentKind::kParam;
      if (!name.empty() && name.back() == '*') {
        if (i + 1 != parts.size()) {
          throw std::invalid_argument("{name*} must be the last segment: " + std::string(pattern));
        }
        name.remove_suffix(1);
        kind = SegmentKind::kRest;
      }
      if (name.empty() || name.find_first_of("{}/*") != std::string_view::npos) {
        throw std::invalid_argument("bad parameter in route pattern: " + std::string(pattern));
      }
      segments.push_back({kind, std::string(name)});
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("bad literal in route pattern: " + std::string(pattern));
      }
      segments.push_back({SegmentKind::kLiteral, std::string(part)});
    }
  }
  return segments;
}

std::string shape_of(const std::vector<Segment>& segments) {
  std::string shape;
  for (const auto& s : segments) {
    shape += '/';
    if (s.kind == SegmentKind::kLiteral) shape += s.text;
    if (s.kind == SegmentKind::kParam) shape += "{}";
    if (s.kind == SegmentKind::kRest) shape += "{*}";
  }
  return shape;
}

// -1 when a is more specific than b, 1 when less, 0 when equal.
int compare_specificity(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].kind != b[i].kind) return a[i].kind < b[i].kind ? -1 : 1;
  }
  if (a.size() != b.size()) return a.size() > b.size() ? -1 : 1;
  return 0;
}

}  // namespace

struct Router::Pattern {
  struct Route {
    std::string method;
    Handler handler;
    std::vector<std::string> param_names;  // in segment order, for this route's spelling
  };
  std::vector<Segment> segments;
  std::string shape;
  std::vector<Route> routes;

  bool matches(const std::vector<std::string_view>& parts) const {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Segment& s = segments[i];
      if (s.kind == SegmentKind::kRest) return true;
      if (i >= parts.size()) return false;
      if (s.kind == SegmentKind::kLiteral && s.text != parts[i]) return false;
      if (s.kind == SegmentKind::kParam && parts[i].empty()) return false;
    }
    return parts.size() == segments.size();
  }
};

Router::Router() = default;
Router::~Router() = default;

void Router::add(std::string method, std::string pattern, Handler handler, std::string name) {
  if (method.empty() || !handler) throw std::invalid_argument("route needs a method and a handler");
  auto segments = parse_pattern(pattern);
  std::string shape = shape_of(segments);
  std::vector<std::string> names;
  for (const auto& s : segments) {
    if (s.kind != SegmentKind::kLiteral) names.push_back(s.text);
  }
  Pattern* target = nullptr;
  for (auto& p : patterns_) {
    if (p->shape == shape) target = p.get();
  }
  if (target == nullptr) {
    patterns_.push_back(std::make_unique<Pattern>());
    target = patterns_.back().get();
    target->segments = std::move(segments);
    target->shape = std::move(shape);
  }
  for (const auto& r : target->routes) {
    if (r.method == method) {
      throw std::invalid_argument("duplicate route: " + method + " " + pattern);
    }
  }
  target->routes.push_back({method, std::move(handler), std::move(names)});
  infos_.push_back({std::move(method), std::move(pattern), std::move(name)});
}

void Router::use(Middleware middleware) {
  middleware_.push_back(std::move(middleware));
}

Result<Response> Router::match_and_run(Request& request) const {
  auto parts = split_path(request.path);
  const Pattern* best = nullptr;
  for (const auto& p : patterns_) {
    if (!p->matches(parts)) continue;
    if (best == nullptr || compare_specificity(p->segments, best->segments) < 0) best = p.get();
  }
  if (best == nullptr) return Error::not_found("Page not found");

  const Pattern::Route* route = nullptr;
  for (const auto& r : best->routes) {
    if (r.method == request.method) route = &r;
  }
  if (route == nullptr && request.method == "HEAD") {
    for (const auto& r : best->routes) {
      if (r.method == "GET") route = &r;
    }
  }
  if (route == nullptr) {
    std::string allow;
    for (const auto& r : best->routes) {
      if (!allow.empty()) allow += ", ";
      allow += r.method;
      if (r.method == "GET") allow += ", HEAD";
    }
    Response response = status_response(request, 405, "Method not allowed", renderer_);
    response.set_header("Allow", std::move(allow));
    return response;
  }

  request.path_params.clear();
  std::size_t name_index = 0;
  for (std::size_t i = 0; i < best->segments.size(); ++i) {
    const Segment& s = best->segments[i];
    if (s.kind == SegmentKind::kLiteral) continue;
    const std::string& name = route->param_names[name_index++];
    if (s.kind == SegmentKind::kParam) {
      request.path_params[name] = std::string(parts[i]);
    } else {
      std::string rest;
      for (std::size_t j = i; j < parts.size(); ++j) {
        if (j > i) rest += '/';
        rest += parts[j];
      }
      request.path_params[name] = std::move(rest);
    }
  }
  return route->handler(request);
}

Result<Response> Router::run_chain(std::size_t index, Request& request, const Handler& last) const {
  if (index == middleware_.size()) return last(request);
  Handler next = [this, index, &last](Request& r) { return run_chain(index + 1, r, last); };
  return middleware_[index](request, next);
}

Response Router::dispatch(Request& request) const {
  try {
    Result<Response> result = [&]() -> Result<Response> {
      if (middleware_.empty()) return match_and_run(request);
      Handler last = [this](Request& r) { return match_and_run(r); };
      return run_chain(0, request, last);
    }();
    if (result.ok()) return std::move(result).value();
    return error_response(request, result.error(), renderer_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frontdoor http: request %llu %s %s: handler threw: %s\n",
                 static_cast<unsigned long long>(request.id), request.method.c_str(),
                 request.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "frontdoor http: request %llu %s %s: handler threw a non-exception\n",
                 static_cast<unsigned long long>(request.id), request.method.c_str(),
                 request.path.c_str());
  }
  try {
    Error shown{ErrorCode::kInternal, std::string(kGenericErrorMessage), {}};
    Response response = status_response(request, 500, shown.message, renderer_);
    return response;
  } catch (...) {
    return Response::text(std::string(kGenericErrorMessage) + "\n", 500);
  }
}

}  // namespace frontdoor::http
