#include "http/errors.hpp"

#include <cstdio>

namespace frontdoor::http {
namespace {

std::string_view code_name_for_status(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 431:
      return "headers_too_large";
    case 500:
      return "internal";
    default:
      return "error";
  }
}

Response render(const Request& request, const Error& error, std::string_view code_name, int status,
                const ErrorRenderer& renderer) {
  Response response;
  if (wants_json(request)) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : error.fields) {
      fields.push_back({{"field", f.field}, {"message", f.message}});
    }
    response = Response::json(
        {{"error", {{"code", code_name}, {"message", error.message}, {"fields", fields}}}}, status);
  } else if (renderer) {
    response = renderer(request, error, status);
    response.status = status;
  } else {
    response = plain_error_renderer(request, error, status);
  }
  return response;
}

}  // namespace

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidTransition:
      return 409;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response plain_error_renderer(const Request&, const Error& error, int status) {
  return Response::text(error.message + "\n", status);
}

bool wants_json(const Request& request) {
  std::string_view path = request.path;
  if (path == "/api" || path.substr(0, 5) == "/api/") return true;
  auto accept = request.header("Accept");
  if (!accept) return false;
  std::size_t json = accept->find("application/json");
  if (json == std::string_view::npos) return false;
  std::size_t html = accept->find("text/html");
  return html == std::string_view::npos || json < html;
}

Response error_response(const Request& request, const Error& error, const ErrorRenderer& renderer) {
  int status = status_for(error.code);
  Response response;
  if (error.code == ErrorCode::kInternal) {
    std::fprintf(stderr, "frontdoor http: request %llu %s %s: internal error: %s\n",
                 static_cast<unsigned long long>(request.id), request.method.c_str(),
                 request.path.c_str(), error.message.c_str());
    Error shown{ErrorCode::kInternal, std::string(kGenericErrorMessage), {}};
    response = render(request, shown, to_string(error.code), status, renderer);
  } else {
    response = render(request, error, to_string(error.code), status, renderer);
  }
  if (error.code == ErrorCode::kUnavailable) response.set_header("Retry-After", "30");
  if (error.code == ErrorCode::kRateLimited) response.set_header("Retry-After", "60");
  return response;
}

Response unavailable_response(const Request& request, std::string message,
                              std::chrono::seconds retry_after, const ErrorRenderer& renderer) {
  Response response = error_response(request, Error::unavailable(std::move(message)), renderer);
  response.set_header("Retry-After", std::to_string(retry_after.count()));
  return response;
}

Response status_response(const Request& request, int status, std::string message,
                         const ErrorRenderer& renderer) {
  Error error{ErrorCode::kValidation, std::move(message), {}};
  return render(request, error, code_name_for_status(status), status, renderer);
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

}  // namespace frontdoor::http
