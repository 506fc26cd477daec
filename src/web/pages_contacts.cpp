// The MASH queue, recording a new contact, and the contact page.
#include <algorithm>
#include <sstream>

#include "domain/codes.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

namespace {

using domain::ContactStatus;

std::string family_aware_label(domain::FamilyAware f) {
  switch (f) {
    case domain::FamilyAware::kYes:
      return "Yes";
    case domain::FamilyAware::kNo:
      return "No";
    case domain::FamilyAware::kNotKnown:
      return "Not known";
  }
  return "Not known";
}

std::string child_name(const domain::ChildOnContact& c) {
  std::string name = full_name(c.given_name, c.family_name);
  if (name.empty()) name = c.unborn ? "Unborn baby" : "Name not known";
  return name;
}

Html text_or_none(const std::string& text) {
  return text.empty() ? Html("None given") : paragraphs(text);
}

}  // namespace

namespace {

// GOV.UK pagination: first, last, and the pages either side of the current.
Html queue_pagination(const QueuePosition& at) {
  if (at.pages <= 1) return Html();
  auto href = [](int page) { return "/queue?page=" + std::to_string(page); };
  PaginationParams p;
  p.landmark_label = "Pages of the MASH queue";
  if (at.page > 1) p.previous = PaginationLink{href(at.page - 1), Html("Previous"), Html()};
  if (at.page < at.pages) p.next = PaginationLink{href(at.page + 1), Html("Next"), Html()};
  bool gap = false;
  for (int n = 1; n <= at.pages; ++n) {
    if (n == 1 || n == at.pages || (n >= at.page - 1 && n <= at.page + 1)) {
      PaginationItem item;
      item.number = std::to_string(n);
      item.href = href(n);
      item.current = n == at.page;
      p.items.push_back(std::move(item));
      gap = false;
    } else if (!gap) {
      PaginationItem ellipsis;
      ellipsis.ellipsis = true;
      p.items.push_back(std::move(ellipsis));
      gap = true;
    }
  }
  return pagination(p);
}

}  // namespace

Html queue_page(const Chrome& chrome, const std::vector<domain::QueueItem>& items, Instant now,
                const QueuePosition& position, const std::vector<CheckLineModel>& overdue_checks) {
  Html body = heading("MASH queue", 1, "l");
  body += overdue_checks_banner(overdue_checks, now);
  ButtonParams record;
  record.text = "Record a new contact";
  record.href = "/contacts/new";
  record.classes = "govuk-button--secondary";
  body += button(record);

  const auto overdue =
      position.overdue >= 0
          ? position.overdue
          : std::count_if(items.begin(), items.end(), [&](const domain::QueueItem& i) {
              return i.status != ContactStatus::kCompleted && i.decision_due_at < now;
            });
  if (overdue > 0) {
    WarningTextParams w;
    w.text = overdue == 1 ? std::string("1 contact is past its decision deadline")
                          : std::to_string(overdue) + " contacts are past their decision deadline";
    body += warning_text(w);
  }
  if (items.empty()) {
    body += paragraph("There are no contacts in the queue.");
    return render(chrome, "MASH queue", false, body);
  }
  TableParams t;
  t.caption = position.pages > 1
                  ? "Contacts, the nearest decision deadline first (page " +
                        std::to_string(position.page) + " of " + std::to_string(position.pages) +
                        ", " + std::to_string(position.open) + " open)"
                  : std::string("Contacts, the nearest decision deadline first");
  t.caption_classes = "govuk-table__caption--m";
  for (const char* h : {"Reference", "Children", "Received", "Status", "RAG", "Decision due"}) {
    t.head.push_back(TableCell{h, CellFormat::kText, 0, 0, "", {}});
  }
  for (const auto& item : items) {
    std::vector<TableCell> r(6);
    r[0].text = link(contact_href(item.id), item.reference);
    r[1].text = item.children.empty() ? std::string("Not recorded") : join(item.children, ", ");
    r[2].text = domain::format_london(item.received_at);
    r[3].text = status_tag(item.status);
    if (item.status == ContactStatus::kCompleted && item.outcome) {
      r[3].text += Html::trusted("<br>") + Html(std::string(domain::label(*item.outcome)));
    }
    r[4].text = item.rag ? rag_tag(*item.rag) : Html("Not screened");
    r[5].text = item.status == ContactStatus::kCompleted ? Html("Decision made")
                                                         : deadline(item.decision_due_at, now);
    t.rows.push_back(std::move(r));
  }
  body += table(t);
  body += queue_pagination(position);
  return render(chrome, "MASH queue", false, body);
}

