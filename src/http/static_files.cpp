#include "http/static_files.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace frontdoor::http {
namespace {

std::string lower_extension(std::string_view filename) {
  std::size_t dot = filename.rfind('.');
  std::size_t slash = filename.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string ext(filename.substr(dot + 1));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return ext;
}

// Accepts "a/b.css"; rejects "", "/x", "a//b", ".", "..", "\", NUL.
bool is_safe_relative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  if (rel.find('\\') != std::string_view::npos) return false;
  if (rel.find('\0') != std::string_view::npos) return false;
  while (true) {
    std::size_t slash = rel.find('/');
    std::string_view seg = rel.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    rel.remove_prefix(slash + 1);
  }
}

bool is_within(const std::filesystem::path& root, const std::filesystem::path& candidate) {
  auto r = root.begin();
  auto c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    std::size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  std::string ext = lower_extension(filename);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "map" || ext == "json") return "application/json";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

Handler static_files(const std::filesystem::path& root, std::string url_prefix,
                     StaticOptions options) {
  std::error_code ec;
  std::filesystem::path canonical_root = std::filesystem::weakly_canonical(root, ec);
  if (ec) canonical_root = root.lexically_normal();
  if (!url_prefix.empty() && url_prefix.back() == '/') url_prefix.pop_back();
  std::string cache_control = "public, max-age=" + std::to_string(options.max_age.count());

  return [canonical_root, url_prefix, cache_control](Request& request) -> Result<Response> {
    std::string_view path = request.path;
    if (path.substr(0, url_prefix.size()) != url_prefix) return Error::not_found("Page not found");
    path.remove_prefix(url_prefix.size());
    if (path.empty() || path.front() != '/') return Error::not_found("Page not found");
    path.remove_prefix(1);
    if (!is_safe_relative(path)) return Error::not_found("Page not found");

    std::error_code err;
    std::filesystem::path file = std::filesystem::canonical(canonical_root / path, err);
    if (err || !is_within(canonical_root, file)) return Error::not_found("Page not found");
    auto status = std::filesystem::status(file, err);
    if (err || !std::filesystem::is_regular_file(status)) return Error::not_found("Page not found");
    auto size = std::filesystem::file_size(file, err);
    if (err) return Error::not_found("Page not found");
    auto mtime = std::filesystem::last_write_time(file, err);
    if (err) return Error::not_found("Page not found");

    std::ostringstream tag;
    tag << '"' << std::hex << size << '-'
        << static_cast<unsigned long long>(mtime.time_since_epoch().count()) << '"';
    std::string etag = tag.str();

    Response response;
    response.headers.emplace_back("Cache-Control", cache_control);
    response.headers.emplace_back("ETag", etag);
    auto inm = request.header("If-None-Match");
    if (inm && etag_matches(*inm, etag)) {
      response.status = 304;
      return response;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error::not_found("Page not found");
    std::string body(size, '\0');
    in.read(body.data(), static_cast<std::streamsize>(size));
    body.resize(static_cast<std::size_t>(in.gcount()));
    response.headers.emplace_back("Content-Type", std::string(content_type_for(file.native())));
    response.body = std::move(body);
    return response;
  };
}

}  // namespace frontdoor::http
