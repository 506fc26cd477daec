// Finding people, a person's record with their chronology, and who viewed it.
#include <algorithm>
#include <cstdio>

#include "domain/codes.hpp"
#include "domain/identifiers.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

namespace {

std::string person_href(std::int64_t id) {
  return "/people/" + std::to_string(id);
}

std::string name_of(const domain::PersonState& p) {
  std::string name = p.full_name();
  if (name.empty())
    name = p.details.kind == domain::PersonKind::kUnborn ? "Unborn baby" : "Name not known";
  return name;
}

std::string kind_label(domain::PersonKind k) {
  switch (k) {
    case domain::PersonKind::kChild:
      return "Child";
    case domain::PersonKind::kUnborn:
      return "Unborn child";
    case domain::PersonKind::kAdult:
      return "Adult";
  }
  return "";
}

std::string nhs_formatted(const std::string& nhs) {
  if (nhs.empty()) return "Not known";
  auto parsed = domain::NhsNumber::parse(nhs);
  return parsed.ok() ? parsed.value().formatted() : nhs;
}

std::string or_not_known(const std::string& s) {
  return s.empty() ? std::string("Not known") : s;
}

std::string date_of_birth_with_age(const domain::PersonDetails& d, Instant now) {
  if (!d.date_of_birth) return "Not known";
  std::string out = domain::format_long_date(*d.date_of_birth);
  if (auto age = domain::age_on(d, domain::london_date(now))) {
    out += " (" + std::to_string(*age) + (*age == 1 ? " year" : " years") + " old)";
  }
  return out;
}

std::string address_text(const domain::PersonAddress& a) {
  std::vector<std::string> parts;
  if (!a.line.empty()) parts.push_back(a.line);
  if (!a.postcode.empty()) parts.push_back(a.postcode);
  return parts.empty() ? std::string("Not known") : join(parts, ", ");
}

std::string record_number(std::int64_t id) {
  return "P" + std::to_string(id);
}

// "Link" / "Review" as a tag: how sure the model is that two records are one person.
Html band_tag(const std::string& band, double probability) {
  TagParams t;
  const bool link = band == "link";
  const bool review = band == "review";
  t.text = Html(percent(probability) + (link     ? " \u00b7 very likely"
                                        : review ? " \u00b7 possible"
                                                 : " \u00b7 unlikely"));
  t.classes = tag_colour_class(link     ? TagColour::kGreen
                               : review ? TagColour::kYellow
                                        : TagColour::kGrey);
  return tag(t);
}

// The model's explanation as a list a worker reads.
Html explanation_list(const std::vector<std::string>& lines) {
  HtmlWriter w;
  w.raw("<ul class=\"govuk-list govuk-list--bullet\">\n");
  for (const auto& l : lines) w.raw("<li>").text(l).raw("</li>\n");
  w.raw("</ul>\n");
  return w.done();
}

}  // namespace

Html person_suggestions_fragment(const std::vector<domain::PersonSummary>& people, bool asked) {
  if (!asked) return {};
  HtmlWriter w;
  if (people.empty()) {
    w.raw("<p class=\"govuk-body-s\">No one already known matches these details yet.</p>\n");
    return w.done();
  }
  w.raw("<h3 class=\"govuk-heading-s\">Already known: check whether this is the same child</h3>\n");
  w.raw("<ol class=\"govuk-list app-suggestions\">\n");
  for (const auto& p : people) {
    std::vector<std::string> facts;
    if (p.date_of_birth) facts.push_back("born " + long_date(p.date_of_birth));
    if (!p.postcode.empty()) facts.push_back(p.postcode);
    w.raw("<li class=\"app-suggestions__item\">\n<p class=\"govuk-body govuk-!-margin-bottom-1\">")
        .html(link(person_href(p.id), p.name.empty() ? std::string("Name not known") : p.name));
    if (!facts.empty()) w.text(", " + join(facts, ", "));
    w.raw(" ").html(band_tag(p.match_band, p.match_probability));
    w.raw("</p>\n").html(explanation_list(p.explanation)).raw("</li>\n");
  }
  w.raw("</ol>\n");
  return w.done();
}

