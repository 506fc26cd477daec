// The MASH enquiry's web routes (issue #3): consent to checks and its
// override, checks asked of partner agencies, their answers and health
// sub-requests, an agency's own queue, one check, and the partnership's
// figures. As in web_routes.cpp, each handler reads the form, calls one
// service (app::Enquiries, or Contacts::allow_early_decision) and redirects
// (post/redirect/get); a validation error, a stale version or a command the
// record's state does not allow re-renders the page the form is on, with the
// GOV.UK error summary and what the user typed.
#include <charconv>
#include <chrono>
#include <limits>
#include <optional>

#include "app/application.hpp"
#include "app/gate.hpp"
#include "app/web_routes.hpp"
#include "domain/access.hpp"
#include "http/errors.hpp"

namespace frontdoor::app {
namespace {

using domain::Permission;
using http::Request;
using http::Response;
using web_routes::chrome_for;
using web_routes::id_param;
using web_routes::page;
using web_routes::version_field;

// The most people one answer form carries (a check asks about a few).
constexpr int kMaxPeopleOnAnswer = 100;

template <typename T>
bool parse_number(const std::string& text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc{} && ptr == text.data() + text.size();
}

web::CheckLineModel line_model(const CheckLine& l) {
  web::CheckLineModel m;
  m.id = l.id;
  m.reference = check_reference(l.id);
  m.contact_id = l.contact_id;
  m.contact_reference = l.contact_reference;
  m.agency_name = l.agency_name;
  m.sub_request = l.parent_check.has_value();
  m.service = l.service;
  m.status = l.status;
  m.requested_at = l.requested_at;
  m.due_at = l.due_at;
  m.answered_at = l.answered_at;
  m.people = l.people;
  m.overdue = l.overdue;
  return m;
}

web::CheckModel check_model(const CheckView& v) {
  web::CheckModel m;
  m.check = v.check;
  m.reference = v.reference;
  m.agency_name = v.agency_name;
  m.contact_reference = v.contact_reference;
  if (v.check.parent_check) m.parent_reference = check_reference(*v.check.parent_check);
  m.requested_by = v.requested_by;
  for (const auto& p : v.people) {
    m.people.push_back(web::CheckPersonModel{p.person_id, p.name, p.date_of_birth, p.address,
                                             p.nhs_number, p.role});
  }
  m.concerns = v.concerns;
  m.address = v.address;
  m.household = v.household;
  m.referrer = v.referrer;
  for (const auto& l : v.sub_requests) m.sub_requests.push_back(line_model(l));
  return m;
}

// The value a subject has in the check request form's "people" checkboxes.
std::string subject_value(const EnquirySubject& s) {
  return std::string(s.kind == EnquirySubject::Kind::kChild ? "child:" : "adult:") +
         std::to_string(s.index);
}

// An error from one of several forms of the same kind on the contact page
// (one per child, one per check) names its fields with the form's prefix,
// which is also the start of those fields' ids.
Error prefixed(Error e, const std::string& prefix, const std::string& fallback_field) {
  for (auto& f : e.fields) {
    f.field = prefix + (f.field == "child_index" || f.field.empty() ? fallback_field : f.field);
  }
  return e;
}

// Which person of an answer form an error is about, from 0: the form's
// "person2_known" or the domain's "answers[1].summary" (the answers in the
// order of the check's people, which is the form's).
std::optional<std::size_t> person_of(const std::string& field) {
  std::size_t n = 0;
  if (field.rfind("answers[", 0) == 0) {
    const auto close = field.find(']');
    if (close == std::string::npos || !parse_number(field.substr(8, close - 8), n)) return {};
    return n;
  }
  const auto underscore = field.find('_');
  if (field.rfind("person", 0) != 0 || underscore == std::string::npos ||
      !parse_number(field.substr(6, underscore - 6), n) || n == 0) {
    return {};
  }
  return n - 1;
}

// "this person" in an answer form's errors becomes the person's name.
void name_people(std::vector<FieldError>& errors,
                 const std::vector<web::CheckPersonModel>& people) {
  for (auto& e : errors) {
    const auto index = person_of(e.field);
    if (!index || *index >= people.size()) continue;
    const auto at = e.message.find("this person");
    if (at != std::string::npos) {
      e.message.replace(at, std::string("this person").size(), people[*index].name);
    }
  }
}

class EnquiryRoutes {
 public:
  EnquiryRoutes(Application& app, Gate& gate, web_routes::ContactPageRenderer contact_page)
      : app_(app), gate_(gate), contact_page_(std::move(contact_page)) {}

