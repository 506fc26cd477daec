// The web interface's routes: each handler reads the request, calls one
// service, and renders a page or redirects (post/redirect/get). Validation
// failures re-render the same page with the GOV.UK error pattern and
// everything the user typed.
#include <charconv>

#include "app/application.hpp"
#include "app/gate.hpp"
#include "app/web_routes.hpp"
#include "core/crypto.hpp"
#include "domain/london_time.hpp"
#include "http/errors.hpp"
#include "http/static_files.hpp"
#include "web/pages.hpp"

namespace frontdoor::app {

namespace web_routes {

http::Response page(const web::Html& html, int status) {
  return http::Response::html(html.str(), status);
}

Result<std::int64_t> id_param(const http::Request& r, const char* name) {
  const std::string text = r.param(name);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value <= 0)
    return Error::not_found();
  return value;
}

std::int64_t version_field(const http::Request& r) {
  const std::string text = r.form().get("version");
  std::int64_t value = -2;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool corrected_on_page(ErrorCode code) {
  return code == ErrorCode::kValidation || code == ErrorCode::kConflict ||
         code == ErrorCode::kInvalidTransition;
}

}  // namespace web_routes

namespace {

using domain::Permission;
using http::Request;
using http::Response;
using web_routes::chrome_for;
using web_routes::id_param;
using web_routes::page;
using web_routes::version_field;

// "day", "month", "year" fields -> a date; an error names the first field.
std::optional<std::chrono::sys_days> date_fields(const http::FormData& f, const std::string& prefix,
                                                 const std::string& what,
                                                 std::vector<FieldError>& errors) {
  const std::string d = f.get(prefix + "-day"), m = f.get(prefix + "-month"),
                    y = f.get(prefix + "-year");
  if (d.empty() && m.empty() && y.empty()) return std::nullopt;
  auto num = [](const std::string& s, int& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && ptr == s.data() + s.size();
  };
  int day = 0, month = 0, year = 0;
  if (num(d, day) && num(m, month) && num(y, year) && year >= 1900 && year <= 2200) {
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (ymd.ok()) return std::chrono::sys_days{ymd};
  }
  errors.push_back({prefix, what + " must be a real date, like 27 3 2019"});
  return std::nullopt;
}

std::string date_text(const std::optional<std::chrono::sys_days>& d) {
  return d ? format_date(*d) : "";
}

Error with_fields(Error e, std::vector<FieldError> extra) {
  for (auto& f : extra) e.fields.push_back(std::move(f));
  if (e.code != ErrorCode::kValidation) e.code = ErrorCode::kValidation;
  if (e.message.empty() && !e.fields.empty()) e.message = e.fields.front().message;
  return e;
}

std::string done_banner(const Request& r) {
  const auto done = r.query("done").value_or("");
  if (done == "recorded") return "Contact recorded";
  if (done == "linked") return "Child linked to a person record";
  if (done == "screened") return "Contact screened";
  if (done == "decision") return "Decision recorded and sent to a manager for sign-off";
  if (done == "sent-back") return "Decision sent back to the social worker";
  if (done == "signed-off") return "Decision signed off. The referrer has been told the outcome.";
  if (done == "saved") return "Draft saved";
  if (done == "sent") return "Referral sent";
  if (done == "approved") return "Referral approved and sent to the MASH";
  if (done == "returned") return "Referral returned to the referrer";
  if (done == "published") return "New version of the threshold framework published";
  if (done == "merged") return "Records merged. The other record\u2019s history is in this one.";
  if (done == "unmerged") return "Record unmerged. Both records are as they were.";
  if (done == "consent") return "Consent recorded";
  if (done == "consent-overridden")
    return "Checks agreed without consent. The reason and your name are recorded.";
  if (done == "check-requested") return "Check requested. It is in the agency\u2019s queue.";
  if (done == "check-withdrawn") return "Check withdrawn";
  if (done == "early-decision")
    return "Recorded why the decision cannot wait. The decision can now be made.";
  if (done == "answered") return "Answer sent to the MASH";
  if (done == "sub-request") return "Sub-request sent. It is tracked as a check of its own.";
  return "";
}

}  // namespace

namespace web_routes {

web::Chrome chrome_for(const Gate& gate, const Principal& who, const http::Request& r,
                       const std::string& active) {
  web::Chrome c = gate.chrome(who, active);
  const std::string banner = done_banner(r);
  if (!banner.empty()) c.success_banner = banner;
  return c;
}

}  // namespace web_routes

namespace {

class WebRoutes {
 public:
  WebRoutes(Application& app, Gate& gate) : app_(app), gate_(gate) {}