Html people_search_page(const Chrome& chrome, const std::string& query,
                        const std::vector<domain::PersonSummary>& results, bool searched) {
  Html body = heading("Find a person", 1, "l");
  InputParams q;
  q.name = "q";
  q.type = "search";
  q.value = query;
  q.label.text = "Search by name, date of birth, postcode or identifier";
  q.hint = FieldHint{"For example, Jo Smith, 5 9 2019, AB1 2CD or an NHS number", "", {}};
  q.spellcheck = false;
  q.autocomplete = "off";
  ButtonParams search;
  search.text = "Search";
  HtmlWriter form;
  form.raw("<form method=\"get\" action=\"/people\" role=\"search\">\n").html(input(q));
  form.html(button(search)).raw("\n</form>\n");
  body += form.done();
  if (searched) {
    if (results.empty()) {
      body += paragraph("No people match \u2018" + query + "\u2019.");
      body += paragraph("Check the spelling, or try fewer words, a date of birth or a postcode.");
    } else {
      TableParams t;
      t.caption = results.size() == 1 ? std::string("1 person found")
                                      : std::to_string(results.size()) + " people found";
      t.caption_classes = "govuk-table__caption--m";
      for (const char* h : {"Name", "Date of birth", "Postcode", "Why they match"}) {
        t.head.push_back(cell(h));
      }
      for (const auto& p : results) {
        t.rows.push_back(
            {cell(link(person_href(p.id), p.name.empty() ? std::string("Name not known") : p.name)),
             cell(long_date(p.date_of_birth)), cell(or_not_known(p.postcode)),
             cell(Html(join(p.reasons, ", ")) + Html::trusted("<br>") +
                  Html("Match probability " + percent(p.match_probability)))});
      }
      body += table(t);
    }
  }
  return render(chrome, "Find a person", false, body);
}