  void install() {
    gate_.add("POST", "/contacts/{id}/consent", RouteRule::needs(Permission::kRecordConsent),
              [this](Request& r, const Principal& p) { return record_consent(r, p); });
    gate_.add("POST", "/contacts/{id}/consent-override",
              RouteRule::needs(Permission::kOverrideConsent),
              [this](Request& r, const Principal& p) { return override_consent(r, p); });
    gate_.add("POST", "/contacts/{id}/checks", RouteRule::needs(Permission::kRequestCheck),
              [this](Request& r, const Principal& p) { return request_check(r, p); });
    gate_.add("POST", "/contacts/{id}/early-decision",
              RouteRule::needs(Permission::kDecideBeforeChecksIn),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                auto result = app_.contacts().allow_early_decision(p, id, version_field(r),
                                                                   r.form().get("early_reason"));
                return on_contact(r, p, id, "early_decision", "", "early-decision",
                                  result.ok() ? ok_status() : Status{result.error()});
              });
    gate_.add(
        "GET", "/checks", RouteRule::needs(Permission::kViewAgencyQueue),
        [this](Request& r, const Principal& p) -> Result<Response> {
          FD_ASSIGN_OR_RETURN(auto lines, app_.enquiries().agency_queue(p));
          std::vector<web::CheckLineModel> models;
          models.reserve(lines.size());
          for (const auto& l : lines) models.push_back(line_model(l));
          return page(web::agency_checks_page(chrome_for(gate_, p, r, "/checks"),
                                              p.user.agency.name, models, app_.clock().now()));
        });
    gate_.add("GET", "/checks/{id}", RouteRule::needs(Permission::kViewCheck),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                return check_page(r, p, id, {}, "", 200);
              });
    gate_.add("POST", "/checks/{id}/answer", RouteRule::needs(Permission::kAnswerCheck),
              [this](Request& r, const Principal& p) { return answer(r, p); });
    gate_.add("POST", "/checks/{id}/sub-requests", RouteRule::needs(Permission::kAnswerCheck),
              [this](Request& r, const Principal& p) { return sub_request(r, p); });
    gate_.add("POST", "/checks/{id}/withdraw", RouteRule::needs(Permission::kRequestCheck),
              [this](Request& r, const Principal& p) { return withdraw(r, p); });
    gate_.add("GET", "/partnership", RouteRule::needs(Permission::kViewPerformance),
              [this](Request& r, const Principal& p) { return partnership(r, p); });
  }

 private:
  // After a command from a form on the contact page: on to the contact, or
  // the page again with what needs correcting.
  Result<Response> on_contact(Request& r, const Principal& p, std::int64_t contact_id,
                              const std::string& form_name, const std::string& prefix,
                              const std::string& done, const Status& result,
                              const std::string& fallback_field = "") {
    if (result.ok()) {
      return Response::redirect("/contacts/" + std::to_string(contact_id) + "?done=" + done);
    }
    const auto code = result.error().code;
    if (!web_routes::corrected_on_page(code)) return result.error();
    const Error e =
        prefix.empty() ? result.error() : prefixed(result.error(), prefix, fallback_field);
    return contact_page_(r, p, contact_id, form_state(r, e), form_name, http::status_for(code));
  }

  // "consent-N" for child index N-1, as the page names the form.
  static std::string child_form(const std::string& kind, const std::string& index_text,
                                std::size_t& index) {
    index = std::numeric_limits<std::size_t>::max();
    if (!parse_number(index_text, index) || index > 1000) {
      index = std::numeric_limits<std::size_t>::max();
      return kind + "-0";
    }
    return kind + "-" + std::to_string(index + 1);
  }

  Result<Response> record_consent(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    std::size_t index = 0;
    const std::string form = child_form("consent", f.get("child_index"), index);
    Status result = Error::field("decision", "Select what happened about consent");
    if (auto decision = domain::parse_consent_decision(f.get("decision"))) {
      domain::ConsentCommand cmd;
      cmd.child_index = index;
      cmd.decision = *decision;
      cmd.given_by = f.get("given_by");
      cmd.notes = f.get("notes");
      auto recorded = app_.enquiries().record_consent(p, id, version_field(r), cmd);
      result = recorded.ok() ? ok_status() : Status{recorded.error()};
    }
    return on_contact(r, p, id, form, form + "-", "consent", result, "decision");
  }

