// The JSON API under /api/v1/: the same actions as the web interface, for
// partner systems (API token) and scripts (session + X-CSRF-Token). Bad input
// gets a 4xx with field-level messages and changes nothing.
#include <charconv>
#include <mutex>

#include "app/application.hpp"
#include "app/gate.hpp"
#include "app/openapi.hpp"
#include "app/web_routes.hpp"
#include "core/json.hpp"

namespace frontdoor::app {
namespace {

using domain::Permission;
using http::Request;
using http::Response;
using nlohmann::json;

Result<std::int64_t> id_param(const Request& r) {
  const std::string text = r.param("id");
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value <= 0)
    return Error::not_found();
  return value;
}

Result<json> body_json(const Request& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error::validation("The request body must be a JSON object");
  }
  return j;
}

Result<std::int64_t> version_of(const json& j) {
  auto it = j.find("version");
  if (it == j.end() || !it->is_number_integer()) {
    return Error::field("version", "Send the version of the contact you read, as an integer");
  }
  return it->get<std::int64_t>();
}

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What a partner who raised a contact may see of it: its progress and the
// outcome in plain words, never the MASH's rationale or other people.
json referrer_view(const domain::ContactState& c) {
  json children = json::array();
  for (const auto& child : c.details.children) {
    children.push_back({{"given_name", child.given_name}, {"family_name", child.family_name}});
  }
  json j{{"id", c.id},
         {"reference", c.reference},
         {"received_at", c.details.received_at},
         {"status", c.sign_off ? "completed" : "with_the_mash"},
         {"children", children},
         {"partner_reference", c.details.partner_reference}};
  if (c.sign_off && c.decision) {
    j["outcome"] = domain::to_string(c.decision->outcome);
    j["outcome_message"] = domain::outcome_message_for_referrer(c);
  }
  return j;
}

json person_summary_json(const domain::PersonSummary& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"kind", p.kind},
          {"date_of_birth", p.date_of_birth},
          {"postcode", p.postcode},
          {"score", p.score},
          {"reasons", p.reasons},
          {"match_probability", p.match_probability},
          {"match_band", p.match_band},
          {"explanation", p.explanation}};
}

json queue_json(const std::vector<domain::QueueItem>& items) {
  json out = json::array();
  for (const auto& q : items) {
    out.push_back({{"id", q.id},
                   {"reference", q.reference},
                   {"status", domain::to_string(q.status)},
                   {"rag", q.rag ? json(domain::to_string(*q.rag)) : json(nullptr)},
                   {"received_at", q.received_at},
                   {"decision_due_at", q.decision_due_at},
                   {"children", q.children},
                   {"referrer_agency", q.referrer_agency},
                   {"outcome", q.outcome ? json(domain::to_string(*q.outcome)) : json(nullptr)}});
  }
  return out;
}

class ApiRoutes {
 public:
  ApiRoutes(Application& app, Gate& gate) : app_(app), gate_(gate) {}