Html person_page(const Chrome& chrome, const PersonPageModel& m) {
  const auto& p = m.person;
  const auto& d = p.details;
  const std::string name = name_of(p);

  IdentityBarParams bar;
  HtmlWriter title;
  title.raw("<strong>").text(name).raw("</strong>");
  if (d.date_of_birth) title.text(" \u00b7 Born " + date_of_birth_with_age(d, m.now));
  if (!d.identifiers.nhs_number.empty())
    title.text(" \u00b7 NHS " + nhs_formatted(d.identifiers.nhs_number));
  bar.title = title.done();
  Html body = moj_identity_bar(bar) + heading(name, 1, "l");
  if (p.restricted) {
    WarningTextParams w;
    w.text = "This is a restricted record. Every view is recorded.";
    body += warning_text(w);
  }
  if (p.merged_into) {
    NotificationBannerParams n;
    HtmlWriter w;
    w.raw(
         "<p class=\"govuk-notification-banner__heading\">This record has been merged into "
         "another</p>\n<p class=\"govuk-body\">")
        .html(link(person_href(*p.merged_into),
                   "Go to person record " + record_number(*p.merged_into)))
        .raw(
            ". This record\u2019s history shows in that record\u2019s chronology; it is kept "
            "as it was, so the merge can be undone.</p>\n");
    n.html = w.done();
    body += notification_banner(n);
    if (m.can_merge) {
      Html form_body =
          heading("Unmerge this record", 2, "m") +
          paragraph(
              "If this is not the same person, unmerge it. Both records become as they "
              "were before the merge.") +
          text_area(m.form, "reason", Html("Why are they not the same person?")) +
          submit_button("Unmerge this record", "govuk-button--warning");
      body += post_form(person_href(p.id) + "/unmerge", chrome, form_body);
    }
  }
  if (!p.merged_from.empty()) {
    HtmlWriter w;
    w.raw(
        "<p class=\"govuk-body\">Records merged into this one (their histories are in the "
        "chronology below): ");
    for (std::size_t i = 0; i < p.merged_from.size(); ++i) {
      if (i > 0) w.raw(", ");
      w.html(
          link(person_href(p.merged_from[i]), "person record " + record_number(p.merged_from[i])));
    }
    w.raw("</p>\n");
    InsetTextParams inset;
    inset.text = w.done();
    body += inset_text(inset);
  }
  if (m.can_view_audit || m.can_merge) {
    body += Html::trusted("<ul class=\"govuk-list\">\n");
    if (m.can_view_audit) {
      body += Html::trusted("<li>") +
              link(person_href(p.id) + "/viewers", "Who has viewed this record") +
              Html::trusted("</li>\n");
    }
    if (m.can_merge && !p.merged_into) {
      body += Html::trusted("<li>") +
              link(person_href(p.id) + "/merge", "Merge with another record of the same person") +
              Html::trusted("</li>\n");
    }
    body += Html::trusted("</ul>\n");
  }

  std::vector<SummaryListRow> rows;
  rows.push_back(row("Name", name));
  if (!d.other_names.empty()) {
    std::vector<std::string> others;
    for (const auto& n : d.other_names) {
      others.push_back(full_name(n.given_name, n.family_name) +
                       (n.kind.empty() ? "" : " (" + n.kind + ")"));
    }
    rows.push_back(row("Other names", join(others, "; ")));
  }
  rows.push_back(row("Type", kind_label(d.kind)));
  if (d.kind == domain::PersonKind::kUnborn) {
    rows.push_back(row("Expected date of birth", long_date(d.expected_date_of_birth)));
  } else {
    rows.push_back(row("Date of birth", date_of_birth_with_age(d, m.now)));
  }
  rows.push_back(row("Sex", gender_label(d.sex)));
  const auto ethnicity = domain::code_label(domain::ethnicities(), d.ethnicity);
  rows.push_back(
      row("Ethnicity", ethnicity.empty() ? std::string("Not known") : std::string(ethnicity)));
  rows.push_back(row("NHS number", nhs_formatted(d.identifiers.nhs_number)));
  rows.push_back(row("Unique pupil number (UPN)", or_not_known(d.identifiers.upn)));
  rows.push_back(row("Council child ID", or_not_known(d.identifiers.la_child_id)));
  if (!d.identifiers.police_reference.empty()) {
    rows.push_back(row("Police reference", d.identifiers.police_reference));
  }
  body += heading("Details", 2, "m") + summary_list(SummaryListParams{rows, std::nullopt, "", {}});

  body += heading("Addresses", 2, "m");
  std::vector<SummaryListRow> addr;
  addr.push_back(
      row("Current address", d.address ? address_text(*d.address) : std::string("Not known")));
  if (d.address && d.address->from)
    addr.push_back(row("Living there since", long_date(d.address->from)));
  body += summary_list(SummaryListParams{addr, std::nullopt, "", {}});
  if (!p.previous_addresses.empty()) {
    TableParams t;
    t.caption = "Previous addresses";
    t.caption_classes = "govuk-table__caption--s";
    for (const char* h : {"Address", "From", "To"}) t.head.push_back(cell(h));
    for (const auto& a : p.previous_addresses) {
      t.rows.push_back({cell(address_text(a)), cell(long_date(a.from)), cell(long_date(a.to))});
    }
    body += table(t);
  }

  body += heading("Household and relationships", 2, "m");
  if (m.household.empty()) {
    body += paragraph("No relationships are recorded.");
  } else {
    TableParams t;
    t.caption = "People related to " + name;
    t.caption_classes = "govuk-visually-hidden";
    for (const char* h : {"Name", "Relationship", "Date of birth"}) t.head.push_back(cell(h));
    for (const auto& h : m.household) {
      t.rows.push_back({cell(link(person_href(h.person.id), h.person.name)), cell(h.relationship),
                        cell(long_date(h.person.date_of_birth))});
    }
    body += table(t);
  }

  body += heading("Chronology", 2, "m");
  if (m.chronology.empty()) {
    body += paragraph("Nothing has been recorded yet.");
  } else {
    // Newest first: the record's order, reversed. Events of one command share
    // an instant (a sign-off, then the contact closing), so ties keep their
    // recorded order before the whole list is turned round.
    std::vector<domain::ChronologyEntry> entries = m.chronology;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.occurred_at < b.occurred_at; });
    std::reverse(entries.begin(), entries.end());
    TimelineParams tl;
    tl.heading_level = 3;
    for (const auto& e : entries) {
      TimelineItem item;
      item.label = e.summary;
      if (!e.actor.empty())
        item.byline = e.actor_role.empty() ? e.actor : e.actor + ", " + e.actor_role;
      item.datetime = format_utc(e.occurred_at);
      item.date_text = domain::format_london(e.occurred_at);
      if (e.reason && !e.reason->empty()) item.text = paragraph("Reason: " + *e.reason);
      // An event of a record merged into this one says so.
      if (e.stream.rfind("person/", 0) == 0 && e.stream != "person/" + std::to_string(p.id)) {
        item.label = Html(e.summary + " (merged record " +
                          record_number(std::stoll(e.stream.substr(7))) + ")");
      }
      tl.items.push_back(std::move(item));
    }
    body += moj_timeline(tl);
  }
  return render(chrome, name, m.form.has_errors(), body);
}