  Result<Response> override_consent(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    std::size_t index = 0;
    const std::string form = child_form("override", f.get("child_index"), index);
    const std::string reason = f.get("reason");
    Status result = ok_status();
    if (auto basis = domain::parse_lawful_basis(f.get("basis"))) {
      auto overridden =
          app_.enquiries().override_consent(p, id, version_field(r), index, *basis, reason);
      if (!overridden.ok()) result = overridden.error();
    } else {
      std::vector<FieldError> errors{
          {"basis", "Select the lawful basis for checks without consent"}};
      if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        errors.push_back({"reason", "Enter why checks must go ahead without consent"});
      }
      result = Error::invalid_fields(std::move(errors));
    }
    return on_contact(r, p, id, form, form + "-", "consent-overridden", result, "basis");
  }

  Result<Response> request_check(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    CheckInput input;
    std::vector<FieldError> errors;
    if (!f.get("agency_id").empty() && !parse_number(f.get("agency_id"), input.agency_id)) {
      input.agency_id = 0;
    }
    for (const auto& value : f.all("people")) {
      EnquirySubject subject;
      const auto colon = value.find(':');
      const std::string kind = value.substr(0, colon);
      if (colon == std::string::npos || (kind != "child" && kind != "adult") ||
          !parse_number(value.substr(colon + 1), subject.index)) {
        errors.push_back({"people", "Choose people named on this contact"});
        break;
      }
      subject.kind = kind == "child" ? EnquirySubject::Kind::kChild : EnquirySubject::Kind::kAdult;
      input.people.push_back(subject);
    }
    input.question = f.get("question");
    for (const auto& value : f.all("shared")) {
      if (auto part = domain::parse_shared_part(value)) input.shared.push_back(*part);
    }
    Status result = ok_status();
    if (!errors.empty()) {
      result = Error::invalid_fields(std::move(errors));
    } else {
      auto requested = app_.enquiries().request(p, id, input);
      if (!requested.ok()) result = requested.error();
    }
    return on_contact(r, p, id, "check", "", "check-requested", result);
  }

  Result<Response> withdraw(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    auto withdrawn = app_.enquiries().withdraw(p, id, version_field(r), r.form().get("reason"));
    if (withdrawn.ok()) {
      return Response::redirect("/contacts/" + std::to_string(withdrawn->contact_id) +
                                "?done=check-withdrawn");
    }
    // The form is on the contact page, which says which contact it is.
    std::int64_t contact_id = 0;
    if (!web_routes::corrected_on_page(withdrawn.error().code) ||
        !parse_number(r.form().get("contact_id"), contact_id) || contact_id <= 0) {
      return std::move(withdrawn).error();
    }
    const std::string form = "withdraw-" + std::to_string(id);
    return on_contact(r, p, contact_id, form, form + "-", "", Status{withdrawn.error()}, "reason");
  }

  Result<Response> check_page(Request& r, const Principal& p, std::int64_t id, web::FormState form,
                              const std::string& active_form, int status) {
    // One audited read of the check (a partner: only their agency's).
    FD_ASSIGN_OR_RETURN(auto view, app_.enquiries().view(p, id));
    web::CheckPageModel m;
    m.view = check_model(view);
    m.now = app_.clock().now();
    const auto role = p.user.role;
    m.mash_reader = domain::is_mash_role(role);
    const bool answers = !m.mash_reader && domain::role_allows(role, Permission::kAnswerCheck);
    m.can_answer = answers && view.check.is_open();
    m.can_sub_request = answers && p.user.agency.kind == domain::AgencyKind::kHealth &&
                        !view.check.parent_check &&
                        view.check.status != domain::CheckStatus::kWithdrawn;
    m.services = health_sub_request_services();
    name_people(form.errors, m.view.people);
    m.form = std::move(form);
    m.active_form = active_form;
    return page(web::check_page(chrome_for(gate_, p, r, m.mash_reader ? "/queue" : "/checks"), m),
                status);
  }

  Result<Response> after_check_command(Request& r, const Principal& p, std::int64_t id,
                                       const std::string& form_name, const std::string& done,
                                       const Status& result) {
    if (result.ok()) return Response::redirect("/checks/" + std::to_string(id) + "?done=" + done);
    const auto code = result.error().code;
    if (!web_routes::corrected_on_page(code)) return result.error();
    return check_page(r, p, id, form_state(r, result.error()), form_name, http::status_for(code));
  }

  Result<Response> answer(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    std::vector<domain::PersonAnswer> answers;
    std::vector<FieldError> errors;
    for (int n = 1; n <= kMaxPeopleOnAnswer; ++n) {
      const std::string prefix = "person" + std::to_string(n) + "_";
      const std::string person = f.get(prefix + "id");
      if (person.empty()) break;
      domain::PersonAnswer a;
      if (!parse_number(person, a.person_id)) a.person_id = -1;  // refused by the domain
      const std::string known = f.get(prefix + "known");
      if (known != "yes" && known != "no") {
        errors.push_back(
            {prefix + "known", "Select yes if your agency holds information about this person"});
      }
      a.known = known == "yes";
      a.summary = f.get(prefix + "summary");
      a.relevance = f.get(prefix + "relevance");
      a.risk = f.get(prefix + "risk");
      a.source_system = f.get(prefix + "source_system");
      a.source_reference = f.get(prefix + "source_reference");
      answers.push_back(std::move(a));
    }
    Status result = ok_status();
    if (!errors.empty()) {
      result = Error::invalid_fields(std::move(errors));
    } else {
      auto answered = app_.enquiries().answer(p, id, version_field(r), std::move(answers));
      if (!answered.ok()) result = answered.error();
    }
    return after_check_command(r, p, id, "answer", "answered", result);
  }

  Result<Response> sub_request(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    SubRequestInput input;
    input.service = f.get("service");
    input.question = f.get("question");
    for (const auto& value : f.all("people")) {
      std::int64_t person = -1;
      if (!parse_number(value, person)) person = -1;  // not on the check: refused
      input.people.push_back(person);
    }
    auto requested = app_.enquiries().sub_request(p, id, input);
    return after_check_command(r, p, id, "sub_request", "sub-request",
                               requested.ok() ? ok_status() : Status{requested.error()});
  }

  Result<Response> partnership(Request& r, const Principal& p) {
    int days = 28;
    const std::string wanted = r.query("days").value_or("28");
    if (wanted == "7" || wanted == "90") parse_number(wanted, days);
    const Instant now = app_.clock().now();
    FD_ASSIGN_OR_RETURN(auto figures,
                        app_.enquiries().figures(p, now - std::chrono::hours{24 * days}));
    web::PartnershipModel m;
    m.days = days;
    m.from = figures.from;
    m.to = figures.to;
    for (const auto& a : figures.agencies) m.agencies.push_back({a.name, a.figures});
    for (const auto& c : figures.contacts) {
      m.contacts.push_back({c.contact_id, c.reference, c.all_checks_in, c.open_checks});
    }
    m.contacts_all_in = figures.contacts_all_in;
    m.all_in_median = figures.all_in_median;
    m.all_in_p90 = figures.all_in_p90;
    m.consent_given = figures.consent_given;
    m.consent_refused_or_withdrawn = figures.consent_refused_or_withdrawn;
    m.consent_overridden = figures.consent_overridden;
    m.consent_pending = figures.consent_pending;
    m.link_contacts = domain::is_mash_role(p.user.role);
    return page(web::partnership_page(chrome_for(gate_, p, r, "/partnership"), m));
  }

  Application& app_;
  Gate& gate_;
  web_routes::ContactPageRenderer contact_page_;
};

}  // namespace