Html new_contact_page(const Chrome& chrome, const FormState& form,
                      const std::vector<AgencyOption>& agencies) {
  Html body = error_summary_for(form);
  body += heading("Record a new contact", 1, "l");
  Html f;

  RadiosParams channel;
  channel.name = "channel";
  channel.value = form.value("channel");
  channel.fieldset = legend("How did the concern reach the MASH?", "govuk-fieldset__legend--m");
  for (auto c : {domain::ContactChannel::kPhone, domain::ContactChannel::kEmail,
                 domain::ContactChannel::kInPerson, domain::ContactChannel::kEdt}) {
    ChoiceItem item;
    item.text = std::string(domain::label(c));
    item.value = std::string(domain::to_string(c));
    channel.items.push_back(std::move(item));
  }
  channel.error_message = field_error(form, "channel");
  f += radios(channel);

  f += date_field(form, "received", "When was it received?", "For example, 27 3 2026");
  f += text_input(form, "received_time", "Time received", "govuk-input--width-5", "",
                  "Use the 24-hour clock, for example 14:30");

  f += heading("Who is raising the concern", 2, "m");
  SelectParams source;
  source.name = "source_code";
  source.value = form.value("source_code");
  source.label.text = "Source of the contact";
  source.items.push_back(SelectItem{std::string(), "Select a source", std::nullopt, false, {}});
  for (const auto& code : domain::referral_sources()) {
    source.items.push_back(SelectItem{std::string(code.code),
                                      std::string(code.code) + " " + std::string(code.label),
                                      std::nullopt,
                                      false,
                                      {}});
  }
  source.error_message = field_error(form, "source_code");
  f += select(source);
  f += text_input(form, "referrer_name", "Their name", "", "off");
  f += text_input(form, "referrer_role", "Their role", "", "off", "For example, class teacher");
  SelectParams agency;
  agency.name = "referrer_agency_id";
  agency.value = form.value("referrer_agency_id");
  agency.label.text = "Their agency";
  agency.items.push_back(SelectItem{std::string(), "Not from an agency", std::nullopt, false, {}});
  for (const auto& a : agencies) {
    agency.items.push_back(SelectItem{std::to_string(a.id), a.name, std::nullopt, false, {}});
  }
  agency.error_message = field_error(form, "referrer_agency_id");
  f += select(agency);
  f += text_input(form, "referrer_email", "Their e-mail address", "", "off", "", "email");
  f += text_input(form, "referrer_phone", "Their phone number", "govuk-input--width-20", "off", "",
                  "tel");

  f += heading("The children", 2, "m");
  for (int n = 1; n <= 3; ++n) {
    const std::string p = "child" + std::to_string(n) + "_";
    Html child;
    child += text_input(form, p + "given_name", "First name", "", "off");
    child += text_input(form, p + "family_name", "Last name", "", "off");
    child += date_field(form, p + "dob", "Date of birth", "For example, 5 9 2019");
    // People already known who may be this child, filled in as the worker
    // types (assets/src/person-suggestions.js); without script, screening
    // offers them instead.
    child += Html::trusted("<div class=\"app-person-suggestions\" data-child=\"" + p +
                           "\" aria-live=\"polite\"></div>\n");
    RadiosParams sex;
    sex.name = p + "sex";
    sex.value = form.value(p + "sex");
    sex.classes = "govuk-radios--small";
    sex.fieldset = legend("Sex", "govuk-fieldset__legend--s");
    for (const auto& g : domain::genders()) {
      sex.items.push_back(choice(std::string(g.label), std::string(g.code)));
    }
    sex.error_message = field_error(form, p + "sex");
    child += radios(sex);
    FieldsetParams fs;
    fs.legend.text = n == 1 ? std::string("Child 1") : "Child " + std::to_string(n) + " (if any)";
    fs.legend.classes = "govuk-fieldset__legend--s";
    fs.html = child;
    f += fieldset(fs);
  }

  f += heading("Where the children live", 2, "m");
  f += text_input(form, "address_line", "Address", "", "off");
  f += text_input(form, "postcode", "Postcode", "govuk-input--width-10", "off");

  f += heading("The concern", 2, "m");
  f += text_area(form, "concerns", "What are they worried about?",
                 "What has happened, when, and who was involved", 8);
  f += text_area(form, "child_views", "What does the child say? (optional)",
                 "Their own words and what daily life is like for them");
  RadiosParams aware;
  aware.name = "family_aware";
  aware.value = form.value("family_aware");
  aware.classes = "govuk-radios--inline";
  aware.fieldset = legend("Does the family know about this contact?", "govuk-fieldset__legend--s");
  aware.items = {choice("Yes", "yes"), choice("No", "no"), choice("Not known", "not_known")};
  aware.error_message = field_error(form, "family_aware");
  f += radios(aware);
  RadiosParams consent;
  consent.name = "consent";
  consent.value = form.value("consent");
  consent.fieldset = legend("Consent to share information", "govuk-fieldset__legend--s");
  for (auto c : {domain::ConsentStatus::kGiven, domain::ConsentStatus::kRefused,
                 domain::ConsentStatus::kNotSought, domain::ConsentStatus::kNotKnown}) {
    consent.items.push_back(
        choice(std::string(domain::label(c)), std::string(domain::to_string(c))));
  }
  consent.error_message = field_error(form, "consent");
  f += radios(consent);
  f += text_area(form, "consent_notes", "Notes about consent (optional)",
                 "For example, why consent was not sought", 3);
  f += submit_button("Record contact");
  // POST /contacts records it (app/web_routes.cpp); /contacts/new is only a
  // page, so a post there was refused with 405.
  body += post_form("/contacts", chrome, f);
  return render(chrome, "Record a new contact", form.has_errors(), body);
}

