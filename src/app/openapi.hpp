#pragma once
#include <nlohmann/json.hpp>

namespace frontdoor::app {

// The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json.
const nlohmann::json& openapi_document();

}  // namespace frontdoor::app
