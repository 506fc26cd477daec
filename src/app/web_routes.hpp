#pragma once
#include <memory>

namespace frontdoor::app {

class Application;
class Gate;

// Registers the web interface's routes with the gate. The returned object
// holds the handlers' state: keep it as long as the router.
std::shared_ptr<void> install_web_routes(Application& app, Gate& gate);
// The JSON API under /api/v1/, and /healthz.
std::shared_ptr<void> install_api_routes(Application& app, Gate& gate);

}  // namespace frontdoor::app