namespace {

// The form's state for one of the contact page's forms: errors and values only
// when that form is the one being corrected.
FormState state_for(const ContactPageModel& m, const std::string& form_name) {
  if (m.active_form == form_name) return m.form;
  return {};
}

std::vector<std::pair<std::string, std::string>> version_field(const ContactPageModel& m) {
  return {{"version", std::to_string(m.contact.version)}};
}

Html referral_section(const domain::ContactState& c) {
  const auto& d = c.details;
  std::vector<SummaryListRow> rows;
  HtmlWriter who;
  who.text(d.referrer.name.empty() ? std::string("Not recorded") : d.referrer.name);
  std::vector<std::string> extra;
  if (!d.referrer.role.empty()) extra.push_back(d.referrer.role);
  if (!d.referrer.agency_name.empty()) extra.push_back(d.referrer.agency_name);
  if (!extra.empty()) who.raw("<br>").text(join(extra, ", "));
  if (!d.referrer.email.empty()) who.raw("<br>").text(d.referrer.email);
  if (!d.referrer.phone.empty()) who.raw("<br>").text(d.referrer.phone);
  rows.push_back(row("Referrer", who.done()));
  rows.push_back(row("Channel", std::string(domain::label(d.channel))));
  rows.push_back(row("Received", domain::format_london(d.received_at)));
  const auto source = domain::code_label(domain::referral_sources(), d.source_code);
  rows.push_back(
      row("Source", source.empty() ? d.source_code : d.source_code + " " + std::string(source)));
  if (!d.address_line.empty() || !d.postcode.empty()) {
    rows.push_back(row("Address", join({d.address_line, d.postcode}, ", ")));
  }
  rows.push_back(row("Concerns", text_or_none(d.concerns)));
  rows.push_back(row("Child's views", text_or_none(d.child_views)));
  rows.push_back(row("Family aware", family_aware_label(d.family_aware)));
  Html consent = Html(std::string(domain::label(d.consent)));
  if (!d.consent_notes.empty()) consent += paragraphs(d.consent_notes);
  rows.push_back(row("Consent", consent));
  if (!d.adults.empty()) {
    HtmlWriter adults;
    adults.raw("<ul class=\"govuk-list\">");
    for (const auto& a : d.adults) {
      adults.raw("<li>").text(full_name(a.given_name, a.family_name));
      if (!a.relationship.empty()) adults.text(" (" + a.relationship + ")");
      adults.raw("</li>");
    }
    adults.raw("</ul>");
    rows.push_back(row("Adults", adults.done()));
  }
  return heading("Referral", 2, "m") + summary_list(SummaryListParams{rows, std::nullopt, "", {}});
}

Html link_form(const Chrome& chrome, const ContactPageModel& m, std::size_t index) {
  const FormState form = state_for(m, "link");
  const std::string id_prefix = "child" + std::to_string(index + 1) + "_link";
  RadiosParams r;
  r.name = "person_id";
  r.id_prefix = id_prefix;
  r.value = form.value("person_id");
  r.fieldset = legend("Which person record is this child?", "govuk-fieldset__legend--s");
  for (const auto& cc : m.candidates) {
    if (cc.child_index != index) continue;
    for (const auto& p : cc.candidates) {
      ChoiceItem item;
      item.text = p.name;
      item.value = std::to_string(p.id);
      std::vector<std::string> hint;
      if (p.date_of_birth) hint.push_back("Born " + domain::format_long_date(*p.date_of_birth));
      if (!p.postcode.empty()) hint.push_back(p.postcode);
      if (!p.reasons.empty()) hint.push_back("Matches: " + join(p.reasons, ", "));
      hint.push_back("Match probability " + percent(p.match_probability) + " (" +
                     (p.match_band == "link"     ? "very likely"
                      : p.match_band == "review" ? "possible"
                                                 : "unlikely") +
                     ")");
      Html hint_html = Html(join(hint, ". "));
      if (!p.explanation.empty()) {
        HtmlWriter why;
        why.raw("<ul class=\"govuk-list govuk-list--bullet govuk-!-font-size-16\">\n");
        for (const auto& line : p.explanation) why.raw("<li>").text(line).raw("</li>\n");
        why.raw("</ul>\n");
        hint_html += why.done();
      }
      item.hint = FieldHint{hint_html, "", {}};
      r.items.push_back(std::move(item));
    }
  }
  if (!r.items.empty()) r.items.push_back(divider_item("or"));
  r.items.push_back(choice("Create a new person record", "new"));
  // Errors are on this child ("children[i]") or on the form's own fields.
  auto err = field_error(m.form, id_prefix);
  if (!err && m.active_form == "link" && form.value("child_index") == std::to_string(index)) {
    err = field_error(form, "person_id");
  }
  r.error_message = err;
  Html body = radios(r) + submit_button("Link to person record", "govuk-button--secondary");
  auto fields = version_field(m);
  fields.push_back({"child_index", std::to_string(index)});
  return post_form(contact_href(m.contact.id) + "/link", chrome, body, fields);
}

Html children_section(const Chrome& chrome, const ContactPageModel& m) {
  Html out = heading("Children", 2, "m");
  const auto& children = m.contact.details.children;
  if (children.empty()) out += paragraph("No children are recorded on this contact.");
  for (std::size_t i = 0; i < children.size(); ++i) {
    const auto& c = children[i];
    std::vector<SummaryListRow> rows;
    if (c.unborn) {
      rows.push_back(row("Expected date of birth", long_date(c.expected_date_of_birth)));
    } else {
      rows.push_back(row("Date of birth", long_date(c.date_of_birth)));
    }
    rows.push_back(row("Sex", gender_label(c.sex)));
    if (c.person_id) {
      rows.push_back(
          row("Person record", link("/people/" + std::to_string(*c.person_id),
                                    Html("View the record for ") + Html(child_name(c)))));
    } else {
      rows.push_back(row("Person record", "Not linked yet"));
    }
    SummaryCardParams card;
    card.title = child_name(c);
    card.heading_level = 3;
    out += summary_list(SummaryListParams{rows, card, "", {}});
    if (!c.person_id && !m.contact.is_closed() && m.can_screen) out += link_form(chrome, m, i);
  }
  return out;
}

Html history_section(const ContactPageModel& m) {
  std::optional<domain::HistorySummary> h = m.history;
  if (m.contact.screening) h = m.contact.screening->history;
  if (!h) return {};
  std::vector<SummaryListRow> rows;
  rows.push_back(row("Open case", yes_no(h->open_case)));
  rows.push_back(row("Previous contacts", std::to_string(h->previous_contacts)));
  rows.push_back(row("Re-referral within 12 months", yes_no(h->rereferral_within_12_months)));
  return heading("History", 2, "m") + summary_list(SummaryListParams{rows, std::nullopt, "", {}});
}

Html screening_section(const Chrome& chrome, const ContactPageModel& m) {
  const auto& c = m.contact;
  Html out = heading("Screening", 2, "m");
  const bool open = c.status != ContactStatus::kCompleted;
  if (c.screening) {
    const auto& s = *c.screening;
    std::vector<SummaryListRow> rows;
    rows.push_back(row("RAG rating", rag_tag(s.rag)));
    rows.push_back(row("Rationale", text_or_none(s.rationale)));
    rows.push_back(row("Screened by", s.screened_by + ", " + domain::format_london(s.screened_at)));
    out += summary_list(SummaryListParams{rows, std::nullopt, "", {}});
  } else {
    out += paragraph("Not screened yet.");
  }
  if (open) {
    const Instant due = c.screening ? c.screening->decision_due_at : m.provisional_due;
    HtmlWriter w;
    w.raw("<p class=\"govuk-body\">");
    if (due < m.now) w.html(overdue_tag()).raw(" ");
    w.text("Decision due by " + domain::format_london(due) + " (" + time_remaining(due, m.now) +
           ").");
    if (!c.screening) w.text(" This deadline is provisional until the contact is screened.");
    w.raw("</p>\n");
    out += w.done();
  }
  if (m.can_screen && c.status == ContactStatus::kAwaitingScreening) {
    const FormState form = state_for(m, "screen");
    RadiosParams rag;
    rag.name = "rag";
    rag.value = form.value("rag");
    rag.fieldset = legend("RAG rating", "govuk-fieldset__legend--s");
    for (auto r : domain::all_rag_ratings()) {
      ChoiceItem item = choice(std::string(domain::label(r)), std::string(domain::to_string(r)));
      rag.items.push_back(std::move(item));
    }
    rag.error_message = field_error(form, "rag");
    Html f = heading("Screen this contact", 3, "s") + radios(rag);
    f += text_area(form, "rationale", "Why this rating?", "", 4);
    f += submit_button("Save screening");
    out += post_form(contact_href(c.id) + "/screen", chrome, f, version_field(m));
  }
  return out;
}

Html decision_form(const Chrome& chrome, const ContactPageModel& m) {
  const FormState form = state_for(m, "decision");
  Html f = heading("Record a decision", 3, "s");
  RadiosParams outcome;
  outcome.name = "outcome";
  outcome.value = form.value("outcome");
  outcome.fieldset = legend("Outcome", "govuk-fieldset__legend--s");
  for (auto o : domain::all_outcomes()) {
    outcome.items.push_back(
        choice(std::string(domain::label(o)), std::string(domain::to_string(o))));
  }
  outcome.error_message = field_error(form, "outcome");
  f += radios(outcome);
  if (m.framework) {
    RadiosParams level;
    level.name = "level";
    level.value = form.value("level");
    level.fieldset = legend("Level of need", "govuk-fieldset__legend--s");
    level.hint = FieldHint{"From " + m.framework->name, "", {}};
    for (const auto& l : m.framework->levels) {
      ChoiceItem item =
          choice("Level " + std::to_string(l.number) + ": " + l.name, std::to_string(l.number));
      if (!l.descriptor.empty()) item.hint = FieldHint{l.descriptor, "", {}};
      level.items.push_back(std::move(item));
    }
    level.error_message = field_error(form, "level");
    f += radios(level);

    // Chosen indicators come back as one comma-separated value.
    std::vector<std::string> chosen;
    std::stringstream ss(form.value("indicators"));
    for (std::string code; std::getline(ss, code, ',');) {
      code.erase(0, code.find_first_not_of(" \t\n"));
      code.erase(code.find_last_not_of(" \t\n") + 1);
      if (!code.empty()) chosen.push_back(code);
    }
    Html groups;
    bool first = true;
    for (const auto& l : m.framework->levels) {
      if (l.indicators.empty()) continue;
      CheckboxesParams cb;
      cb.name = "indicators";
      cb.id_prefix = first ? "indicators" : "indicators-level" + std::to_string(l.number);
      cb.values = chosen;
      cb.classes = "govuk-checkboxes--small";
      cb.fieldset =
          legend("Level " + std::to_string(l.number) + ": " + l.name, "govuk-fieldset__legend--s");
      for (const auto& ind : l.indicators)
        cb.items.push_back(choice(ind.code + " " + ind.text, ind.code));
      groups += checkboxes(cb);
      first = false;
    }
    // One question with a group of checkboxes per level: the hint and any
    // error belong to the whole question, so it has its own fieldset.
    const auto err = field_error(form, "indicators");
    Html question = hint(
        HintParams{"Select the indicators that led to this decision, from the level you chose.",
                   "indicators-hint",
                   "",
                   {}});
    std::string described_by = "indicators-hint";
    if (err) {
      question += error_message(ErrorMessageParams{err->text, "indicators-error", "", "Error", {}});
      described_by += " indicators-error";
    }
    FieldsetParams all;
    all.legend.text = "Indicators of need";
    all.legend.classes = "govuk-fieldset__legend--s";
    all.described_by = described_by;
    all.html = question + groups;
    f += Html::trusted(err ? "<div class=\"govuk-form-group govuk-form-group--error\">\n"
                           : "<div class=\"govuk-form-group\">\n") +
         fieldset(all) + Html::trusted("\n</div>\n");
  }
  f += relied_on_field(m, form);
  f += text_area(form, "rationale", "Rationale",
                 "Why this outcome, with reference to the indicators", 6);
  f += text_area(form, "next_steps", "Next steps", "Who will do what, and by when", 4);
  f += submit_button("Send for sign-off");
  return post_form(contact_href(m.contact.id) + "/decision", chrome, f, version_field(m));
}

Html decision_section(const Chrome& chrome, const ContactPageModel& m) {
  const auto& c = m.contact;
  Html out = heading("Decision", 2, "m");
  if (c.decision) {
    const auto& d = *c.decision;
    std::vector<SummaryListRow> rows;
    rows.push_back(row("Outcome", std::string(domain::label(d.outcome))));
    const domain::NeedLevel* level = m.framework ? m.framework->level(d.level) : nullptr;
    rows.push_back(
        row("Level of need", level ? "Level " + std::to_string(d.level) + ": " + level->name
                                   : "Level " + std::to_string(d.level)));
    HtmlWriter ind;
    ind.raw("<ul class=\"govuk-list\">");
    for (const auto& code : d.indicators) {
      const domain::Indicator* i = m.framework ? m.framework->find_indicator(code) : nullptr;
      ind.raw("<li>").text(i ? code + " " + i->text : code).raw("</li>");
    }
    ind.raw("</ul>");
    rows.push_back(row("Indicators", ind.done()));
    rows.push_back(row("Rationale", text_or_none(d.rationale)));
    rows.push_back(row("Next steps", text_or_none(d.next_steps)));
    if (m.enquiry || !d.relied_on_checks.empty()) {
      rows.push_back(row("Information relied on", relied_on_list(m, d.relied_on_checks)));
    }
    rows.push_back(row("Proposed by", d.proposed_by + ", " + domain::format_london(d.proposed_at)));
    out += summary_list(SummaryListParams{rows, std::nullopt, "", {}});
  } else {
    out += paragraph("No decision has been recorded yet.");
  }
  for (const auto& sb : c.send_backs) {
    InsetTextParams inset;
    inset.text = paragraph("Sent back by " + sb.by + ", " + domain::format_london(sb.at)) +
                 paragraphs(sb.reason);
    out += inset_text(inset);
  }
  out += checks_before_decision(chrome, m);
  if (m.can_decide && c.status == ContactStatus::kAwaitingDecision) out += decision_form(chrome, m);
  return out;
}

Html sign_off_section(const Chrome& chrome, const ContactPageModel& m) {
  const auto& c = m.contact;
  Html out = heading("Manager sign-off", 2, "m");
  if (c.sign_off) {
    std::vector<SummaryListRow> rows;
    rows.push_back(row("Case direction", text_or_none(c.sign_off->case_direction)));
    rows.push_back(row("Signed off by", c.sign_off->by));
    rows.push_back(row("Signed off", domain::format_london(c.sign_off->at)));
    out += summary_list(SummaryListParams{rows, std::nullopt, "", {}});
  } else {
    out += paragraph("Not signed off yet.");
  }
  if (m.can_sign_off && c.status == ContactStatus::kAwaitingSignOff) {
    const FormState so = state_for(m, "sign_off");
    Html f = heading("Sign off the decision", 3, "s");
    f += text_area(so, "case_direction", "Case direction", "What should happen next, and why", 5);
    f += submit_button("Sign off decision");
    out += post_form(contact_href(c.id) + "/sign-off", chrome, f, version_field(m));
    const FormState sb = state_for(m, "send_back");
    Html g = heading("Or send the decision back", 3, "s");
    g += text_area(sb, "reason", "Why are you sending it back?", "", 4);
    g += submit_button("Send back", "govuk-button--secondary");
    out += post_form(contact_href(c.id) + "/send-back", chrome, g, version_field(m));
  }
  return out;
}

}  // namespace