Html duplicates_page(const Chrome& chrome, const std::vector<domain::DuplicatePair>& pairs,
                     const domain::MatchingModelStatus& model) {
  Html body = heading("Duplicate person records", 1, "l");
  body += paragraph(
      "Pairs of records that may be the same person, most likely first. Compare each pair "
      "before merging: a wrong merge puts one family\u2019s history into another\u2019s record. "
      "A merge can be undone.");
  std::string about =
      model.trained
          ? "The matching model was trained on " + std::to_string(model.people) + " people" +
                (model.sampled > 0 && model.sampled < model.people
                     ? " (" + std::to_string(model.sampled) + " of them drawn at random)"
                     : std::string()) +
                " on " + domain::format_london(model.trained_at) +
                (model.estimated_m ? "." : " (agreement rates from the reference model).")
          : std::string(
                "The matching model is the reference model: there are not yet enough "
                "people to train it on this council\u2019s records.");
  if (model.training) about += " It is being trained again now.";
  if (model.index_people > 0) {
    constexpr std::size_t kMebibyte = std::size_t{1024} * 1024;
    about += " The search index holds " + std::to_string(model.index_people) + " people in " +
             std::to_string((model.index_bytes + kMebibyte / 2) / kMebibyte) + " MB (about " +
             std::to_string(model.index_bytes / model.index_people) +
             " bytes a person); it was loaded from the store in " +
             std::to_string(model.index_loaded_in.count()) + " ms at start-up.";
  }
  body += paragraph(about, "govuk-body-s");
  if (pairs.empty()) {
    body += paragraph("No likely duplicates were found.");
    return render(chrome, "Duplicate person records", false, body);
  }
  for (const auto& pair : pairs) {
    const std::string title =
        (pair.first.name.empty() ? std::string("Name not known") : pair.first.name) + " and " +
        (pair.second.name.empty() ? std::string("Name not known") : pair.second.name);
    std::vector<SummaryListRow> rows;
    for (const auto* person : {&pair.first, &pair.second}) {
      std::vector<std::string> facts{"born " + long_date(person->date_of_birth)};
      if (!person->postcode.empty()) facts.push_back(person->postcode);
      rows.push_back(row(record_number(person->id),
                         link(person_href(person->id),
                              person->name.empty() ? std::string("Name not known") : person->name) +
                             Html(", " + join(facts, ", "))));
    }
    rows.push_back(row("Match", band_tag(pair.band, pair.probability)));
    rows.push_back(row("Why", explanation_list(pair.explanation)));
    SummaryCardParams card;
    card.title = Html(title);
    card.heading_level = 2;
    SummaryAction compare;
    compare.href = person_href(pair.first.id) + "/merge?with=" + std::to_string(pair.second.id);
    compare.text = "Compare and merge";
    compare.visually_hidden_text = title;
    card.actions.push_back(compare);
    body += summary_list(SummaryListParams{rows, card, "", {}});
  }
  return render(chrome, "Duplicate person records", false, body);
}

