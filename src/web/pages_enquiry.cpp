// The MASH enquiry (issue #3) on the contact page: consent, partner agencies'
// checks and their answers side by side, the decision's wait for them, and
// the MASH queue's overdue checks. The enquiry's own pages are in
// pages_checks.cpp.
#include <algorithm>
#include <sstream>

#include "domain/identifiers.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_enquiry_support.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;          // NOLINT(google-build-using-namespace)
using namespace enquiry_pages;  // NOLINT(google-build-using-namespace)

namespace {

using domain::CheckStatus;

FormState state_for(const ContactPageModel& m, const std::string& form_name) {
  if (m.active_form == form_name) return m.form;
  return {};
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

}  // namespace frontdoor::web