Html contact_page(const Chrome& chrome, const ContactPageModel& m) {
  const auto& c = m.contact;
  std::vector<std::string> names;
  for (const auto& child : c.details.children) names.push_back(child_name(child));
  IdentityBarParams bar;
  bar.title = Html::trusted("<strong>") + Html(c.reference) + Html::trusted("</strong> ") +
              Html(join(names, ", "));
  Html before = back_link(BackLinkParams{"/queue", "Back to the queue", "", {}});

  // The identity bar is inside <main> so that all content sits in a landmark.
  Html body = moj_identity_bar(bar) + error_summary_for(m.form);
  body += heading("Contact " + c.reference, 1, "l");
  HtmlWriter tags;
  tags.raw("<p class=\"govuk-body\">").html(status_tag(c.status));
  if (c.screening) tags.raw(" ").html(rag_tag(c.screening->rag));
  tags.raw("</p>\n");
  body += tags.done();
  body += referral_section(c);
  body += children_section(chrome, m);
  body += history_section(m);
  body += screening_section(chrome, m);
  body += enquiry_section(chrome, m);
  body += decision_section(chrome, m);
  body += sign_off_section(chrome, m);
  return render(chrome, "Contact " + c.reference, m.form.has_errors(), body, before);
}

}  // namespace frontdoor::web