Html merge_page(const Chrome& chrome, const MergePageModel& m) {
  const auto& p = m.person;
  const std::string name = name_of(p);
  Html before = back_link(BackLinkParams{person_href(p.id), "Back to " + name, "", {}});
  Html body = error_summary_for(m.form);
  body += Html::trusted("<span class=\"govuk-caption-l\">") + Html(name) +
          Html::trusted("</span>\n") + heading("Merge two records of one person", 1, "l");
  if (!m.other) {
    Html form_body = text_input(m.form, "with", Html("Number of the other person record"),
                                "govuk-input--width-10", "off",
                                "The number in the address of their record, for example 1234");
    form_body += submit_button("Compare the records", "govuk-button--secondary");
    HtmlWriter w;
    w.raw("<form method=\"get\" action=\"").text(person_href(p.id) + "/merge").raw("\">\n");
    w.html(form_body).raw("</form>\n");
    body += w.done();
    return render(chrome, "Merge " + name + "\u2019s record", m.form.has_errors(), body, before);
  }
  const auto& o = *m.other;
  TableParams t;
  t.caption = "The two records side by side";
  t.caption_classes = "govuk-table__caption--m";
  t.head = {cell("Detail"), cell(record_number(p.id)), cell(record_number(o.id))};
  auto add = [&](const std::string& what, const std::string& a, const std::string& b) {
    t.rows.push_back({cell(what), cell(a), cell(b)});
  };
  add("Name", name_of(p), name_of(o));
  add("Date of birth", long_date(p.details.date_of_birth), long_date(o.details.date_of_birth));
  add("Address", p.details.address ? address_text(*p.details.address) : "Not known",
      o.details.address ? address_text(*o.details.address) : "Not known");
  add("NHS number", nhs_formatted(p.details.identifiers.nhs_number),
      nhs_formatted(o.details.identifiers.nhs_number));
  body += table(t);
  if (m.comparison) {
    body += heading("How alike they are", 2, "m");
    body += paragraph("Match probability " + percent(m.comparison->probability) +
                      ". The figure in brackets is how much each part counts for (+) or against "
                      "(\u2212) the two being one person.");
    body += explanation_list(m.comparison->explanation);
  }
  if (p.merged_into || o.merged_into) {
    body += paragraph("One of these records has already been merged into another.");
    return render(chrome, "Merge " + name + "\u2019s record", m.form.has_errors(), body, before);
  }
  RadiosParams keep;
  keep.name = "keep";
  keep.value = m.form.value("keep");
  keep.fieldset = legend("Which record should be kept?", "govuk-fieldset__legend--m");
  keep.hint = FieldHint{
      "The other record is merged into it. Both histories are kept and the merge can be undone.",
      "",
      {}};
  keep.items.push_back(choice(Html(record_number(p.id) + ": " + name_of(p)), std::to_string(p.id)));
  keep.items.push_back(choice(Html(record_number(o.id) + ": " + name_of(o)), std::to_string(o.id)));
  keep.error_message = field_error(m.form, "keep");
  Html form_body = radios(keep) +
                   text_area(m.form, "reason", Html("Why are these the same person?"),
                             "For example, what you checked and with whom") +
                   submit_button("Merge the records");
  body +=
      post_form(person_href(p.id) + "/merge", chrome, form_body, {{"with", std::to_string(o.id)}});
  return render(chrome, "Merge " + name + "\u2019s record", m.form.has_errors(), body, before);
}

Html viewers_page(const Chrome& chrome, const domain::PersonState& person,
                  const std::vector<domain::AccessRecord>& records) {
  const std::string name = name_of(person);
  Html before = back_link(BackLinkParams{person_href(person.id), "Back to " + name, "", {}});
  Html body = Html::trusted("<span class=\"govuk-caption-l\">") + Html(name) +
              Html::trusted("</span>\n") + heading("Who has viewed this record", 1, "l");
  if (records.empty()) {
    body += paragraph("Nobody has viewed this record yet.");
  } else {
    TableParams t;
    t.caption = "Views of and attempts to view " + name + "\u2019s record, newest first";
    t.caption_classes = "govuk-table__caption--s";
    for (const char* h : {"When", "Who", "Role", "Agency", "What", "Outcome", "Basis"}) {
      t.head.push_back(cell(h));
    }
    for (const auto& r : records) {
      TagParams outcome;
      outcome.text = r.refused ? "Refused" : "Allowed";
      outcome.classes = tag_colour_class(r.refused ? TagColour::kRed : TagColour::kGreen);
      t.rows.push_back({cell(domain::format_london(r.at)), cell(r.who), cell(r.role),
                        cell(r.agency), cell(r.action), cell(tag(outcome)), cell(r.basis)});
    }
    body += table(t);
  }
  return render(chrome, "Who has viewed " + name + "\u2019s record", false, body, before);
}

}  // namespace frontdoor::web
