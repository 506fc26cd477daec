// The JSON API under /api/v1/: the same actions as the web interface, for
// partner systems (API token) and scripts (session + X-CSRF-Token). Bad input
// gets a 4xx with field-level messages and changes nothing.
#include <algorithm>
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

Result<std::int64_t> version_of(const json& j, const std::string& record = "contact") {
  auto it = j.find("version");
  if (it == j.end() || !it->is_number_integer()) {
    return Error::field("version",
                        "Send the version of the " + record + " you read, as an integer");
  }
  return it->get<std::int64_t>();
}

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A check's id from the path. Anything but a positive whole number names no
// check: it goes to the service as 0, which answers (and logs) it exactly as
// a check that does not exist, so a guess of any shape learns the same.
std::int64_t check_id_param(const Request& r) {
  auto id = id_param(r);
  return id.ok() ? *id : 0;
}

// An optional text member: absent or null is empty; anything but a string
// is refused rather than silently dropped.
Result<std::string> text_field(const json& j, const char* key, const std::string& field) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Error::field(field, field + " must be text");
  return it->get<std::string>();
}

Result<std::size_t> child_index_of(const json& j) {
  const auto it = j.find("child_index");
  if (it == j.end() || !it->is_number_unsigned()) {
    return Error::field("child_index", "child_index must be a whole number, from 0");
  }
  return it->get<std::size_t>();
}