  void install() {
    gate_.add_public("GET", "/healthz", [this](Request&) { return health(); });
    gate_.add_public("GET", "/api/v1/openapi.json", [](Request&) -> Result<Response> {
      Response r = Response::json(openapi_document());
      return r;
    });
    gate_.add("POST", "/api/v1/contacts", RouteRule::signed_in(),
              [this](Request& r, const Principal& p) { return create_contact(r, p); });
    gate_.add("GET", "/api/v1/contacts/{id}", RouteRule::needs(Permission::kViewContact),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto view, app_.contacts().view(p, id));
                if (!domain::is_mash_role(p.user.role))
                  return Response::json(referrer_view(view.contact));
                return Response::json(domain::to_json(view.contact));
              });
    gate_.add("GET", "/api/v1/queue", RouteRule::needs(Permission::kViewQueue),
              [this](Request&, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto items, app_.contacts().queue(p));
                return Response::json(json{{"items", queue_json(items)}});
              });
    gate_.add("GET", "/api/v1/referrals", RouteRule::needs(Permission::kViewOwnReferrals),
              [this](Request&, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto items, app_.contacts().submitted_by(p));
                return Response::json(json{{"items", queue_json(items)}});
              });
    contact_action(
        "links", Permission::kScreenContact,
        [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
          // Absent: the first child. Anything but a whole number is
          // refused (j.value() threw for a string: a 500).
          std::size_t index = 0;
          if (const auto it = j.find("child_index"); it != j.end()) {
            if (!it->is_number_unsigned()) {
              return Result<domain::ContactState>{
                  Error::field("child_index", "child_index must be a whole number, from 0")};
            }
            index = it->get<std::size_t>();
          }
          if (j.contains("person_id") && j["person_id"].is_number_integer()) {
            return app_.contacts().link_child(p, id, v, index, j["person_id"].get<std::int64_t>());
          }
          return app_.contacts().link_new_person(p, id, v, index);
        });
    contact_action("screening", Permission::kScreenContact,
                   [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
                     auto rag = domain::parse_rag_rating(string_field(j, "rag"));
                     if (!rag)
                       return Result<domain::ContactState>{
                           Error::field("rag", "rag must be red, amber or green")};
                     return app_.contacts().screen(p, id, v, *rag, string_field(j, "rationale"));
                   });
    contact_action("decision", Permission::kProposeDecision,
                   [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
                     domain::DecisionCommand cmd;
                     cmd.outcome = domain::parse_outcome(string_field(j, "outcome"));
                     if (j.contains("level") && j["level"].is_number_integer())
                       cmd.level = j["level"].get<int>();
                     if (j.contains("indicators") && j["indicators"].is_array()) {
                       for (const auto& i : j["indicators"]) {
                         if (i.is_string()) cmd.indicators.push_back(i.get<std::string>());
                       }
                     }
                     cmd.rationale = string_field(j, "rationale");
                     cmd.next_steps = string_field(j, "next_steps");
                     return app_.contacts().record_decision(p, id, v, cmd);
                   });
    contact_action("send-back", Permission::kSignOffDecision,
                   [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
                     return app_.contacts().send_back(p, id, v, string_field(j, "reason"));
                   });
    contact_action("sign-off", Permission::kSignOffDecision,
                   [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
                     auto result =
                         app_.contacts().sign_off(p, id, v, string_field(j, "case_direction"));
                     app_.notifier().wake();
                     return result;
                   });
    gate_.add("GET", "/api/v1/people", RouteRule::needs(Permission::kSearchPeople),
              [this](Request& r, const Principal& p) -> Result<Response> {
                domain::PersonQuery q = People::query_from_text(r.query("q").value_or(""));
                if (auto dob = r.query("date_of_birth")) {
                  q.date_of_birth = parse_date(*dob);
                  if (!q.date_of_birth)
                    return Error::field("date_of_birth", "date_of_birth must be YYYY-MM-DD");
                }
                FD_ASSIGN_OR_RETURN(auto hits, app_.people().search(p, q));
                json items = json::array();
                for (const auto& h : hits) items.push_back(person_summary_json(h));
                return Response::json(json{{"items", items}});
              });
    gate_.add("POST", "/api/v1/people", RouteRule::needs(Permission::kEditPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto details, domain::person_details_from_json(body));
                FD_ASSIGN_OR_RETURN(auto person, app_.people().create(p, std::move(details)));
                Response res = Response::json(domain::to_json(person), 201);
                res.set_header("Location", "/api/v1/people/" + std::to_string(person.id));
                return res;
              });
    gate_.add("GET", "/api/v1/people/{id}", RouteRule::needs(Permission::kViewPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto view, app_.people().view(p, id));
                json j = domain::to_json(view.person);
                json household = json::array();
                for (const auto& h : view.household) {
                  json member = person_summary_json(h.person);
                  member["relationship"] = h.relationship;
                  household.push_back(member);
                }
                j["household"] = household;
                return Response::json(j);
              });
    gate_.add(
        "POST", "/api/v1/people/{id}/corrections", RouteRule::needs(Permission::kEditPerson),
        [this](Request& r, const Principal& p) -> Result<Response> {
          FD_ASSIGN_OR_RETURN(auto id, id_param(r));
          FD_ASSIGN_OR_RETURN(auto body, body_json(r));
          FD_ASSIGN_OR_RETURN(auto version, version_of(body));
          if (!body.contains("details") || !body["details"].is_object())
            return Error::field("details", "Send the corrected details as an object");
          FD_ASSIGN_OR_RETURN(auto details, domain::person_details_from_json(body["details"]));
          FD_ASSIGN_OR_RETURN(auto person, app_.people().correct(p, id, version, std::move(details),
                                                                 string_field(body, "reason")));
          return Response::json(domain::to_json(person));
        });
    gate_.add("POST", "/api/v1/people/{id}/moves", RouteRule::needs(Permission::kEditPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto version, version_of(body));
                domain::PersonAddress address;
                address.line = string_field(body, "line");
                address.postcode = string_field(body, "postcode");
                if (const std::string from = string_field(body, "from"); !from.empty()) {
                  address.from = parse_date(from);
                  if (!address.from) return Error::field("from", "from must be YYYY-MM-DD");
                }
                FD_ASSIGN_OR_RETURN(auto person,
                                    app_.people().move(p, id, version, std::move(address)));
                return Response::json(domain::to_json(person));
              });
    gate_.add("POST", "/api/v1/people/{id}/relationships",
              RouteRule::needs(Permission::kEditPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                const auto kind = domain::parse_relationship_kind(string_field(body, "kind"));
                if (!kind) {
                  return Error::field("kind",
                                      "kind must be parent, carer, sibling, household_member, "
                                      "partner or child");
                }
                if (!body.contains("person_id") || !body["person_id"].is_number_integer())
                  return Error::field("person_id", "Send the related person's id");
                FD_ASSIGN_OR_RETURN(auto person,
                                    app_.people().record_relationship(
                                        p, id, body["person_id"].get<std::int64_t>(), *kind));
                return Response::json(domain::to_json(person));
              });
    gate_.add("POST", "/api/v1/people/{id}/restriction", RouteRule::needs(Permission::kEditPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto person,
                                    app_.people().restrict(p, id, string_field(body, "reason")));
                return Response::json(domain::to_json(person));
              });
    gate_.add("GET", "/api/v1/people/{id}/chronology", RouteRule::needs(Permission::kViewPerson),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto entries, app_.people().chronology(p, id));
                json items = json::array();
                for (const auto& e : entries) {
                  items.push_back({{"occurred_at", e.occurred_at},
                                   {"recorded_at", e.recorded_at},
                                   {"record", e.stream},
                                   {"type", e.type},
                                   {"summary", e.summary},
                                   {"by", e.actor},
                                   {"role", e.actor_role},
                                   {"reason", e.reason}});
                }
                return Response::json(json{{"items", items}});
              });
    gate_.add("GET", "/api/v1/threshold-framework", RouteRule::signed_in(),
              [this](Request&, const Principal&) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto f, app_.thresholds().active());
                return Response::json(f.to_json());
              });
  }

 private:
  using Action = std::function<Result<domain::ContactState>(const Principal&, std::int64_t,
                                                            std::int64_t, const json&)>;
  void contact_action(const std::string& name, Permission permission, Action action) {
    gate_.add("POST", "/api/v1/contacts/{id}/" + name, RouteRule::needs(permission),
              [action = std::move(action)](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto version, version_of(body));
                FD_ASSIGN_OR_RETURN(auto state, action(p, id, version, body));
                return Response::json(domain::to_json(state));
              });
  }

  Result<Response> health() {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(health_mutex_);
      if (now - checked_at_ < std::chrono::seconds{1}) {
        return healthy_ ? Response::json(json{{"status", "ok"}})
                        : Response::json(json{{"status", "unavailable"}}, 503);
      }
    }
    // Readiness: the store answers a read.
    const bool ok =
        app_.db()
            .read([](storage::Transaction& tx) {
              return tx.query("SELECT 1").ok() ? ok_status() : Status{Error::unavailable("store")};
            })
            .ok();
    std::lock_guard lock(health_mutex_);
    checked_at_ = now;
    healthy_ = ok;
    return ok ? Response::json(json{{"status", "ok"}})
              : Response::json(json{{"status", "unavailable"}}, 503);
  }

  Result<Response> create_contact(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto body, body_json(r));
    const Instant now = app_.clock().now();
    if (!body.contains("received_at")) body["received_at"] = format_utc(now);
    if (!body.contains("referrer") || !body["referrer"].is_object())
      body["referrer"] = json::object();
    if (!body.contains("children") || !body["children"].is_array())
      body["children"] = json::array();
    if (!domain::is_mash_role(p.user.role)) body["channel"] = "api";
    FD_ASSIGN_OR_RETURN(auto details, domain::contact_details_from_json(body));
    std::optional<std::string> key;
    if (auto h = r.header("Idempotency-Key"))
      key = "api/" + std::to_string(p.user.agency.id) + "/" + std::string(*h);
    if (!details.partner_reference.empty() && !key) {
      key = "api/" + std::to_string(p.user.agency.id) + "/" + details.partner_reference;
    }
    FD_ASSIGN_OR_RETURN(auto contact, app_.contacts().record(p, std::move(details), key));
    Response res = Response::json(
        domain::is_mash_role(p.user.role) ? domain::to_json(contact) : referrer_view(contact), 201);
    res.set_header("Location", "/api/v1/contacts/" + std::to_string(contact.id));
    return res;
  }

  Application& app_;
  Gate& gate_;
  std::mutex health_mutex_;
  std::chrono::steady_clock::time_point checked_at_{};
  bool healthy_ = false;
};

}  // namespace

std::shared_ptr<void> install_api_routes(Application& app, Gate& gate) {
  auto routes = std::make_shared<ApiRoutes>(app, gate);
  routes->install();
  return routes;
}

}  // namespace frontdoor::app
