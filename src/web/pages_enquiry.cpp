// The MASH enquiry (issue #3): consent and partner agencies' checks on the
// contact page, an agency's queue of checks, one check with its answer form,
// the MASH queue's overdue checks, and how the partnership is doing.
#include <algorithm>
#include <sstream>

#include "domain/identifiers.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

namespace {

using domain::CheckStatus;

std::string check_href(std::int64_t id) {
  return "/checks/" + std::to_string(id);
}

std::string contact_href(std::int64_t id) {
  return "/contacts/" + std::to_string(id);
}

SummaryListRow row(const std::string& key, Html value) {
  SummaryListRow r;
  r.key = key;
  r.value = std::move(value);
  return r;
}

TableCell cell(Html text, CellFormat format = CellFormat::kText) {
  TableCell c;
  c.text = std::move(text);
  c.format = format;
  return c;
}

Html card(const std::string& title, std::vector<SummaryListRow> rows) {
  SummaryCardParams c;
  c.title = title;
  c.heading_level = 3;
  return summary_list(SummaryListParams{std::move(rows), c, "", {}});
}

Html rows_list(std::vector<SummaryListRow> rows) {
  return summary_list(SummaryListParams{std::move(rows), std::nullopt, "", {}});
}

// A heading that an error summary's link can point at.
Html heading_with_id(const std::string& text, int level, const std::string& size,
                     const std::string& id) {
  const std::string tag_name = "h" + std::to_string(level);
  HtmlWriter w;
  w.raw("<").raw(tag_name).attr("class", "govuk-heading-" + size).attr("id", id).raw(">");
  w.text(text).raw("</").raw(tag_name).raw(">\n");
  return w.done();
}

// A repeated field (checkboxes) as the form kept it: comma-separated.
std::vector<std::string> values_of(const std::string& joined) {
  std::vector<std::string> out;
  std::stringstream ss(joined);
  for (std::string v; std::getline(ss, v, ',');) {
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

FormState state_for(const ContactPageModel& m, const std::string& form_name) {
  if (m.active_form == form_name) return m.form;
  return {};
}

FormState state_for(const CheckPageModel& m, const std::string& form_name) {
  if (m.active_form == form_name) return m.form;
  return {};
}

std::string plural(long long n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "45 minutes", "3 hours", "26 hours 5 minutes": figures on a check's own
// clock (working time, or elapsed), so never in days.
std::string duration_text(std::chrono::minutes d) {
  const long long total = d.count();
  if (total <= 0) return "less than a minute";
  const long long hours = total / 60;
  const long long minutes = total % 60;
  if (hours == 0) return plural(minutes, "minute", "minutes");
  if (minutes == 0) return plural(hours, "hour", "hours");
  return plural(hours, "hour", "hours") + " " + plural(minutes, "minute", "minutes");
}

Html check_status_tag(CheckStatus s) {
  TagParams t;
  switch (s) {
    case CheckStatus::kRequested:
      t.text = "Awaiting answer";
      t.classes = tag_colour_class(TagColour::kBlue);
      break;
    case CheckStatus::kAnswered:
      t.text = "Answered";
      t.classes = tag_colour_class(TagColour::kGreen);
      break;
    case CheckStatus::kWithdrawn:
      t.text = "Withdrawn";
      t.classes = tag_colour_class(TagColour::kGrey);
      break;
  }
  return tag(t);
}

// When a check is due: the time in London, and while it is open how long is
// left, or a red "Overdue" tag and by how much.
Html due_text(Instant due, Instant now, bool open) {
  if (!open) return Html(domain::format_london(due));
  return deadline(due, now);
}

// "Test Constabulary", or a health sub-request's "GP (Test NHS Trust)".
std::string check_label(const std::string& agency, bool sub_request, const std::string& service) {
  if (!sub_request || service.empty()) return agency;
  return service + " (" + agency + ")";
}

std::string check_label(const CheckModel& c) {
  return check_label(c.agency_name, c.check.parent_check.has_value(), c.check.service);
}

// What an agency said about one person, in a table cell or summary.
Html answer_html(const domain::PersonAnswer& a) {
  if (!a.known) return Html("Not known to the agency");
  HtmlWriter w;
  w.raw("<strong>Known</strong>").html(paragraphs(a.summary));
  auto line = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    w.raw("<p class=\"govuk-body-s\">").text(std::string(key) + ": " + value).raw("</p>\n");
  };
  line("Relevance", a.relevance);
  line("Risk", a.risk);
  std::string source = a.source_system;
  if (!a.source_reference.empty()) {
    source += (source.empty() ? "" : ", reference ") + a.source_reference;
  }
  line("Source", source);
  return w.done();
}

const domain::PersonAnswer* answer_for(const domain::CheckState& c, std::int64_t person_id) {
  for (const auto& a : c.answers) {
    if (a.person_id == person_id) return &a;
  }
  return nullptr;
}

// An input or textarea whose id is not its name (the contact page has one
// consent form per child, each with the same field names).
Html input_with_id(const FormState& form, const std::string& name, const std::string& id,
                   const Html& label_text, const std::string& hint_text = "",
                   const std::string& classes = "") {
  InputParams p;
  p.name = name;
  p.id = id;
  p.value = form.value(name);
  p.label.text = label_text;
  p.classes = classes;
  p.autocomplete = "off";
  if (!hint_text.empty()) p.hint = FieldHint{hint_text, "", {}};
  p.error_message = field_error(form, id);
  return input(p);
}

Html textarea_with_id(const FormState& form, const std::string& name, const std::string& id,
                      const Html& label_text, const std::string& hint_text = "", int rows = 3) {
  TextareaParams p;
  p.name = name;
  p.id = id;
  p.rows = rows;
  p.value = form.value(name);
  p.label.text = label_text;
  if (!hint_text.empty()) p.hint = FieldHint{hint_text, "", {}};
  p.error_message = field_error(form, id);
  return textarea(p);
}

Html in_details(const std::string& summary, const Html& content, bool open, const std::string& id) {
  DetailsParams d;
  d.summary_text = summary;
  d.text = content;
  d.open = open;
  d.id = id;
  return details(d);
}

// ---------------------------------------------------------------------------
// The contact page
// ---------------------------------------------------------------------------

Html consent_form(const Chrome& chrome, const ContactPageModel& m, std::size_t index,
                  const std::string& name) {
  const std::string n = std::to_string(index + 1);
  const std::string form_name = "consent-" + n;
  const FormState form = state_for(m, form_name);
  RadiosParams decision;
  decision.name = "decision";
  decision.id_prefix = form_name + "-decision";
  decision.value = form.value("decision");
  decision.fieldset = legend("What happened about consent to checks?");
  for (auto d : {domain::ConsentDecision::kSought, domain::ConsentDecision::kGiven,
                 domain::ConsentDecision::kRefused, domain::ConsentDecision::kNotSought,
                 domain::ConsentDecision::kWithdrawn}) {
    decision.items.push_back(
        choice(std::string(domain::label(d)), std::string(domain::to_string(d))));
  }
  decision.error_message = field_error(form, form_name + "-decision");
  Html f = radios(decision);
  f += input_with_id(form, "given_by", form_name + "-given_by", "Who gave, refused or withdrew it",
                     "For example, mother, or the young person (Gillick competent)");
  f += textarea_with_id(form, "notes", form_name + "-notes", "Notes",
                        "If consent was not sought, say why");
  f += submit_button("Record consent", "govuk-button--secondary");
  const Html posted = post_form(contact_href(m.contact.id) + "/consent", chrome, f,
                                {{"version", std::to_string(m.enquiry->consent.version)},
                                 {"child_index", std::to_string(index)}});
  return in_details("Record consent for " + name, posted, m.active_form == form_name,
                    form_name + "-details");
}

Html override_form(const Chrome& chrome, const ContactPageModel& m, std::size_t index,
                   const std::string& name) {
  const std::string n = std::to_string(index + 1);
  const std::string form_name = "override-" + n;
  const FormState form = state_for(m, form_name);
  RadiosParams basis;
  basis.name = "basis";
  basis.id_prefix = form_name + "-basis";
  basis.value = form.value("basis");
  basis.fieldset = legend("The lawful basis for checks without consent");
  for (auto b : {domain::LawfulBasis::kRiskOfHarm, domain::LawfulBasis::kCrimePrevention,
                 domain::LawfulBasis::kUnreasonableDelay, domain::LawfulBasis::kSafeguardingDuty}) {
    basis.items.push_back(choice(std::string(domain::label(b)), std::string(domain::to_string(b))));
  }
  basis.error_message = field_error(form, form_name + "-basis");
  Html f = radios(basis);
  f += textarea_with_id(form, "reason", form_name + "-reason",
                        "Why checks must go ahead without consent",
                        "You are recorded as the manager who agreed", 4);
  f += submit_button("Agree checks without consent", "govuk-button--warning");
  const Html posted = post_form(contact_href(m.contact.id) + "/consent-override", chrome, f,
                                {{"version", std::to_string(m.enquiry->consent.version)},
                                 {"child_index", std::to_string(index)}});
  return in_details("Agree checks without consent for " + name, posted, m.active_form == form_name,
                    form_name + "-details");
}

Html consent_section(const Chrome& chrome, const ContactPageModel& m) {
  const auto& e = *m.enquiry;
  Html out = heading_with_id("Consent to checks", 2, "m", "consent");
  const auto children = m.contact.details.children.size();
  if (children == 0) return out + paragraph("No children are recorded on this contact.");
  out += paragraph(
      "Checks about a child go ahead when consent is given, or when a MASH team manager records "
      "why they must go ahead without it.");
  for (std::size_t i = 0; i < children; ++i) {
    const std::string name =
        i < e.child_names.size() ? e.child_names[i] : "Child " + std::to_string(i + 1);
    const auto* c = e.consent.consent_for(i);
    std::vector<SummaryListRow> rows;
    rows.push_back(row("Consent", c ? Html(std::string(domain::label(c->decision)))
                                    : Html("Nothing recorded yet")));
    if (c && !c->given_by.empty()) rows.push_back(row("Who answered", c->given_by));
    if (c && !c->notes.empty()) rows.push_back(row("Notes", paragraphs(c->notes)));
    if (c) rows.push_back(row("Recorded", domain::format_london(c->recorded_at)));
    if (c && c->override) {
      rows.push_back(row("Checks without consent", std::string(domain::label(c->override->basis))));
      rows.push_back(row("Why", paragraphs(c->override->reason)));
      rows.push_back(row("Agreed by", c->override->manager_name));
    }
    const bool may_proceed = c && (c->decision == domain::ConsentDecision::kGiven || c->override);
    rows.push_back(row("Checks", may_proceed ? "Can go ahead"
                                             : "Cannot go ahead until consent is given or a "
                                               "manager agrees checks without it"));
    out += card(name, std::move(rows));
    if (m.contact.is_closed()) continue;
    if (e.can_record_consent) out += consent_form(chrome, m, i, name);
    if (e.can_override_consent && !(c && c->decision == domain::ConsentDecision::kGiven)) {
      out += override_form(chrome, m, i, name);
    }
  }
  return out;
}

std::string people_names(const CheckModel& c) {
  std::vector<std::string> names;
  names.reserve(c.people.size());
  for (const auto& p : c.people) names.push_back(p.name);
  return join(names, ", ");
}

Html checks_table(const ContactPageModel& m) {
  TableParams t;
  t.caption = "Checks asked of partner agencies, in the order asked";
  t.caption_classes = "govuk-table__caption--s";
  for (const char* h : {"Check", "Agency", "About", "Status", "Due"}) t.head.push_back(cell(h));
  for (const auto& c : m.enquiry->checks) {
    Html agency = Html(check_label(c));
    if (c.check.parent_check) agency += Html(", asked by the health check " + c.parent_reference);
    t.rows.push_back({cell(link(check_href(c.check.id), c.reference)), cell(agency),
                      cell(people_names(c)), cell(check_status_tag(c.check.status)),
                      cell(due_text(c.check.due_at, m.now, c.check.is_open()))});
  }
  return table(t);
}

Html withdraw_form(const Chrome& chrome, const ContactPageModel& m, const CheckModel& c) {
  const std::string form_name = "withdraw-" + std::to_string(c.check.id);
  const FormState form = state_for(m, form_name);
  Html f = textarea_with_id(form, "reason", form_name + "-reason",
                            "Why is the check no longer needed?", "", 3);
  f += submit_button("Withdraw check", "govuk-button--warning");
  const Html posted = post_form(
      check_href(c.check.id) + "/withdraw", chrome, f,
      {{"version", std::to_string(c.check.version)}, {"contact_id", std::to_string(m.contact.id)}});
  return in_details("Withdraw " + c.reference + " (" + check_label(c) + ")", posted,
                    m.active_form == form_name, form_name + "-details");
}

// Every agency's answer for each person asked about: one column per check.
Html side_by_side(const ContactPageModel& m) {
  const auto& checks = m.enquiry->checks;
  std::vector<std::pair<std::int64_t, std::string>> people;
  for (const auto& c : checks) {
    for (const auto& p : c.people) {
      const bool seen = std::any_of(people.begin(), people.end(),
                                    [&](const auto& q) { return q.first == p.person_id; });
      if (!seen) people.emplace_back(p.person_id, p.name);
    }
  }
  TableParams t;
  t.caption = "What each agency said, side by side";
  t.caption_classes = "govuk-table__caption--s";
  t.classes = "app-table--wrap";  // partners' text may hold long unbroken references
  t.first_cell_is_header = true;
  t.head.push_back(cell("Person"));
  for (const auto& c : checks) {
    HtmlWriter h;
    h.text(check_label(c)).raw("<br><span class=\"govuk-body-s\">").text(c.reference);
    h.raw("</span>");
    t.head.push_back(cell(h.done()));
  }
  for (const auto& [person_id, name] : people) {
    std::vector<TableCell> r{cell(name)};
    for (const auto& c : checks) {
      const bool asked = std::find(c.check.people.begin(), c.check.people.end(), person_id) !=
                         c.check.people.end();
      if (!asked) {
        r.push_back(cell("Not asked"));
      } else if (c.check.status == CheckStatus::kWithdrawn) {
        r.push_back(cell("Withdrawn"));
      } else if (c.check.is_open()) {
        Html waiting("Awaiting answer");
        if (c.check.overdue(m.now)) waiting = overdue_tag() + Html(" Awaiting answer");
        r.push_back(cell(waiting));
      } else if (const auto* a = answer_for(c.check, person_id)) {
        r.push_back(cell(answer_html(*a)));
      } else {
        r.push_back(cell("No answer"));
      }
    }
    t.rows.push_back(std::move(r));
  }
  return table(t);
}

Html request_form(const Chrome& chrome, const ContactPageModel& m) {
  const auto& e = *m.enquiry;
  const FormState form = state_for(m, "check");
  Html f = heading("Ask an agency to check its records", 3, "s");
  SelectParams agency;
  agency.name = "agency_id";
  agency.value = form.value("agency_id");
  agency.label.text = "Agency";
  agency.items.push_back(SelectItem{std::string(), "Choose an agency", std::nullopt, false, {}});
  for (const auto& a : e.agencies) {
    agency.items.push_back(SelectItem{std::to_string(a.id), a.name, std::nullopt, false, {}});
  }
  agency.error_message = field_error(form, "agency_id");
  f += select(agency);
  CheckboxesParams people;
  people.name = "people";
  people.id_prefix = "people";
  people.values = values_of(form.value("people"));
  people.fieldset = legend("Who should they check?");
  people.hint = FieldHint{
      "Adults without a person record get one, so that the agency can be asked about them", "", {}};
  for (const auto& s : e.subjects) {
    ChoiceItem item = choice(s.name.empty() ? std::string("Name not known") : s.name, s.value);
    item.hint = FieldHint{s.description, "", {}};
    people.items.push_back(std::move(item));
  }
  people.error_message = field_error(form, "people");
  f += checkboxes(people);
  f += text_area(form, "question", "What do you want them to check?",
                 "For example, any domestic abuse call-outs to the address in the last year", 4);
  CheckboxesParams shared;
  shared.name = "shared";
  shared.id_prefix = "shared";
  shared.values = values_of(form.value("shared"));
  shared.fieldset = legend("What else of the contact may they see?");
  shared.hint = FieldHint{
      "They always see the names, dates of birth and addresses of the people they are asked "
      "about. Share no more than they need.",
      "",
      {}};
  for (const auto part : domain::kAllSharedParts) {
    shared.items.push_back(
        choice(std::string(domain::label(part)), std::string(domain::to_string(part))));
  }
  f += checkboxes(shared);
  f += submit_button("Request check");
  return post_form(contact_href(m.contact.id) + "/checks", chrome, f);
}

Html checks_section(const Chrome& chrome, const ContactPageModel& m) {
  const auto& e = *m.enquiry;
  const auto& c = m.contact;
  Html out = heading_with_id("Checks with partner agencies", 2, "m", "checks");
  if (e.checks.empty()) {
    out += paragraph("No agency has been asked to check its records yet.");
  } else {
    out += checks_table(m);
    if (e.can_request_check && !c.is_closed()) {
      for (const auto& check : e.checks) {
        if (check.check.is_open()) out += withdraw_form(chrome, m, check);
      }
    }
    out += side_by_side(m);
  }
  if (!e.can_request_check) return out;
  if (c.status == domain::ContactStatus::kAwaitingDecision) {
    out += request_form(chrome, m);
  } else if (c.status == domain::ContactStatus::kAwaitingScreening) {
    out += paragraph("Screen the contact before asking agencies to check their records.");
  }
  return out;
}

std::size_t outstanding_checks(const ContactPageModel& m) {
  if (!m.enquiry) return 0;
  const auto& open = m.enquiry->progress.open;
  const auto& early = m.contact.early_decision;
  return static_cast<std::size_t>(std::count_if(open.begin(), open.end(), [&](std::int64_t id) {
    return !early || std::find(early->open_checks.begin(), early->open_checks.end(), id) ==
                         early->open_checks.end();
  }));
}

}  // namespace

namespace pages {

Html enquiry_section(const Chrome& chrome, const ContactPageModel& m) {
  if (!m.enquiry) return {};
  return consent_section(chrome, m) + checks_section(chrome, m);
}

Html checks_before_decision(const Chrome& chrome, const ContactPageModel& m) {
  const auto& c = m.contact;
  Html out;
  if (c.early_decision) {
    const auto& early = *c.early_decision;
    InsetTextParams inset;
    inset.text = paragraph("A manager agreed the decision could be made before " +
                           plural(static_cast<long long>(early.open_checks.size()), "check was",
                                  "checks were") +
                           " in.") +
                 paragraphs(early.reason) +
                 paragraph("Agreed by " + early.by + ", " + domain::format_london(early.at));
    out += inset_text(inset);
  }
  if (c.status != domain::ContactStatus::kAwaitingDecision) return out;
  const auto outstanding = outstanding_checks(m);
  if (outstanding == 0) return out;
  WarningTextParams w;
  w.text = plural(static_cast<long long>(outstanding), "check is", "checks are") +
           " still outstanding. The decision can be recorded when they are answered, or when a "
           "MASH team manager records why it cannot wait.";
  out += warning_text(w);
  if (m.enquiry && m.enquiry->can_allow_early_decision) {
    const FormState form = state_for(m, "early_decision");
    Html f = heading("Decide before the checks are in", 3, "s");
    f += text_area(form, "early_reason", "Why can the decision not wait for the checks?",
                   "You are recorded as the manager who agreed", 4);
    f += submit_button("Allow the decision now", "govuk-button--secondary");
    out += post_form(contact_href(c.id) + "/early-decision", chrome, f,
                     {{"version", std::to_string(c.version)}});
  }
  return out;
}

Html relied_on_field(const ContactPageModel& m, const FormState& form) {
  if (!m.enquiry) return {};
  CheckboxesParams cb;
  cb.name = "relied_on_checks";
  cb.id_prefix = "relied_on_checks";
  cb.values = values_of(form.value("relied_on_checks"));
  cb.fieldset = legend("Information this decision relied on");
  cb.hint = FieldHint{"The partner agencies\u2019 answers you took into account", "", {}};
  for (const auto& c : m.enquiry->checks) {
    if (c.check.status != CheckStatus::kAnswered) continue;
    std::string text = check_label(c) + " (" + c.reference + ")";
    if (c.check.answered_at) text += ", answered " + domain::format_london(*c.check.answered_at);
    cb.items.push_back(choice(text, std::to_string(c.check.id)));
  }
  if (cb.items.empty()) return {};
  cb.error_message = field_error(form, "relied_on_checks");
  return checkboxes(cb);
}

Html relied_on_list(const ContactPageModel& m, const std::vector<std::int64_t>& check_ids) {
  if (check_ids.empty()) return Html("No partner agency\u2019s answer");
  HtmlWriter w;
  w.raw("<ul class=\"govuk-list\">");
  for (const auto id : check_ids) {
    const CheckModel* found = nullptr;
    if (m.enquiry) {
      for (const auto& c : m.enquiry->checks) {
        if (c.check.id == id) found = &c;
      }
    }
    w.raw("<li>");
    if (found != nullptr) {
      w.html(link(check_href(id), found->reference)).text(" " + check_label(*found));
    } else {
      w.html(link(check_href(id), "Check " + std::to_string(id)));
    }
    w.raw("</li>");
  }
  w.raw("</ul>");
  return w.done();
}

Html overdue_checks_banner(const std::vector<CheckLineModel>& checks, Instant now) {
  if (checks.empty()) return {};
  HtmlWriter w;
  w.raw("<p class=\"govuk-notification-banner__heading\">");
  w.text(plural(static_cast<long long>(checks.size()), "partner agency check is",
                "partner agency checks are") +
         " overdue");
  w.raw("</p>\n<ul class=\"govuk-list\">\n");
  for (const auto& c : checks) {
    w.raw("<li>").html(link(contact_href(c.contact_id), c.contact_reference));
    w.text(": " + c.reference + " to " + check_label(c.agency_name, c.sub_request, c.service) +
           ", due " + domain::format_london(c.due_at) + " (" + time_remaining(c.due_at, now) + ")");
    w.raw("</li>\n");
  }
  w.raw("</ul>\n");
  NotificationBannerParams banner;
  banner.title_text = "Overdue checks";
  banner.title_id = "overdue-checks-title";
  banner.html = w.done();
  return notification_banner(banner);
}

}  // namespace pages

// ---------------------------------------------------------------------------
// GET /checks: an agency's queue
// ---------------------------------------------------------------------------

Html agency_checks_page(const Chrome& chrome, const std::string& agency_name,
                        const std::vector<CheckLineModel>& checks, Instant now) {
  const std::string title =
      agency_name.empty() ? std::string("Your agency\u2019s checks") : "Checks for " + agency_name;
  Html body = heading(title, 1, "l");
  body += paragraph(
      "What the MASH has asked your agency to check. Open checks come first, the soonest due "
      "first; answered and withdrawn checks stay here for a few days.");
  const auto overdue = std::count_if(checks.begin(), checks.end(),
                                     [](const CheckLineModel& c) { return c.overdue; });
  if (overdue > 0) {
    WarningTextParams w;
    w.text = plural(overdue, "check is", "checks are") +
             " overdue. The MASH and your agency\u2019s lead can see that they are late.";
    body += warning_text(w);
  }
  auto about = [](const CheckLineModel& c) {
    std::string text = plural(c.people, "person", "people");
    if (c.sub_request && !c.service.empty()) text = c.service + ": " + text;
    return text;
  };
  TableParams open;
  open.caption = "Open checks, the soonest due first";
  open.caption_classes = "govuk-table__caption--m";
  for (const char* h : {"Check", "Contact", "About", "Requested", "Due", "Status"}) {
    open.head.push_back(cell(h));
  }
  TableParams closed;
  closed.caption = "Answered or withdrawn lately";
  closed.caption_classes = "govuk-table__caption--m";
  for (const char* h : {"Check", "Contact", "About", "Answered", "Status"}) {
    closed.head.push_back(cell(h));
  }
  for (const auto& c : checks) {
    if (c.status == CheckStatus::kRequested) {
      open.rows.push_back({cell(link(check_href(c.id), c.reference)), cell(c.contact_reference),
                           cell(about(c)), cell(domain::format_london(c.requested_at)),
                           cell(due_text(c.due_at, now, true)), cell(check_status_tag(c.status))});
    } else {
      closed.rows.push_back({cell(link(check_href(c.id), c.reference)), cell(c.contact_reference),
                             cell(about(c)),
                             cell(c.answered_at ? domain::format_london(*c.answered_at)
                                                : std::string("Not answered")),
                             cell(check_status_tag(c.status))});
    }
  }
  body += open.rows.empty() ? heading("Open checks", 2, "m") +
                                  paragraph("There are no open checks for your agency.")
                            : table(open);
  if (!closed.rows.empty()) body += table(closed);
  return render(chrome, title, false, body);
}

// ---------------------------------------------------------------------------
// GET /checks/{id}: one check
// ---------------------------------------------------------------------------

namespace {

Html check_summary(const CheckPageModel& m) {
  const auto& v = m.view;
  const auto& c = v.check;
  std::vector<SummaryListRow> rows;
  rows.push_back(row("Agency", check_label(v)));
  if (c.parent_check) {
    rows.push_back(row("Sub-request of", link(check_href(*c.parent_check),
                                              "the health check " + v.parent_reference)));
  }
  rows.push_back(row("Contact", m.mash_reader
                                    ? link(contact_href(c.contact_id), v.contact_reference)
                                    : Html(v.contact_reference)));
  rows.push_back(row("Asked by", v.requested_by + ", " + domain::format_london(c.requested_at)));
  rows.push_back(row("Due", due_text(c.due_at, m.now, c.is_open())));
  if (c.answered_at) rows.push_back(row("Answered", domain::format_london(*c.answered_at)));
  if (c.withdrawn_at) {
    rows.push_back(row("Withdrawn", Html(domain::format_london(*c.withdrawn_at)) +
                                        paragraphs(c.withdrawn_reason)));
  }
  return rows_list(std::move(rows));
}

Html people_to_check(const CheckPageModel& m) {
  Html out = heading("People to check", 2, "m");
  for (const auto& p : m.view.people) {
    std::vector<SummaryListRow> rows;
    if (!p.role.empty()) rows.push_back(row("On the contact", p.role));
    rows.push_back(row("Date of birth", long_date(p.date_of_birth)));
    rows.push_back(row("Address", p.address.empty() ? std::string("Not known") : p.address));
    std::string nhs = "Not known";
    if (!p.nhs_number.empty()) {
      auto parsed = domain::NhsNumber::parse(p.nhs_number);
      nhs = parsed.ok() ? parsed.value().formatted() : p.nhs_number;
    }
    rows.push_back(row("NHS number", nhs));
    out += card(p.name.empty() ? std::string("Name not known") : p.name, std::move(rows));
  }
  return out;
}

Html shared_section(const CheckPageModel& m) {
  const auto& v = m.view;
  Html out = heading("What the MASH shared about the contact", 2, "m");
  if (m.mash_reader) {
    if (v.check.shared.empty()) return out + paragraph("Only the people to check.");
    HtmlWriter w;
    w.raw("<p class=\"govuk-body\">Besides the people to check:</p>\n");
    w.raw("<ul class=\"govuk-list govuk-list--bullet\">\n");
    for (const auto part : v.check.shared) {
      w.raw("<li>").text(domain::label(part)).raw("</li>\n");
    }
    w.raw("</ul>\n");
    return out + w.done();
  }
  std::vector<SummaryListRow> rows;
  if (!v.concerns.empty()) rows.push_back(row("Concerns", paragraphs(v.concerns)));
  if (!v.address.empty()) rows.push_back(row("Address", v.address));
  if (!v.household.empty()) {
    HtmlWriter w;
    w.raw("<ul class=\"govuk-list\">");
    for (const auto& h : v.household) w.raw("<li>").text(h).raw("</li>");
    w.raw("</ul>");
    rows.push_back(row("Others on the contact", w.done()));
  }
  if (!v.referrer.empty()) rows.push_back(row("Referrer", v.referrer));
  if (rows.empty()) return out + paragraph("The MASH shared only the people to check.");
  return out + rows_list(std::move(rows));
}

Html the_answer(const CheckPageModel& m) {
  const auto& c = m.view.check;
  if (c.status != CheckStatus::kAnswered) return {};
  Html out = heading("The answer", 2, "m");
  for (const auto& p : m.view.people) {
    const auto* a = answer_for(c, p.person_id);
    if (a == nullptr) continue;
    std::vector<SummaryListRow> rows;
    rows.push_back(row("Known to the agency", yes_no(a->known)));
    if (a->known) rows.push_back(row("What is held", paragraphs(a->summary)));
    if (!a->relevance.empty()) rows.push_back(row("Relevance", paragraphs(a->relevance)));
    if (!a->risk.empty()) rows.push_back(row("Risk", paragraphs(a->risk)));
    if (!a->source_system.empty()) rows.push_back(row("Source system", a->source_system));
    if (!a->source_reference.empty()) rows.push_back(row("Source reference", a->source_reference));
    out += card(p.name, std::move(rows));
  }
  return out;
}

Html answer_form(const Chrome& chrome, const CheckPageModel& m) {
  const FormState form = state_for(m, "answer");
  const auto& v = m.view;
  Html f;
  for (std::size_t i = 0; i < v.people.size(); ++i) {
    const auto& p = v.people[i];
    const std::string prefix = "person" + std::to_string(i + 1) + "_";
    Html person = hidden(prefix + "id", std::to_string(p.person_id));
    RadiosParams known;
    known.name = prefix + "known";
    known.value = form.value(prefix + "known");
    known.classes = "govuk-radios--inline";
    known.fieldset = legend("Does your agency hold information about " + p.name + "?");
    known.items = {choice("Yes", "yes"), choice("No", "no")};
    known.error_message = field_error(form, prefix + "known");
    person += radios(known);
    person += text_area(form, prefix + "summary", "What your agency holds",
                        "Needed if yes: what is held, how recent it is, and how reliable", 5);
    person +=
        text_area(form, prefix + "relevance", "Why it matters to this contact (optional)", "", 3);
    person += text_area(form, prefix + "risk", "Your view of the risk (optional)", "", 3);
    person += text_input(form, prefix + "source_system", "Source system (optional)",
                         "govuk-input--width-20", "off", "The system the information is held in");
    person += text_input(form, prefix + "source_reference", "Reference in that system (optional)",
                         "govuk-input--width-20", "off");
    FieldsetParams fs;
    fs.legend.text = p.name.empty() ? std::string("Name not known") : p.name;
    fs.legend.classes = "govuk-fieldset__legend--m";
    fs.html = person;
    f += fieldset(fs);
  }
  f += submit_button("Send answer");
  return heading_with_id("Answer this check", 2, "l", "answer") +
         post_form(check_href(v.check.id) + "/answer", chrome, f,
                   {{"version", std::to_string(v.check.version)}});
}

Html sub_request_form(const Chrome& chrome, const CheckPageModel& m) {
  const FormState form = state_for(m, "sub_request");
  const auto& v = m.view;
  Html f = heading_with_id("Ask a health service", 2, "m", "sub-request");
  f += paragraph(
      "Ask a GP, health visitor, school nurse or mental health service about the people on this "
      "check. The request is tracked to its own answer.");
  SelectParams service;
  service.name = "service";
  service.value = form.value("service");
  service.label.text = "Service to ask";
  service.items.push_back(SelectItem{std::string(), "Choose a service", std::nullopt, false, {}});
  for (const auto& s : m.services)
    service.items.push_back(SelectItem{s, s, std::nullopt, false, {}});
  service.error_message = field_error(form, "service");
  f += select(service);
  CheckboxesParams people;
  people.name = "people";
  people.id_prefix = "people";
  people.values = values_of(form.value("people"));
  people.fieldset = legend("Who should they check?");
  for (const auto& p : v.people)
    people.items.push_back(choice(p.name, std::to_string(p.person_id)));
  people.error_message = field_error(form, "people");
  f += checkboxes(people);
  f += text_area(form, "question", "What do you want them to check?", "", 4);
  f += submit_button("Send sub-request", "govuk-button--secondary");
  return post_form(check_href(v.check.id) + "/sub-requests", chrome, f);
}

Html sub_requests_table(const CheckPageModel& m) {
  if (m.view.sub_requests.empty()) return {};
  TableParams t;
  t.caption = "Sub-requests to health services";
  t.caption_classes = "govuk-table__caption--m";
  for (const char* h : {"Check", "Service", "Status", "Due"}) t.head.push_back(cell(h));
  for (const auto& s : m.view.sub_requests) {
    t.rows.push_back({cell(link(check_href(s.id), s.reference)), cell(s.service),
                      cell(check_status_tag(s.status)),
                      cell(due_text(s.due_at, m.now, s.status == CheckStatus::kRequested))});
  }
  return table(t);
}

}  // namespace

Html check_page(const Chrome& chrome, const CheckPageModel& m) {
  const auto& v = m.view;
  const auto& c = v.check;
  Html before =
      m.mash_reader
          ? back_link(BackLinkParams{
                contact_href(c.contact_id), "Back to contact " + v.contact_reference, "", {}})
          : back_link(BackLinkParams{"/checks", "Back to your agency\u2019s checks", "", {}});
  Html body = error_summary_for(m.form);
  HtmlWriter caption;
  caption.raw("<span class=\"govuk-caption-l\">").text(check_label(v)).raw("</span>\n");
  body += caption.done() + heading("Check " + v.reference, 1, "l");
  HtmlWriter tags;
  tags.raw("<p class=\"govuk-body\">").html(check_status_tag(c.status));
  if (c.overdue(m.now)) tags.raw(" ").html(overdue_tag());
  tags.raw("</p>\n");
  body += tags.done();
  if (m.can_answer) {
    body += Html::trusted("<p class=\"govuk-body\">") + link("#answer", "Answer this check") +
            Html::trusted("</p>\n");
  }
  body += check_summary(m);
  body += heading("What the MASH asks", 2, "m") + paragraphs(c.question);
  body += people_to_check(m);
  body += shared_section(m);
  body += sub_requests_table(m);
  body += the_answer(m);
  if (m.can_answer) body += answer_form(chrome, m);
  if (m.can_sub_request) body += sub_request_form(chrome, m);
  return render(chrome, "Check " + v.reference, m.form.has_errors(), body, before);
}

// ---------------------------------------------------------------------------
// GET /partnership
// ---------------------------------------------------------------------------

Html partnership_page(const Chrome& chrome, const PartnershipModel& m) {
  const std::string title = "How the partnership is doing";
  Html body = heading(title, 1, "l");
  SubNavigationParams periods;
  periods.label = "Period";
  for (int days : {7, 28, 90}) {
    NavItem item;
    item.href = "/partnership?days=" + std::to_string(days);
    item.text = "Last " + std::to_string(days) + " days";
    item.active = days == m.days;
    periods.items.push_back(std::move(item));
  }
  body += moj_sub_navigation(periods);
  body += paragraph("Checks requested from " + domain::format_london(m.from) + " to " +
                    domain::format_london(m.to) +
                    ". Response times are on each check\u2019s own clock: working hours where "
                    "the check policy counts working hours, otherwise hours as they pass.");

  TableParams agencies;
  agencies.caption = "Checks by agency";
  agencies.caption_classes = "govuk-table__caption--m";
  agencies.first_cell_is_header = true;
  agencies.head.push_back(cell("Agency"));
  for (const char* h : {"Requested", "Answered", "Answered on time", "Median response",
                        "90th percentile", "Overdue now"}) {
    agencies.head.push_back(cell(h, CellFormat::kNumeric));
  }
  auto time_or_dash = [](const std::optional<std::chrono::minutes>& t) {
    return t ? duration_text(*t) : std::string("\u2013");
  };
  for (const auto& a : m.agencies) {
    const auto& f = a.figures;
    std::string on_time = std::to_string(f.answered_on_time);
    if (f.answered > 0) {
      on_time +=
          " (" + std::to_string((f.answered_on_time * 100 + f.answered / 2) / f.answered) + "%)";
    }
    agencies.rows.push_back(
        {cell(a.name), cell(std::to_string(f.requested), CellFormat::kNumeric),
         cell(std::to_string(f.answered), CellFormat::kNumeric),
         cell(on_time, CellFormat::kNumeric), cell(time_or_dash(f.median), CellFormat::kNumeric),
         cell(time_or_dash(f.p90), CellFormat::kNumeric),
         cell(f.overdue_now > 0 ? overdue_tag() + Html(" " + std::to_string(f.overdue_now))
                                : Html("0"),
              CellFormat::kNumeric)});
  }
  body += m.agencies.empty() ? heading("Checks by agency", 2, "m") +
                                   paragraph("No checks were requested in this period.")
                             : table(agencies);

  if (!m.contacts.empty()) {
    body += heading("Time from receipt to all checks in", 2, "m");
    std::string summary = plural(static_cast<long long>(m.contacts.size()), "contact", "contacts") +
                          " had checks asked in this period; " + std::to_string(m.contacts_all_in) +
                          " have every answer in.";
    if (m.all_in_median && m.all_in_p90) {
      summary += " From receipt to the last answer: median " + duration_text(*m.all_in_median) +
                 ", 90th percentile " + duration_text(*m.all_in_p90) + ".";
    }
    body += paragraph(summary);
    auto contact_cell = [&](const PartnershipModel::ContactRow& c) {
      return cell(m.link_contacts ? link(contact_href(c.contact_id), c.reference)
                                  : Html(c.reference));
    };
    TableParams waiting;
    waiting.caption = "Contacts still waiting for checks";
    waiting.caption_classes = "govuk-table__caption--s";
    waiting.first_cell_is_header = true;
    waiting.head = {cell("Contact"), cell("Checks still open", CellFormat::kNumeric)};
    for (const auto& c : m.contacts) {
      if (c.open_checks == 0) continue;
      waiting.rows.push_back(
          {contact_cell(c), cell(std::to_string(c.open_checks), CellFormat::kNumeric)});
    }
    if (!waiting.rows.empty()) body += table(waiting);
    // The slowest ten, to look into; every contact's time is in the figures above.
    std::vector<const PartnershipModel::ContactRow*> in;
    for (const auto& c : m.contacts) {
      if (c.all_checks_in) in.push_back(&c);
    }
    std::sort(in.begin(), in.end(),
              [](const auto* a, const auto* b) { return *a->all_checks_in > *b->all_checks_in; });
    if (in.size() > 10) in.resize(10);
    TableParams slowest;
    slowest.caption = "Slowest to have every answer in";
    slowest.caption_classes = "govuk-table__caption--s";
    slowest.first_cell_is_header = true;
    slowest.head = {cell("Contact"), cell("Receipt to all checks in", CellFormat::kNumeric)};
    for (const auto* c : in) {
      slowest.rows.push_back(
          {contact_cell(*c), cell(duration_text(*c->all_checks_in), CellFormat::kNumeric)});
    }
    if (!slowest.rows.empty()) body += table(slowest);
  }

  body += heading("Consent for the children of these contacts", 2, "m");
  std::vector<SummaryListRow> consent;
  consent.push_back(row("Given", std::to_string(m.consent_given)));
  consent.push_back(row("Refused or withdrawn", std::to_string(m.consent_refused_or_withdrawn)));
  consent.push_back(
      row("Checks without consent, agreed by a manager", std::to_string(m.consent_overridden)));
  consent.push_back(row("Not recorded, or awaited", std::to_string(m.consent_pending)));
  body += rows_list(std::move(consent));
  return render(chrome, title, false, body);
}

}  // namespace frontdoor::web
