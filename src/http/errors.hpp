#pragma once
// THE one place that maps an ErrorCode to an HTTP status and renders an Error.
//
//   kValidation         400  (one status for forms and the JSON API: the body's
//                             "fields" list tells an API client what to fix)
//   kNotFound           404
//   kForbidden          403  (records a user may not see are reported by the app
//                             as kNotFound, so their existence is not disclosed;
//                             kForbidden is for actions on records the user can see)
//   kUnauthenticated    401
//   kConflict           409
//   kInvalidTransition  409
//   kRateLimited        429  (+ Retry-After: 60)
//   kUnavailable        503  (+ Retry-After: 30, or the caller's delay through
//                             unavailable_response(): the server's load shedding)
//   kInternal           500  (the message is logged, never shown)
#include <chrono>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace frontdoor::http {

// What every internal error says to the user.
inline constexpr std::string_view kGenericErrorMessage =
    "Sorry, there is a problem with the service";

int status_for(ErrorCode code);

// Renders an error page for a browser. `error.message` is already safe to show
// (internal errors arrive with the generic message). The renderer must return a
// response with the given status.
using ErrorRenderer = std::function<Response(const Request&, const Error&, int status)>;

// A plain text renderer: "<message>\n".
Response plain_error_renderer(const Request& request, const Error& error, int status);

// True when the client should get JSON: the path starts with /api/ or the
// Accept header names application/json ahead of (or without) text/html.
bool wants_json(const Request& request);

// JSON {"error":{"code","message","fields":[{"field","message"}]}} for API
// clients, otherwise the renderer's page (plain text when it is empty).
// Internal errors are logged to stderr with the request id; their message is
// replaced by kGenericErrorMessage.
Response error_response(const Request& request, const Error& error,
                        const ErrorRenderer& renderer = {});

// kUnavailable (503) with the given Retry-After instead of the default: what
// the server answers when it sheds work. Without a renderer it is plain text
// (JSON for API clients) and touches nothing but the request.
Response unavailable_response(const Request& request, std::string message,
                              std::chrono::seconds retry_after, const ErrorRenderer& renderer = {});

// The same, for a status that has no ErrorCode (405, 413, 431, 400 from the
// parser): `message` is shown as is.
Response status_response(const Request& request, int status, std::string message,
                         const ErrorRenderer& renderer = {});

// The standard reason phrase ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace frontdoor::http