namespace web_routes {

std::shared_ptr<void> install_enquiry_routes(Application& app, Gate& gate,
                                             ContactPageRenderer contact_page) {
  auto routes = std::make_shared<EnquiryRoutes>(app, gate, std::move(contact_page));
  routes->install();
  return routes;
}

Status add_enquiry(Application& app, const Principal& who, std::int64_t contact_id,
                   web::ContactPageModel& model) {
  FD_ASSIGN_OR_RETURN(auto enquiry, app.enquiries().enquiry(who, contact_id, /*audited=*/false));
  web::EnquiryModel e;
  e.consent = std::move(enquiry.consent);
  e.child_names = std::move(enquiry.child_names);
  for (const auto& s : enquiry.subjects) {
    e.subjects.push_back(web::EnquirySubjectOption{subject_value(s), s.name, s.description});
  }
  for (const auto& c : enquiry.checks) e.checks.push_back(check_model(c));
  e.progress = std::move(enquiry.progress);
  FD_ASSIGN_OR_RETURN(auto agencies, app.accounts().agencies());
  for (const auto& a : agencies) {
    // The council's own children's services is not a partner to be asked.
    if (a.kind != domain::AgencyKind::kCouncil) e.agencies.push_back({a.id, a.name});
  }
  const auto role = who.user.role;
  e.can_record_consent = domain::role_allows(role, Permission::kRecordConsent);
  e.can_override_consent = domain::role_allows(role, Permission::kOverrideConsent);
  e.can_request_check = domain::role_allows(role, Permission::kRequestCheck);
  e.can_allow_early_decision = domain::role_allows(role, Permission::kDecideBeforeChecksIn);
  model.enquiry = std::move(e);
  return ok_status();
}

Result<std::vector<web::CheckLineModel>> overdue_checks(Application& app, const Principal& who) {
  FD_ASSIGN_OR_RETURN(auto lines, app.enquiries().overdue(who));
  std::vector<web::CheckLineModel> out;
  out.reserve(lines.size());
  for (const auto& l : lines) out.push_back(line_model(l));
  return out;
}

}  // namespace web_routes
}  // namespace frontdoor::app