// An optional list of ids: absent or null is empty.
Result<std::vector<std::int64_t>> id_list(const json& j, const char* key) {
  std::vector<std::int64_t> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return Error::field(key, std::string(key) + " must be a list of ids");
  for (const auto& v : *it) {
    if (!v.is_number_integer())
      return Error::field(key, std::string(key) + " must be a list of ids");
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

Result<std::vector<domain::PersonAnswer>> answers_from(const json& j) {
  const auto list = j.find("answers");
  if (list == j.end() || !list->is_array() || list->empty()) {
    return Error::field("answers", "Send an answer for each person asked about");
  }
  std::vector<domain::PersonAnswer> out;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& a = (*list)[i];
    const std::string at = "answers[" + std::to_string(i) + "]";
    if (!a.is_object()) {
      errors.push_back({at, "Each answer must be an object"});
      continue;
    }
    domain::PersonAnswer answer;
    if (const auto id = a.find("person_id"); id != a.end() && id->is_number_integer()) {
      answer.person_id = id->get<std::int64_t>();
    } else {
      errors.push_back({at + ".person_id", "Send the id of the person this answer is about"});
    }
    if (const auto known = a.find("known"); known != a.end() && known->is_boolean()) {
      answer.known = known->get<bool>();
    } else {
      errors.push_back({at + ".known", "Say whether the person is known: true or false"});
    }
    const std::pair<const char*, std::string*> texts[] = {
        {"summary", &answer.summary},
        {"relevance", &answer.relevance},
        {"risk", &answer.risk},
        {"source_system", &answer.source_system},
        {"source_reference", &answer.source_reference}};
    for (const auto& [key, into] : texts) {
      auto text = text_field(a, key, at + "." + key);
      if (text.ok()) {
        *into = std::move(*text);
      } else {
        for (const auto& f : text.error().fields) errors.push_back(f);
      }
    }
    out.push_back(std::move(answer));
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return out;
}

Result<std::vector<domain::SharedPart>> shared_parts_from(const json& j) {
  std::vector<domain::SharedPart> out;
  const auto it = j.find("shared");
  if (it == j.end() || it->is_null()) return out;
  const auto refused = Error::field("shared",
                                    "shared must be a list of concerns, address, household or "
                                    "referrer");
  if (!it->is_array()) return refused;
  for (const auto& v : *it) {
    const auto part =
        v.is_string() ? domain::parse_shared_part(v.get<std::string>()) : std::nullopt;
    if (!part) return refused;
    if (std::find(out.begin(), out.end(), *part) == out.end()) out.push_back(*part);
  }
  return out;
}

Result<CheckInput> check_input_from(const json& j) {
  CheckInput input;
  const auto agency = j.find("agency_id");
  if (agency == j.end() || !agency->is_number_integer()) {
    return Error::field("agency_id", "Send the id of the agency to ask");
  }
  input.agency_id = agency->get<std::int64_t>();
  const auto people = j.find("people");
  const auto refused = Error::field(
      "people", "people must be a list of {\"kind\": \"child\" or \"adult\", \"index\": n}");
  if (people == j.end() || !people->is_array()) return refused;
  for (const auto& p : *people) {
    if (!p.is_object()) return refused;
    const auto kind = p.find("kind");
    const auto index = p.find("index");
    if (kind == p.end() || !kind->is_string() || index == p.end() || !index->is_number_unsigned()) {
      return refused;
    }
    EnquirySubject subject;
    if (*kind == "child") {
      subject.kind = EnquirySubject::Kind::kChild;
    } else if (*kind == "adult") {
      subject.kind = EnquirySubject::Kind::kAdult;
    } else {
      return refused;
    }
    subject.index = index->get<std::size_t>();
    input.people.push_back(std::move(subject));
  }
  FD_ASSIGN_OR_RETURN(input.question, text_field(j, "question", "question"));
  FD_ASSIGN_OR_RETURN(input.shared, shared_parts_from(j));
  return input;
}

json answer_json(const domain::PersonAnswer& a) {
  return {{"person_id", a.person_id},
          {"known", a.known},
          {"summary", a.summary},
          {"relevance", a.relevance},
          {"risk", a.risk},
          {"source_system", a.source_system},
          {"source_reference", a.source_reference}};
}

json check_json(const domain::CheckState& c, Instant now) {
  json people = json::array();
  for (const auto id : c.people) people.push_back({{"person_id", id}});
  json shared = json::array();
  for (const auto part : c.shared) shared.push_back(domain::to_string(part));
  json answers = json::array();
  for (const auto& a : c.answers) answers.push_back(answer_json(a));
  return {{"id", c.id},
          {"reference", check_reference(c.id)},
          {"version", c.version},
          {"contact_id", c.contact_id},
          {"agency_id", c.agency_id},
          {"agency_name", c.agency_name},
          {"status", domain::to_string(c.status)},
          {"people", people},
          {"question", c.question},
          {"requested_at", c.requested_at},
          {"due_at", c.due_at},
          {"clock", domain::to_string(c.clock)},
          {"overdue", c.overdue(now)},
          {"parent_check", c.parent_check},
          {"service", c.service},
          {"shared", shared},
          {"answers", answers},
          {"answered_at", c.answered_at},
          {"withdrawn_at", c.withdrawn_at},
          {"withdrawn_reason", c.withdrawn_reason}};
}

json check_line_json(const CheckLine& l) {
  return {{"id", l.id},
          {"reference", check_reference(l.id)},
          {"contact_id", l.contact_id},
          {"contact_reference", l.contact_reference},
          {"agency_id", l.agency_id},
          {"agency_name", l.agency_name},
          {"parent_check", l.parent_check},
          {"service", l.service},
          {"status", domain::to_string(l.status)},
          {"requested_at", l.requested_at},
          {"due_at", l.due_at},
          {"answered_at", l.answered_at},
          {"people", l.people},
          {"overdue", l.overdue}};
}

// A check as the reader may see it: the people asked about, and of the
// contact only the parts the MASH shared (for a partner; MASH roles see all).
json check_view_json(const CheckView& v, bool partner, Instant now) {
  json j = check_json(v.check, now);
  j["contact_reference"] = v.contact_reference;
  j["requested_by"] = v.requested_by;
  json people = json::array();
  for (const auto& p : v.people) {
    people.push_back({{"person_id", p.person_id},
                      {"name", p.name},
                      {"date_of_birth", p.date_of_birth},
                      {"address", p.address},
                      {"nhs_number", p.nhs_number},
                      {"role", p.role}});
  }
  j["people"] = people;
  json contact = json::object();
  const auto shared = [&](domain::SharedPart part) { return !partner || v.check.shares(part); };
  if (shared(domain::SharedPart::kConcerns)) contact["concerns"] = v.concerns;
  if (shared(domain::SharedPart::kAddress)) contact["address"] = v.address;
  if (shared(domain::SharedPart::kHousehold)) contact["household"] = v.household;
  if (shared(domain::SharedPart::kReferrer)) contact["referrer"] = v.referrer;
  j["contact"] = contact;
  json subs = json::array();
  for (const auto& l : v.sub_requests) subs.push_back(check_line_json(l));
  j["sub_requests"] = subs;
  return j;
}

json lines_json(const std::vector<CheckLine>& lines) {
  json items = json::array();
  for (const auto& l : lines) items.push_back(check_line_json(l));
  return items;
}

json consent_json(const domain::ChildConsent& c) {
  json j{{"child_index", c.child_index}, {"decision", domain::to_string(c.decision)},
         {"given_by", c.given_by},       {"notes", c.notes},
         {"recorded_at", c.recorded_at}, {"override", nullptr}};
  if (c.override) {
    j["override"] = {{"basis", domain::to_string(c.override->basis)},
                     {"basis_label", domain::label(c.override->basis)},
                     {"reason", c.override->reason},
                     {"manager", c.override->manager_name}};
  }
  return j;
}

// The enquiry's consent; `version` is the one to send with the next consent
// action (it is the enquiry's, not the contact's).
json enquiry_state_json(const domain::EnquiryState& s) {
  json consent = json::array();
  for (const auto& c : s.consent) consent.push_back(consent_json(c));
  return {{"contact_id", s.contact_id}, {"version", s.version}, {"consent", consent}};
}

json enquiry_json(const EnquiryView& v, Instant now) {
  json j = enquiry_state_json(v.consent);
  j["contact_id"] = v.contact_id;
  json children = json::array();
  for (std::size_t i = 0; i < v.child_names.size(); ++i) {
    const auto* c = v.consent.consent_for(i);
    children.push_back({{"child_index", i},
                        {"name", v.child_names[i]},
                        {"consent", c != nullptr ? consent_json(*c) : json(nullptr)},
                        {"checks_may_proceed", domain::checks_may_proceed(v.consent, i).ok()}});
  }
  j["children"] = children;
  json subjects = json::array();
  for (const auto& s : v.subjects) {
    subjects.push_back({{"kind", s.kind == EnquirySubject::Kind::kChild ? "child" : "adult"},
                        {"index", s.index},
                        {"person_id", s.person_id},
                        {"name", s.name},
                        {"description", s.description}});
  }
  j["subjects"] = subjects;
  json checks = json::array();
  for (const auto& c : v.checks) checks.push_back(check_view_json(c, false, now));
  j["checks"] = checks;
  j["progress"] = {{"open", v.progress.open}, {"answered", v.progress.answered}};
  return j;
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
                     auto relied_on = id_list(j, "relied_on_checks");
                     if (!relied_on.ok()) {
                       return Result<domain::ContactState>{std::move(relied_on).error()};
                     }
                     cmd.relied_on_checks = std::move(*relied_on);
                     return app_.contacts().record_decision(p, id, v, cmd);
                   });
    contact_action("early-decision", Permission::kDecideBeforeChecksIn,
                   [this](const Principal& p, std::int64_t id, std::int64_t v, const json& j) {
                     auto state =
                         app_.contacts().allow_early_decision(p, id, v, string_field(j, "reason"));
                     if (state.ok()) return state;
                     // The service names the web form's field; the API's is "reason".
                     Error e = std::move(state).error();
                     for (auto& f : e.fields) {
                       if (f.field == "early_reason") f.field = "reason";
                     }
                     return Result<domain::ContactState>{std::move(e)};
                   });
    install_enquiry();
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
  // The MASH enquiry (issue #3): consent, checks, and partner systems' answers.
  void install_enquiry() {
    gate_.add("GET", "/api/v1/checks", RouteRule::needs(Permission::kViewAgencyQueue),
              [this](Request&, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto lines, app_.enquiries().agency_queue(p));
                return Response::json(json{{"items", lines_json(lines)}});
              });
    gate_.add("GET", "/api/v1/checks/{id}", RouteRule::needs(Permission::kViewCheck),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto view, app_.enquiries().view(p, check_id_param(r)));
                return Response::json(
                    check_view_json(view, !domain::is_mash_role(p.user.role), app_.clock().now()));
              });
    gate_.add("POST", "/api/v1/checks/{id}/answer", RouteRule::needs(Permission::kAnswerCheck),
              [this](Request& r, const Principal& p) { return answer_check(r, p); });
    gate_.add("POST", "/api/v1/checks/{id}/sub-requests",
              RouteRule::needs(Permission::kAnswerCheck),
              [this](Request& r, const Principal& p) -> Result<Response> {
                const auto id = check_id_param(r);
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                SubRequestInput input;
                FD_ASSIGN_OR_RETURN(input.service, text_field(body, "service", "service"));
                FD_ASSIGN_OR_RETURN(input.people, id_list(body, "people"));
                FD_ASSIGN_OR_RETURN(input.question, text_field(body, "question", "question"));
                FD_ASSIGN_OR_RETURN(auto check, app_.enquiries().sub_request(p, id, input));
                return created_check(check);
              });
    gate_.add("GET", "/api/v1/contacts/{id}/enquiry", RouteRule::needs(Permission::kViewCheck),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto view, app_.enquiries().enquiry(p, id, true));
                return Response::json(enquiry_json(view, app_.clock().now()));
              });
    enquiry_action("consent", Permission::kRecordConsent,
                   [this](const Principal& p, std::int64_t id, std::int64_t v,
                          const json& j) -> Result<domain::EnquiryState> {
                     domain::ConsentCommand cmd;
                     FD_ASSIGN_OR_RETURN(cmd.child_index, child_index_of(j));
                     const auto decision =
                         domain::parse_consent_decision(string_field(j, "decision"));
                     if (!decision) {
                       return Error::field("decision",
                                           "decision must be sought, given, refused, not_sought or "
                                           "withdrawn");
                     }
                     cmd.decision = *decision;
                     FD_ASSIGN_OR_RETURN(cmd.given_by, text_field(j, "given_by", "given_by"));
                     FD_ASSIGN_OR_RETURN(cmd.notes, text_field(j, "notes", "notes"));
                     return app_.enquiries().record_consent(p, id, v, cmd);
                   });
    enquiry_action("consent-override", Permission::kOverrideConsent,
                   [this](const Principal& p, std::int64_t id, std::int64_t v,
                          const json& j) -> Result<domain::EnquiryState> {
                     FD_ASSIGN_OR_RETURN(auto child, child_index_of(j));
                     const auto basis = domain::parse_lawful_basis(string_field(j, "basis"));
                     if (!basis) {
                       return Error::field("basis",
                                           "basis must be risk_of_harm, crime_prevention, "
                                           "unreasonable_delay or safeguarding_duty");
                     }
                     FD_ASSIGN_OR_RETURN(auto reason, text_field(j, "reason", "reason"));
                     return app_.enquiries().override_consent(p, id, v, child, *basis, reason);
                   });
    gate_.add("POST", "/api/v1/contacts/{id}/checks", RouteRule::needs(Permission::kRequestCheck),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto input, check_input_from(body));
                FD_ASSIGN_OR_RETURN(auto check, app_.enquiries().request(p, id, input));
                return created_check(check);
              });
  }

  Response created_check(const domain::CheckState& check) {
    Response res = Response::json(check_json(check, app_.clock().now()), 201);
    res.set_header("Location", "/api/v1/checks/" + std::to_string(check.id));
    return res;
  }

  // A partner system's answer. Idempotent on its own reference: the
  // Idempotency-Key header, else partner_reference; a repeat for the same
  // check answers 200 with the check as it is and writes nothing.
  Result<Response> answer_check(Request& r, const Principal& p) {
    const auto id = check_id_param(r);
    FD_TRY(app_.enquiries().may_answer(p, id));
    FD_ASSIGN_OR_RETURN(auto body, body_json(r));
    FD_ASSIGN_OR_RETURN(auto version, version_of(body, "check"));
    FD_ASSIGN_OR_RETURN(auto answers, answers_from(body));
    FD_ASSIGN_OR_RETURN(auto reference, text_field(body, "partner_reference", "partner_reference"));
    // Not "api/...": a contact's key is "api/<agency>/<anything>", so the
    // two could never name each other's records.
    std::optional<std::string> key;
    const std::string prefix = "check-answer/" + std::to_string(p.user.agency.id) + "/";
    if (auto h = r.header("Idempotency-Key"); h && !h->empty()) {
      key = prefix + std::string(*h);
    } else if (!reference.empty()) {
      key = prefix + reference;
    }
    FD_ASSIGN_OR_RETURN(auto check,
                        app_.enquiries().answer(p, id, version, std::move(answers), key));
    return Response::json(check_json(check, app_.clock().now()));
  }

  using EnquiryAction = std::function<Result<domain::EnquiryState>(const Principal&, std::int64_t,
                                                                   std::int64_t, const json&)>;
  void enquiry_action(const std::string& name, Permission permission, EnquiryAction action) {
    gate_.add("POST", "/api/v1/contacts/{id}/" + name, RouteRule::needs(permission),
              [action = std::move(action)](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_ASSIGN_OR_RETURN(auto body, body_json(r));
                FD_ASSIGN_OR_RETURN(auto version, version_of(body, "enquiry"));
                FD_ASSIGN_OR_RETURN(auto state, action(p, id, version, body));
                return Response::json(enquiry_state_json(state));
              });
  }

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