  void install() {
    gate_.add_public("GET", "/sign-in", [this](Request& r) { return sign_in_form(r); });
    gate_.add_public("POST", "/sign-in", [this](Request& r) { return sign_in(r); });
    gate_.add("POST", "/sign-out", RouteRule::signed_in(),
              [this](Request&, const Principal& p) -> Result<Response> {
                FD_TRY(app_.accounts().sign_out(p));
                Response res = Response::redirect("/sign-in");
                res.set_cookie(gate_.session_cookie("", true));
                return Result<Response>{res};
              });
    gate_.add("GET", "/", RouteRule::signed_in(),
              [this](Request& r, const Principal& p) { return home(r, p); });
    gate_.add("GET", "/queue", RouteRule::needs(Permission::kViewQueue),
              [this](Request& r, const Principal& p) -> Result<Response> { return queue(r, p); });
    gate_.add("GET", "/contacts/new", RouteRule::needs(Permission::kRecordContact),
              [this](Request& r, const Principal& p) {
                return new_contact_form(r, p, web::FormState{}, 200);
              });
    gate_.add("POST", "/contacts", RouteRule::needs(Permission::kRecordContact),
              [this](Request& r, const Principal& p) { return record_contact(r, p); });
    gate_.add("GET", "/contacts/{id}", RouteRule::needs(Permission::kViewContact),
              [this](Request& r, const Principal& p) -> Result<Response> {
                // The contact page is the MASH's working record. A partner
                // follows their referral on /referrals, which shows what may
                // be shared with them.
                if (!domain::is_mash_role(p.user.role)) {
                  (void)app_.accounts().record_refusal(p.user, "GET " + r.path,
                                                       "contact record is for MASH roles");
                  return Error::not_found();
                }
                return contact(r, p, {}, "", 200);
              });
    gate_.add("POST", "/contacts/{id}/link", RouteRule::needs(Permission::kScreenContact),
              [this](Request& r, const Principal& p) { return link(r, p); });
    gate_.add("POST", "/contacts/{id}/screen", RouteRule::needs(Permission::kScreenContact),
              [this](Request& r, const Principal& p) { return screen(r, p); });
    gate_.add("POST", "/contacts/{id}/decision", RouteRule::needs(Permission::kProposeDecision),
              [this](Request& r, const Principal& p) { return decide(r, p); });
    gate_.add("POST", "/contacts/{id}/send-back", RouteRule::needs(Permission::kSignOffDecision),
              [this](Request& r, const Principal& p) { return send_back(r, p); });
    gate_.add("POST", "/contacts/{id}/sign-off", RouteRule::needs(Permission::kSignOffDecision),
              [this](Request& r, const Principal& p) { return sign_off(r, p); });
    // The MASH enquiry's routes (enquiry_routes.cpp); their forms on the
    // contact page re-render it when something needs correcting.
    enquiry_routes_ = web_routes::install_enquiry_routes(
        app_, gate_,
        [this](Request& r, const Principal& p, std::int64_t id, web::FormState state,
               const std::string& active_form, int status) {
          return contact_page(r, p, id, std::move(state), active_form, status);
        });
    gate_.add("GET", "/people", RouteRule::needs(Permission::kSearchPeople),
              [this](Request& r, const Principal& p) { return people_search(r, p); });
    gate_.add("GET", "/people/{id}", RouteRule::needs(Permission::kViewPerson),
              [this](Request& r, const Principal& p) { return person(r, p); });
    gate_.add("GET", "/people/{id}/viewers", RouteRule::needs(Permission::kViewAudit),
              [this](Request& r, const Principal& p) { return viewers(r, p); });
    gate_.add("GET", "/people/suggestions", RouteRule::needs(Permission::kSearchPeople),
              [this](Request& r, const Principal& p) { return suggestions(r, p); });
    gate_.add("GET", "/people/duplicates", RouteRule::needs(Permission::kMergePeople),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto pairs, app_.people().find_duplicates(p));
                return page(web::duplicates_page(chrome_for(gate_, p, r, "/people"), pairs,
                                                 app_.people().model_status()));
              });
    gate_.add("GET", "/people/{id}/merge", RouteRule::needs(Permission::kMergePeople),
              [this](Request& r, const Principal& p) { return merge_page(r, p, {}, 200); });
    gate_.add("POST", "/people/{id}/merge", RouteRule::needs(Permission::kMergePeople),
              [this](Request& r, const Principal& p) { return merge(r, p); });
    gate_.add("POST", "/people/{id}/unmerge", RouteRule::needs(Permission::kMergePeople),
              [this](Request& r, const Principal& p) { return unmerge(r, p); });
    gate_.add("GET", "/referrals", RouteRule::needs(Permission::kViewOwnReferrals),
              [this](Request& r, const Principal& p) { return my_referrals(r, p); });
    gate_.add("POST", "/referrals/new", RouteRule::needs(Permission::kSubmitReferralForm),
              [this](Request&, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto form, app_.forms().start(p));
                return Response::redirect("/referrals/" + std::to_string(form.id));
              });
    gate_.add("GET", "/referrals/approvals", RouteRule::needs(Permission::kApproveReferralForm),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto waiting, app_.forms().awaiting_approval(p));
                return page(
                    web::approvals_page(chrome_for(gate_, p, r, "/referrals/approvals"), waiting));
              });
    gate_.add("GET", "/referrals/{id}", RouteRule::needs(Permission::kSubmitReferralForm),
              [this](Request& r, const Principal& p) { return referral_form(r, p); });
    gate_.add("POST", "/referrals/{id}", RouteRule::needs(Permission::kSubmitReferralForm),
              [this](Request& r, const Principal& p) { return referral_form_post(r, p); });
    gate_.add("POST", "/referrals/{id}/approve", RouteRule::needs(Permission::kApproveReferralForm),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_TRY(app_.forms().approve(p, id));
                app_.notifier().wake();
                return Response::redirect("/referrals/approvals?done=approved");
              });
    gate_.add("POST", "/referrals/{id}/return", RouteRule::needs(Permission::kApproveReferralForm),
              [this](Request& r, const Principal& p) -> Result<Response> {
                FD_ASSIGN_OR_RETURN(auto id, id_param(r));
                FD_TRY(app_.forms().return_to_referrer(p, id, r.form().get("reason")));
                return Response::redirect("/referrals/approvals?done=returned");
              });
    gate_.add("GET", "/admin/thresholds", RouteRule::needs(Permission::kAdministerThresholds),
              [this](Request& r, const Principal& p) { return thresholds(r, p, {}, 200); });
    gate_.add("POST", "/admin/thresholds", RouteRule::needs(Permission::kAdministerThresholds),
              [this](Request& r, const Principal& p) -> Result<Response> {
                auto published = app_.thresholds().publish(p, r.form().get("definition"),
                                                           r.form().get("reason"));
                if (!published.ok()) {
                  if (published.error().code != ErrorCode::kValidation)
                    return std::move(published).error();
                  return thresholds(r, p, form_state(r, published.error()), 400);
                }
                return Response::redirect("/admin/thresholds?done=published");
              });
  }

 private:
  Result<Response> sign_in_form(Request& r) {
    web::Chrome c = gate_.anonymous_chrome();
    const std::string token = random_token(24);
    c.csrf_token = token;
    Response res = page(web::sign_in_page(c, web::FormState{}, r.query("next").value_or("/")));
    http::Cookie cookie;
    cookie.name = kSignInCookie;
    cookie.value = token;
    cookie.secure = gate_.config().secure_cookies;
    cookie.same_site = "Strict";
    res.set_cookie(cookie);
    return res;
  }

  Result<Response> sign_in(Request& r) {
    const auto& f = r.form();
    const auto expected = r.cookie(kSignInCookie);
    if (!expected || !constant_time_equals(*expected, f.get("csrf_token")) ||
        !Gate::same_origin(r)) {
      return Error::forbidden(
          "The sign-in form has expired. Go back, reload the page and try again.");
    }
    std::string next = f.get("next");
    // Only ever return to a page of our own.
    if (next.empty() || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\')))
      next = "/";
    auto signed_in =
        app_.accounts().sign_in(f.get("username"), f.get("password"), r.remote_address);
    if (!signed_in.ok()) {
      const auto code = signed_in.error().code;
      if (code != ErrorCode::kUnauthenticated && code != ErrorCode::kRateLimited) {
        return std::move(signed_in).error();
      }
      web::Chrome c = gate_.anonymous_chrome();
      c.csrf_token = *expected;
      web::FormState state;
      state.values["username"] = f.get("username");
      state.errors.push_back(FieldError{"username", signed_in.error().message});
      return page(web::sign_in_page(c, state, next), code == ErrorCode::kRateLimited ? 429 : 401);
    }
    Response res = Response::redirect(next);
    res.set_cookie(gate_.session_cookie(signed_in->session_token));
    http::Cookie clear;
    clear.name = kSignInCookie;
    clear.max_age = 0;
    clear.secure = gate_.config().secure_cookies;
    res.set_cookie(clear);
    return res;
  }

  Result<Response> home(Request& r, const Principal& p) {
    const auto role = p.user.role;
    std::vector<web::HomeLink> links;
    auto add = [&](Permission perm, std::string href, std::string title, std::string text) {
      if (domain::role_allows(role, perm))
        links.push_back({std::move(href), std::move(title), std::move(text)});
    };
    add(Permission::kViewQueue, "/queue", "MASH queue",
        "Contacts waiting for screening, a decision or sign-off, most urgent first.");
    add(Permission::kRecordContact, "/contacts/new", "Record a contact",
        "A concern received by phone, e-mail or in person.");
    add(Permission::kSearchPeople, "/people", "Find a child or adult",
        "Search by name, date of birth, postcode or identifier.");
    add(Permission::kViewOwnReferrals, "/referrals", "Your referrals",
        "Make a referral to the MASH and see the outcome of referrals you made.");
    add(Permission::kApproveReferralForm, "/referrals/approvals",
        "Referrals awaiting your approval",
        "Check your team's referrals before they reach the MASH.");
    add(Permission::kViewAgencyQueue, "/checks", "Checks for your agency",
        "What the MASH has asked your agency to check, the soonest due first.");
    add(Permission::kViewPerformance, "/partnership", "How the partnership is doing",
        "Checks requested and answered on time by each agency, and consent, live.");
    add(Permission::kMergePeople, "/people/duplicates", "Duplicate person records",
        "Records that may be the same person: compare, merge and unmerge them.");
    add(Permission::kAdministerThresholds, "/admin/thresholds", "Threshold of need",
        "The council's continuum of need: levels, descriptors and indicators.");
    return page(web::home_page(chrome_for(gate_, p, r, "/"), p.user.display_name,
                               std::string(domain::role_label(role)), links));
  }

  // The queue, 50 contacts a page; the warning counts every overdue contact.
  Result<Response> queue(Request& r, const Principal& p) {
    constexpr int kPerPage = 50;
    const Instant now = app_.clock().now();
    FD_ASSIGN_OR_RETURN(auto counts, app_.contacts().queue_counts(p, now));
    web::QueuePosition at;
    at.open = counts.open;
    at.overdue = counts.overdue;
    at.pages = std::max<int>(1, static_cast<int>((counts.open + kPerPage - 1) / kPerPage));
    const std::string wanted = r.query("page").value_or("1");
    int page_number = 1;
    std::from_chars(wanted.data(), wanted.data() + wanted.size(), page_number);
    at.page = std::clamp(page_number, 1, at.pages);
    FD_ASSIGN_OR_RETURN(
        auto items,
        app_.contacts().queue(p, kPerPage, static_cast<std::size_t>(at.page - 1) * kPerPage));
    // Partner agencies' checks past their due time are escalated here.
    FD_ASSIGN_OR_RETURN(auto overdue, web_routes::overdue_checks(app_, p));
    return page(web::queue_page(chrome_for(gate_, p, r, "/queue"), items, now, at, overdue));
  }

  Result<Response> new_contact_form(Request& r, const Principal& p, const web::FormState& state,
                                    int status) {
    FD_ASSIGN_OR_RETURN(auto agencies, app_.accounts().agencies());
    std::vector<web::AgencyOption> options;
    options.reserve(agencies.size());
    for (const auto& a : agencies) options.push_back({a.id, a.name});
    return page(web::new_contact_page(chrome_for(gate_, p, r, "/contacts/new"), state, options),
                status);
  }

  Result<Response> record_contact(Request& r, const Principal& p) {
    const auto& f = r.form();
    std::vector<FieldError> errors;
    domain::ContactDetails d;
    d.channel = domain::parse_channel(f.get("channel")).value_or(domain::ContactChannel::kPhone);
    d.source_code = f.get("source_code");
    const Instant now = app_.clock().now();
    d.received_at = now;
    if (auto day = date_fields(f, "received", "The date the contact was received", errors)) {
      const std::string time = f.get("received_time");
      int hh = 0, mm = 0;
      if (time.size() == 5 && time[2] == ':' &&
          std::from_chars(time.data(), time.data() + 2, hh).ec == std::errc{} &&
          std::from_chars(time.data() + 3, time.data() + 5, mm).ec == std::errc{} && hh < 24 &&
          mm < 60) {
        d.received_at =
            domain::from_london(*day, std::chrono::hours{hh} + std::chrono::minutes{mm});
      } else {
        errors.push_back({"received_time", "Enter the time the contact was received, like 14:30"});
      }
    }
    d.referrer.name = f.get("referrer_name");
    d.referrer.role = f.get("referrer_role");
    d.referrer.email = f.get("referrer_email");
    d.referrer.phone = f.get("referrer_phone");
    if (!f.get("referrer_agency_id").empty()) {
      std::int64_t agency_id = 0;
      const std::string a = f.get("referrer_agency_id");
      std::from_chars(a.data(), a.data() + a.size(), agency_id);
      FD_ASSIGN_OR_RETURN(auto agencies, app_.accounts().agencies());
      for (const auto& ag : agencies) {
        if (ag.id == agency_id) {
          d.referrer.agency_id = ag.id;
          d.referrer.agency_name = ag.name;
        }
      }
    }
    for (int i = 1; i <= 3; ++i) {
      const std::string n = "child" + std::to_string(i) + "_";
      domain::ChildOnContact c;
      c.given_name = f.get(n + "given_name");
      c.family_name = f.get(n + "family_name");
      c.date_of_birth = date_fields(f, n + "dob", "Date of birth", errors);
      c.sex = f.get(n + "sex").empty() ? "0" : f.get(n + "sex");
      if (c.given_name.empty() && c.family_name.empty() && !c.date_of_birth) continue;
      d.children.push_back(std::move(c));
    }
    d.address_line = f.get("address_line");
    d.postcode = f.get("postcode");
    d.concerns = f.get("concerns");
    d.child_views = f.get("child_views");
    d.family_aware =
        domain::parse_family_aware(f.get("family_aware")).value_or(domain::FamilyAware::kNotKnown);
    d.consent = domain::parse_consent(f.get("consent")).value_or(domain::ConsentStatus::kNotKnown);
    d.consent_notes = f.get("consent_notes");
    auto valid = domain::validate_contact_details(d, now);
    if (!valid.ok() || !errors.empty()) {
      Error e = valid.ok() ? Error::validation(errors.front().message) : std::move(valid).error();
      return new_contact_form(r, p, form_state(r, with_fields(std::move(e), errors)), 400);
    }
    FD_ASSIGN_OR_RETURN(auto contact, app_.contacts().record(p, std::move(d)));
    return Response::redirect("/contacts/" + std::to_string(contact.id) + "?done=recorded");
  }

  Result<Response> contact(Request& r, const Principal& p, web::FormState state,
                           const std::string& active_form, int status) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    return contact_page(r, p, id, std::move(state), active_form, status);
  }

  Result<Response> contact_page(Request& r, const Principal& p, std::int64_t id,
                                web::FormState state, const std::string& active_form, int status) {
    // The one audited read of the contact for this page; the enquiry below
    // is read without a second entry.
    FD_ASSIGN_OR_RETURN(auto view, app_.contacts().view(p, id));
    web::ContactPageModel m;
    m.contact = std::move(view.contact);
    m.now = app_.clock().now();
    m.provisional_due = app_.contacts().deadline(m.contact.details.received_at,
                                                 app_.contacts().policies().provisional);
    const auto actor = p.user.actor();
    m.can_screen = domain::role_allows(actor.role, Permission::kScreenContact);
    m.can_decide = domain::role_allows(actor.role, Permission::kProposeDecision);
    m.can_sign_off = domain::role_allows(actor.role, Permission::kSignOffDecision);
    if (m.can_screen) {
      bool all_linked = true;
      for (std::size_t i = 0; i < m.contact.details.children.size(); ++i) {
        const auto& child = m.contact.details.children[i];
        if (child.person_id) continue;
        all_linked = false;
        domain::PersonQuery q;
        q.given_name = child.given_name;
        q.family_name = child.family_name;
        q.date_of_birth = child.date_of_birth ? child.date_of_birth : child.expected_date_of_birth;
        q.postcode = m.contact.details.postcode;
        q.limit = 5;
        FD_ASSIGN_OR_RETURN(auto found, app_.people().search(p, q));
        m.candidates.push_back(web::ChildCandidates{i, std::move(found)});
      }
      if (all_linked) {
        auto history = app_.contacts().history_for(p, id);
        if (history.ok()) m.history = *history;
      }
    }
    if (m.can_decide) {
      auto framework = app_.thresholds().active();
      if (framework.ok()) m.framework = std::move(framework).value();
    }
    if (m.contact.decision && !m.framework) {
      auto used = app_.thresholds().version(m.contact.decision->framework_id,
                                            m.contact.decision->framework_version);
      if (used.ok()) m.framework = std::move(used).value();
    }
    if (domain::role_allows(actor.role, Permission::kViewCheck)) {
      FD_TRY(web_routes::add_enquiry(app_, p, id, m));
    }
    m.form = std::move(state);
    m.active_form = active_form;
    return page(web::contact_page(chrome_for(gate_, p, r, "/queue"), m), status);
  }

  // Runs a contact command; a validation error re-renders the contact page.
  template <typename F>
  Result<Response> contact_command(Request& r, const Principal& p, const std::string& form_name,
                                   const std::string& done, F&& run) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    auto result = run(id, version_field(r));
    if (!result.ok()) {
      const auto code = result.error().code;
      if (web_routes::corrected_on_page(code)) {
        return contact(r, p, form_state(r, result.error()), form_name, http::status_for(code));
      }
      return std::move(result).error();
    }
    return Response::redirect("/contacts/" + std::to_string(id) + "?done=" + done);
  }

  Result<Response> link(Request& r, const Principal& p) {
    return contact_command(r, p, "link", "linked", [&](std::int64_t id, std::int64_t version) {
      const std::string index_text = r.form().get("child_index");
      std::size_t index = 0;
      std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
      const std::string person = r.form().get("person_id");
      if (person.empty()) {
        return Result<domain::ContactState>{
            Error::field("person_id", "Select a person record, or create a new one")};
      }
      if (person == "new") return app_.contacts().link_new_person(p, id, version, index);
      std::int64_t person_id = 0;
      std::from_chars(person.data(), person.data() + person.size(), person_id);
      return app_.contacts().link_child(p, id, version, index, person_id);
    });
  }

  Result<Response> screen(Request& r, const Principal& p) {
    return contact_command(r, p, "screen", "screened", [&](std::int64_t id, std::int64_t version) {
      auto rag = domain::parse_rag_rating(r.form().get("rag"));
      if (!rag) return Result<domain::ContactState>{Error::field("rag", "Select a RAG rating")};
      return app_.contacts().screen(p, id, version, *rag, r.form().get("rationale"));
    });
  }

  Result<Response> decide(Request& r, const Principal& p) {
    return contact_command(
        r, p, "decision", "decision", [&](std::int64_t id, std::int64_t version) {
          const auto& f = r.form();
          domain::DecisionCommand cmd;
          cmd.outcome = domain::parse_outcome(f.get("outcome"));
          const std::string level = f.get("level");
          int n = 0;
          if (std::from_chars(level.data(), level.data() + level.size(), n).ec == std::errc{} &&
              !level.empty())
            cmd.level = n;
          cmd.indicators = f.all("indicators");
          cmd.rationale = f.get("rationale");
          cmd.next_steps = f.get("next_steps");
          // Answered checks the decision relied on; anything that is not a
          // check's id is refused by the domain as not answered.
          for (const auto& text : f.all("relied_on_checks")) {
            std::int64_t check = -1;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), check);
            if (ec != std::errc{} || ptr != text.data() + text.size()) check = -1;
            cmd.relied_on_checks.push_back(check);
          }
          return app_.contacts().record_decision(p, id, version, cmd);
        });
  }

  Result<Response> send_back(Request& r, const Principal& p) {
    return contact_command(
        r, p, "send_back", "sent-back", [&](std::int64_t id, std::int64_t version) {
          return app_.contacts().send_back(p, id, version, r.form().get("reason"));
        });
  }

  Result<Response> sign_off(Request& r, const Principal& p) {
    auto response =
        contact_command(r, p, "sign_off", "signed-off", [&](std::int64_t id, std::int64_t version) {
          return app_.contacts().sign_off(p, id, version, r.form().get("case_direction"));
        });
    app_.notifier().wake();
    return response;
  }

  // What the contact form has of a child so far, as a fragment of likely
  // matches (the form's script fetches it as the worker types).
  Result<Response> suggestions(Request& r, const Principal& p) {
    domain::PersonQuery q;
    q.given_name = r.query("given_name").value_or("");
    q.family_name = r.query("family_name").value_or("");
    q.date_of_birth = parse_date(r.query("date_of_birth").value_or(""));
    q.postcode = r.query("postcode").value_or("");
    q.address = r.query("address").value_or("");
    q.limit = 3;
    // A name of two letters or a date of birth before anything is offered.
    const bool asked = q.given_name.size() + q.family_name.size() >= 2 || q.date_of_birth;
    std::vector<domain::PersonSummary> found;
    if (asked) {
      FD_ASSIGN_OR_RETURN(found, app_.people().search(p, q));
    }
    auto res = Response::html(web::person_suggestions_fragment(found, asked).str());
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  Result<Response> people_search(Request& r, const Principal& p) {
    const std::string q = r.query("q").value_or("");
    std::vector<domain::PersonSummary> results;
    if (!q.empty()) {
      FD_ASSIGN_OR_RETURN(results, app_.people().search(p, People::query_from_text(q)));
    }
    return page(
        web::people_search_page(chrome_for(gate_, p, r, "/people"), q, results, !q.empty()));
  }

  Result<Response> person(Request& r, const Principal& p) { return person_page(r, p, {}, 200); }

  Result<Response> person_page(Request& r, const Principal& p, web::FormState form, int status) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    // One read of the record, audited once, with its chronology.
    FD_ASSIGN_OR_RETURN(auto view, app_.people().view(p, id, WithChronology::kYes));
    web::PersonPageModel m;
    m.person = std::move(view.person);
    m.household = std::move(view.household);
    m.chronology = std::move(view.chronology);
    m.can_view_audit = domain::role_allows(p.user.role, Permission::kViewAudit);
    m.can_merge = domain::role_allows(p.user.role, Permission::kMergePeople);
    m.now = app_.clock().now();
    m.form = std::move(form);
    return page(web::person_page(chrome_for(gate_, p, r, "/people"), m), status);
  }

  // The number of the other record, from the query (GET) or the form (POST).
  static Result<std::optional<std::int64_t>> other_record(const std::string& text) {
    if (text.empty()) return std::optional<std::int64_t>{};
    // "1234" or "P1234", spaces around allowed; nothing else.
    std::string_view digits = text;
    while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
    while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
    if (!digits.empty() && (digits.front() == 'P' || digits.front() == 'p'))
      digits.remove_prefix(1);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || value <= 0)
      return Error::field("with", "Enter the number of a person record, like 1234");
    return std::optional<std::int64_t>{value};
  }

  Result<Response> merge_page(Request& r, const Principal& p, web::FormState form, int status) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const bool posted = r.method == "POST";
    auto other = other_record(posted ? r.form().get("with") : r.query("with").value_or(""));
    web::MergePageModel m;
    // The other record's number was not one: ask again, with the error.
    auto ask_again = [&](const Error& e) -> Result<Response> {
      FD_ASSIGN_OR_RETURN(auto alone, app_.people().compare(p, id, std::nullopt));
      m.person = std::move(alone.person);
      m.form = form_state(r, e);
      if (!posted) m.form.values["with"] = r.query("with").value_or("");
      return page(web::merge_page(chrome_for(gate_, p, r, "/people"), m), 400);
    };
    if (!other.ok()) return ask_again(other.error());
    auto view = app_.people().compare(p, id, *other);
    if (!view.ok() && view.error().code == ErrorCode::kValidation) return ask_again(view.error());
    FD_TRY(view);
    m.person = std::move(view->person);
    m.other = std::move(view->other);
    m.comparison = std::move(view->comparison);
    m.form = std::move(form);
    return page(web::merge_page(chrome_for(gate_, p, r, "/people"), m), status);
  }

  Result<Response> merge(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    FD_ASSIGN_OR_RETURN(auto other, other_record(r.form().get("with")));
    Result<domain::PersonState> merged = Error::field("keep", "Select the record to keep");
    const std::string keep = r.form().get("keep");
    if (other && keep == std::to_string(id)) {
      merged = app_.people().merge(p, *other, id, r.form().get("reason"));
    } else if (other && keep == std::to_string(*other)) {
      merged = app_.people().merge(p, id, *other, r.form().get("reason"));
    } else if (!other) {
      merged = Error::field("with", "Enter the number of the other person record");
    }
    if (!merged.ok()) {
      const auto code = merged.error().code;
      if (web_routes::corrected_on_page(code)) {
        return merge_page(r, p, form_state(r, merged.error()), http::status_for(code));
      }
      return std::move(merged).error();
    }
    return Response::redirect("/people/" + std::to_string(merged->id) + "?done=merged");
  }

  Result<Response> unmerge(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    auto separated = app_.people().unmerge(p, id, r.form().get("reason"));
    if (!separated.ok()) {
      const auto code = separated.error().code;
      if (web_routes::corrected_on_page(code)) {
        return person_page(r, p, form_state(r, separated.error()), http::status_for(code));
      }
      return std::move(separated).error();
    }
    return Response::redirect("/people/" + std::to_string(id) + "?done=unmerged");
  }

  Result<Response> viewers(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    FD_ASSIGN_OR_RETURN(auto log, app_.people().viewers(p, id));
    std::vector<domain::AccessRecord> records;
    for (const auto& e : log.entries) {
      records.push_back(
          domain::AccessRecord{e.at, e.actor.display_name, e.actor.role_text(), e.actor.agency_name,
                               e.action, e.outcome == storage::AuditOutcome::kRefused, e.basis});
    }
    return page(web::viewers_page(chrome_for(gate_, p, r, "/people"), log.person, records));
  }

  Result<Response> my_referrals(Request& r, const Principal& p) {
    std::vector<domain::ReferralForm> drafts;
    if (domain::role_allows(p.user.role, Permission::kSubmitReferralForm)) {
      FD_ASSIGN_OR_RETURN(auto forms, app_.forms().mine(p));
      for (auto& f : forms) {
        if (f.status != domain::FormStatus::kSubmitted) drafts.push_back(std::move(f));
      }
    }
    FD_ASSIGN_OR_RETURN(auto sent, app_.contacts().submitted_by(p));
    return page(web::my_referrals_page(chrome_for(gate_, p, r, "/referrals"), drafts, sent));
  }

  // The e-MARF's fields, flattened as the page names them, from saved answers.
  static web::FormState state_from_answers(const nlohmann::json& a) {
    web::FormState s;
    for (const char* key :
         {"referrer_role", "referrer_phone", "address_line", "postcode", "concerns", "child_views",
          "family_aware", "consent", "consent_notes"}) {
      if (a.contains(key) && a[key].is_string()) s.values[key] = a[key].get<std::string>();
    }
    auto split_date = [&](const std::string& prefix, const std::string& iso) {
      if (auto d = parse_date(iso)) {
        const std::chrono::year_month_day ymd{*d};
        s.values[prefix + "-day"] = std::to_string(unsigned(ymd.day()));
        s.values[prefix + "-month"] = std::to_string(unsigned(ymd.month()));
        s.values[prefix + "-year"] = std::to_string(int(ymd.year()));
      }
    };
    const auto children = a.value("children", nlohmann::json::array());
    for (std::size_t i = 0; i < children.size(); ++i) {
      const std::string n = "child" + std::to_string(i + 1) + "_";
      const auto& c = children[i];
      s.values[n + "given_name"] = c.value("given_name", "");
      s.values[n + "family_name"] = c.value("family_name", "");
      s.values[n + "sex"] = c.value("sex", "");
      if (c.value("unborn", "") == "yes") s.values[n + "unborn"] = "yes";
      split_date(n + "dob", c.value("date_of_birth", ""));
      split_date(n + "edd", c.value("expected_date_of_birth", ""));
    }
    const auto adults = a.value("adults", nlohmann::json::array());
    for (std::size_t i = 0; i < adults.size(); ++i) {
      const std::string n = "adult" + std::to_string(i + 1) + "_";
      for (const char* key : {"given_name", "family_name", "relationship", "address"}) {
        s.values[n + key] = adults[i].value(key, "");
      }
    }
    return s;
  }

  // The answers JSON from the posted e-MARF; date errors are collected.
  static nlohmann::json answers_from_form(const http::FormData& f, int child_slots, int adult_slots,
                                          std::vector<FieldError>& errors) {
    nlohmann::json a = nlohmann::json::object();
    for (const char* key :
         {"referrer_role", "referrer_phone", "address_line", "postcode", "concerns", "child_views",
          "family_aware", "consent", "consent_notes"}) {
      a[key] = f.get(key);
    }
    a["children"] = nlohmann::json::array();
    for (int i = 1; i <= child_slots; ++i) {
      const std::string n = "child" + std::to_string(i) + "_";
      a["children"].push_back(
          {{"given_name", f.get(n + "given_name")},
           {"family_name", f.get(n + "family_name")},
           {"sex", f.get(n + "sex")},
           {"unborn", f.get(n + "unborn")},
           {"date_of_birth", date_text(date_fields(f, n + "dob", "Date of birth", errors))},
           {"expected_date_of_birth",
            date_text(date_fields(f, n + "edd", "Expected date of birth", errors))}});
    }
    a["adults"] = nlohmann::json::array();
    for (int i = 1; i <= adult_slots; ++i) {
      const std::string n = "adult" + std::to_string(i) + "_";
      a["adults"].push_back({{"given_name", f.get(n + "given_name")},
                             {"family_name", f.get(n + "family_name")},
                             {"relationship", f.get(n + "relationship")},
                             {"address", f.get(n + "address")}});
    }
    return a;
  }

  Result<Response> render_referral(Request& r, const Principal& p, domain::ReferralForm form,
                                   web::FormState state, int child_slots, int adult_slots,
                                   int status) {
    web::ReferralFormModel m;
    m.form = std::move(form);
    m.state = std::move(state);
    m.child_slots = std::max(child_slots, 1);
    m.adult_slots = std::max(adult_slots, 1);
    auto framework = app_.thresholds().active();
    if (framework.ok()) m.framework = std::move(framework).value();
    m.requires_approval = p.user.agency.requires_supervisor_approval;
    m.saved = r.query("done").value_or("") == "saved";
    return page(web::referral_form_page(chrome_for(gate_, p, r, "/referrals"), m), status);
  }

  static int slots(const http::FormData& f, const char* name, int fallback) {
    const std::string v = f.get(name);
    int n = fallback;
    std::from_chars(v.data(), v.data() + v.size(), n);
    return std::clamp(n, 1, 10);
  }

  Result<Response> referral_form(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    FD_ASSIGN_OR_RETURN(auto form, app_.forms().get(p, id));
    if (form.status == domain::FormStatus::kSubmitted && form.contact_id) {
      return Response::redirect("/referrals?done=sent");
    }
    const int children =
        static_cast<int>(form.answers.value("children", nlohmann::json::array()).size());
    const int adults =
        static_cast<int>(form.answers.value("adults", nlohmann::json::array()).size());
    web::FormState state = state_from_answers(form.answers);
    return render_referral(r, p, std::move(form), std::move(state), children, adults, 200);
  }

  Result<Response> referral_form_post(Request& r, const Principal& p) {
    FD_ASSIGN_OR_RETURN(auto id, id_param(r));
    const auto& f = r.form();
    int child_slots = slots(f, "child_slots", 1);
    int adult_slots = slots(f, "adult_slots", 1);
    const std::string action = f.get("action");
    std::vector<FieldError> date_errors;
    auto answers = answers_from_form(f, child_slots, adult_slots, date_errors);
    if (action == "add_child") ++child_slots;
    if (action == "add_adult") ++adult_slots;
    if (action == "submit" && date_errors.empty()) {
      auto submitted = app_.forms().submit(p, id, answers);
      if (submitted.ok()) {
        app_.notifier().wake();
        return Response::redirect("/referrals?done=sent");
      }
      if (submitted.error().code != ErrorCode::kValidation) return std::move(submitted).error();
      FD_TRY(app_.forms().save_draft(p, id, answers));
      FD_ASSIGN_OR_RETURN(auto form, app_.forms().get(p, id));
      return render_referral(r, p, std::move(form), form_state(r, submitted.error()), child_slots,
                             adult_slots, 400);
    }
    FD_ASSIGN_OR_RETURN(auto form, app_.forms().save_draft(p, id, answers));
    if (!date_errors.empty()) {
      return render_referral(
          r, p, std::move(form),
          form_state(r, Error::validation(date_errors.front().message, date_errors)), child_slots,
          adult_slots, 400);
    }
    if (action == "add_child" || action == "add_adult") {
      web::FormState state = form_state(r);
      state.values["child_slots"] = std::to_string(child_slots);
      state.values["adult_slots"] = std::to_string(adult_slots);
      return render_referral(r, p, std::move(form), std::move(state), child_slots, adult_slots,
                             200);
    }
    return Response::redirect("/referrals/" + std::to_string(id) + "?done=saved");
  }

  Result<Response> thresholds(Request& r, const Principal& p, const web::FormState& state,
                              int status) {
    FD_ASSIGN_OR_RETURN(auto active, app_.thresholds().active());
    FD_ASSIGN_OR_RETURN(auto versions, app_.thresholds().versions());
    std::vector<web::FrameworkVersionRow> rows;
    rows.reserve(versions.size());
    for (const auto& v : versions) rows.push_back({v.version, v.name, v.published_at, v.active});
    return page(
        web::thresholds_page(chrome_for(gate_, p, r, "/admin/thresholds"), active, rows, state),
        status);
  }

  Application& app_;
  Gate& gate_;
  std::shared_ptr<void> enquiry_routes_;
};

}  // namespace

std::shared_ptr<void> install_web_routes(Application& app, Gate& gate) {
  auto routes = std::make_shared<WebRoutes>(app, gate);
  routes->install();
  return routes;
}

}  // namespace frontdoor::app
