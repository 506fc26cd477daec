#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "web/pages.hpp"

namespace frontdoor::app {

class Application;
class Gate;

// Registers the web interface's routes with the gate. The returned object
// holds the handlers' state: keep it as long as the router.
std::shared_ptr<void> install_web_routes(Application& app, Gate& gate);
// The JSON API under /api/v1/, and /healthz.
std::shared_ptr<void> install_api_routes(Application& app, Gate& gate);

// What the web routes' files (web_routes.cpp, enquiry_routes.cpp) share.
namespace web_routes {

http::Response page(const web::Html& html, int status = 200);
// The path parameter as a record id; anything else is not found.
Result<std::int64_t> id_param(const http::Request& r, const char* name = "id");
// The form's hidden "version" (-2 when missing, which no record has).
std::int64_t version_field(const http::Request& r);
// Errors a form shows beside its fields and in its summary, re-rendered with
// what the user typed: invalid input (400), a stale version or a command the
// record's state refuses (409). Others go to the error page.
bool corrected_on_page(ErrorCode code);
// The chrome for a page, with the success banner that ?done= asks for.
web::Chrome chrome_for(const Gate& gate, const Principal& who, const http::Request& r,
                       const std::string& active);

// Renders the contact page for a contact (GET /contacts/{id}), with a form
// being corrected: a POST from one of its forms re-renders it this way.
using ContactPageRenderer = std::function<Result<http::Response>(
    http::Request&, const Principal&, std::int64_t contact_id, web::FormState,
    const std::string& active_form, int status)>;

// The MASH enquiry's routes (enquiry_routes.cpp): consent, checks, an
// agency's queue, one check, answers, sub-requests and the partnership page.
std::shared_ptr<void> install_enquiry_routes(Application& app, Gate& gate,
                                             ContactPageRenderer contact_page);
// The contact page's enquiry: consent and checks, read without a second
// audit entry (the page's view of the contact is the one).
Status add_enquiry(Application& app, const Principal& who, std::int64_t contact_id,
                   web::ContactPageModel& model);
// Open checks past their due time, for the MASH queue.
Result<std::vector<web::CheckLineModel>> overdue_checks(Application& app, const Principal& who);

}  // namespace web_routes
}  // namespace frontdoor::app
