// The MASH enquiry's own pages (issue #3): an agency's queue of checks, one
// check with its answer and sub-request forms, and how the partnership is
// doing.
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
using domain::CheckStatus;

namespace {

FormState state_for(const CheckPageModel& m, const std::string& form_name) {
  if (m.active_form == form_name) return m.form;
  return {};
}

}  // namespace

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
