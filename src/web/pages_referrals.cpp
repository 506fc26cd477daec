// A partner's referrals (the e-MARF), and a supervisor's approvals.
#include "domain/codes.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

namespace {

std::string referral_href(std::int64_t id) {
  return "/referrals/" + std::to_string(id);
}

std::string children_text(const nlohmann::json& answers) {
  auto names = answer_children(answers);
  return names.empty() ? std::string("No children named yet") : join(names, ", ");
}

// The value to show in a field: as typed this time, else as saved in the draft.
// Once the user has posted the form, what they typed is the whole truth (an
// unticked box is absent), so saved answers fill in only a fresh page.
FormState typed_or_saved(const ReferralFormModel& m) {
  FormState s = m.state;
  if (!s.values.empty()) return s;
  auto fill = [&](const std::string& name) {
    if (s.values.count(name) == 0) {
      std::string v = answer(m.form.answers, name);
      if (!v.empty()) s.values[name] = v;
    }
  };
  for (const char* f : {"referrer_role", "referrer_phone", "address_line", "postcode", "concerns",
                        "child_views", "family_aware", "consent", "consent_notes"}) {
    fill(f);
  }
  for (int n = 1; n <= m.child_slots; ++n) {
    const std::string p = "child" + std::to_string(n) + "_";
    for (const char* f : {"given_name", "family_name", "dob-day", "dob-month", "dob-year", "unborn",
                          "edd-day", "edd-month", "edd-year", "sex"}) {
      fill(p + f);
    }
  }
  for (int n = 1; n <= m.adult_slots; ++n) {
    const std::string p = "adult" + std::to_string(n) + "_";
    for (const char* f : {"given_name", "family_name", "relationship", "address"}) fill(p + f);
  }
  return s;
}

Html threshold_guidance(const domain::ThresholdFramework& fw) {
  HtmlWriter w;
  w.html(paragraph("The MASH decides the level of need. This is the " + fw.name +
                   " the council uses; it may help you describe your concerns."));
  for (const auto& l : fw.levels) {
    w.raw("<h3 class=\"govuk-heading-s\">")
        .text("Level " + std::to_string(l.number) + ": " + l.name);
    w.raw("</h3>\n");
    if (!l.descriptor.empty()) w.html(paragraph(l.descriptor));
    if (!l.indicators.empty()) {
      w.raw(
          "<p class=\"govuk-body\">For example:</p>\n<ul class=\"govuk-list "
          "govuk-list--bullet\">\n");
      for (std::size_t i = 0; i < l.indicators.size() && i < 3; ++i) {
        w.raw("<li>").text(l.indicators[i].text).raw("</li>\n");
      }
      w.raw("</ul>\n");
    }
  }
  DetailsParams d;
  d.summary_text = "What level of need is this?";
  d.text = w.done();
  return details(d);
}

Html child_fields(const FormState& s, int n) {
  const std::string p = "child" + std::to_string(n) + "_";
  Html f;
  f += text_input(s, p + "given_name", "First name", "", "off");
  f += text_input(s, p + "family_name", "Last name", "", "off");
  f += date_field(s, p + "dob", "Date of birth",
                  "For example, 5 9 2019. Leave blank if you do not know it.");
  CheckboxesParams unborn;
  unborn.name = p + "unborn";
  if (s.value(p + "unborn") == "yes") unborn.values = {"yes"};
  ChoiceItem item = choice("The child is not born yet", "yes");
  item.conditional = date_field(s, p + "edd", "Expected date of birth", "For example, 14 2 2027");
  unborn.items.push_back(std::move(item));
  unborn.fieldset = legend("Is the child unborn?");
  unborn.error_message = field_error(s, p + "unborn");
  f += checkboxes(unborn);
  RadiosParams sex;
  sex.name = p + "sex";
  sex.value = s.value(p + "sex");
  sex.classes = "govuk-radios--small";
  sex.fieldset = legend("Sex");
  for (const auto& g : domain::genders())
    sex.items.push_back(choice(std::string(g.label), std::string(g.code)));
  sex.error_message = field_error(s, p + "sex");
  f += radios(sex);
  FieldsetParams fs;
  fs.legend.text = "Child " + std::to_string(n);
  fs.legend.classes = "govuk-fieldset__legend--m";
  fs.html = f;
  return fieldset(fs);
}

Html adult_fields(const FormState& s, int n) {
  const std::string p = "adult" + std::to_string(n) + "_";
  Html f;
  f += text_input(s, p + "given_name", "First name", "", "off");
  f += text_input(s, p + "family_name", "Last name", "", "off");
  f += text_input(s, p + "relationship", "Relationship to the child", "", "off",
                  "For example, mother, stepfather, grandparent");
  f += text_input(s, p + "address", "Address, if they do not live with the child", "", "off");
  FieldsetParams fs;
  fs.legend.text = "Adult " + std::to_string(n);
  fs.legend.classes = "govuk-fieldset__legend--m";
  fs.html = f;
  return fieldset(fs);
}

}  // namespace

Html my_referrals_page(const Chrome& chrome, const std::vector<domain::ReferralForm>& drafts,
                       const std::vector<domain::QueueItem>& sent) {
  Html body = heading("Your referrals", 1, "l");
  ButtonParams start;
  start.text = "Make a new referral";
  start.is_start_button = true;
  start.prevent_double_click = true;
  body += post_form("/referrals/new", chrome, button(start));

  std::vector<const domain::ReferralForm*> draft, waiting;
  for (const auto& f : drafts) {
    if (f.status == domain::FormStatus::kDraft) draft.push_back(&f);
    if (f.status == domain::FormStatus::kAwaitingApproval) waiting.push_back(&f);
  }
  body += heading("Drafts", 2, "m");
  if (draft.empty()) {
    body += paragraph("You have no draft referrals.");
  } else {
    HtmlWriter w;
    w.raw("<ul class=\"govuk-list\">\n");
    for (const auto* f : draft) {
      w.raw("<li>").html(
          link(referral_href(f->id), "Continue the referral about " + children_text(f->answers)));
      w.raw("<br><span class=\"govuk-hint\">")
          .text("Last saved " + domain::format_london(f->updated_at));
      w.raw("</span>");
      if (!f->returned_reasons.empty()) {
        w.raw("<br><strong class=\"govuk-!-font-weight-bold\">")
            .text("Returned by your supervisor: ");
        w.raw("</strong>").text(f->returned_reasons.back());
      }
      w.raw("</li>\n");
    }
    w.raw("</ul>\n");
    body += w.done();
  }
  if (!waiting.empty()) {
    body += heading("Waiting for approval", 2, "m");
    HtmlWriter w;
    w.raw("<ul class=\"govuk-list\">\n");
    for (const auto* f : waiting) {
      w.raw("<li>").text("About " + children_text(f->answers) + ", sent for approval " +
                         domain::format_london(f->submitted_at.value_or(f->updated_at)));
      w.raw("</li>\n");
    }
    w.raw("</ul>\n");
    body += w.done();
  }
  body += heading("Sent to the MASH", 2, "m");
  if (sent.empty()) {
    body += paragraph("You have not sent any referrals yet.");
  } else {
    TableParams t;
    t.caption = "Referrals you have sent";
    t.caption_classes = "govuk-visually-hidden";
    for (const char* h : {"Reference", "Children", "Sent", "Outcome"}) t.head.push_back(cell(h));
    for (const auto& s : sent) {
      Html outcome;
      if (s.status == domain::ContactStatus::kCompleted && s.outcome) {
        outcome = std::string(domain::label(*s.outcome));
      } else {
        TagParams tp;
        tp.text = "With the MASH";
        tp.classes = tag_colour_class(TagColour::kBlue);
        outcome = tag(tp);
      }
      t.rows.push_back({cell(s.reference), cell(join(s.children, ", ")),
                        cell(domain::format_london(s.received_at)), cell(outcome)});
    }
    body += table(t);
  }
  return render(chrome, "Your referrals", false, body);
}

Html referral_form_page(const Chrome& chrome, const ReferralFormModel& m) {
  const FormState s = typed_or_saved(m);
  Html before = back_link(BackLinkParams{"/referrals", "Back to your referrals", "", {}});
  Html body;
  if (m.saved) {
    NotificationBannerParams b;
    b.type = "success";
    b.text = "Draft saved";
    body += notification_banner(b);
  }
  body += error_summary_for(m.state);
  body += heading("Tell us about a concern for a child", 1, "l");
  body += paragraph("Answer as much as you can. You can save a draft and come back to it.",
                    "govuk-body-l");
  if (m.requires_approval) {
    InsetTextParams inset;
    inset.text = "Your agency asks a supervisor to approve referrals before they reach the MASH.";
    body += inset_text(inset);
  }
  if (!m.form.returned_reasons.empty()) {
    WarningTextParams w;
    w.text = "Your supervisor returned this referral: " + m.form.returned_reasons.back();
    body += warning_text(w);
  }
  WarningTextParams urgent;
  urgent.text = "If a child is in immediate danger, call 999 now.";
  body += warning_text(urgent);

  Html f = heading("About you", 2, "m");
  f += text_input(s, "referrer_role", "Your role", "", "organization-title",
                  "For example, class teacher");
  f += text_input(s, "referrer_phone", "Phone number the MASH can call you on",
                  "govuk-input--width-20", "tel", "", "tel");

  f += heading("The children", 2, "m");
  for (int n = 1; n <= m.child_slots; ++n) f += child_fields(s, n);
  f += submit_button("Add another child", "govuk-button--secondary", "action", "add_child");

  f += heading("Adults in the child's life", 2, "m");
  f += paragraph("Parents, carers and anyone else who lives with the child.");
  for (int n = 1; n <= m.adult_slots; ++n) f += adult_fields(s, n);
  f += submit_button("Add another adult", "govuk-button--secondary", "action", "add_adult");

  f += heading("Where the child lives", 2, "m");
  f += text_input(s, "address_line", "Address", "", "off");
  f += text_input(s, "postcode", "Postcode", "govuk-input--width-10", "off");

  f += heading("Your concerns", 2, "m");
  f += text_area(s, "concerns", "What are you worried about?",
                 "What you have seen or been told, when, and how it affects the child", 8);
  if (m.framework) f += threshold_guidance(*m.framework);
  f += text_area(s, "child_views", "What does the child say?",
                 "Their own words, if you know them, and what daily life is like for them", 5);
  RadiosParams aware;
  aware.name = "family_aware";
  aware.value = s.value("family_aware");
  aware.fieldset = legend("Does the family know you are making this referral?");
  aware.items = {choice("Yes", "yes"), choice("No", "no"), choice("I do not know", "not_known")};
  aware.error_message = field_error(s, "family_aware");
  f += radios(aware);
  RadiosParams consent;
  consent.name = "consent";
  consent.value = s.value("consent");
  consent.fieldset = legend("Have the parents agreed to you sharing this?");
  consent.items = {choice("Yes, they agreed", "given"), choice("No, they refused", "refused"),
                   choice("I did not ask them", "not_sought"),
                   choice("I do not know", "not_known")};
  consent.hint =
      FieldHint{"You do not need consent if asking would put the child at risk.", "", {}};
  consent.error_message = field_error(s, "consent");
  f += radios(consent);
  f += text_area(s, "consent_notes", "Anything more about consent (optional)",
                 "For example, why you did not ask", 3);

  HtmlWriter buttons;
  buttons.raw("<div class=\"govuk-button-group\">\n");
  buttons.html(submit_button("Send referral", "", "action", "submit"));
  buttons.html(submit_button("Save as draft", "govuk-button--secondary", "action", "save"));
  buttons.raw("</div>\n");
  f += buttons.done();
  // The number of child and adult sections shown travels with the form, so
  // that the ones added with "Add another" are read back when it is posted.
  body += post_form(referral_href(m.form.id), chrome, f,
                    {{"version", std::to_string(m.form.version)},
                     {"child_slots", std::to_string(m.child_slots)},
                     {"adult_slots", std::to_string(m.adult_slots)}});
  return render(chrome, "Tell us about a concern for a child", m.state.has_errors(), body, before);
}

Html approvals_page(const Chrome& chrome, const std::vector<domain::ReferralForm>& waiting) {
  Html body = heading("Referrals waiting for your approval", 1, "l");
  if (waiting.empty()) {
    body += paragraph("There are no referrals waiting for your approval.");
    return render(chrome, "Referrals waiting for your approval", false, body);
  }
  for (const auto& f : waiting) {
    const auto& a = f.answers;
    std::vector<SummaryListRow> rows;
    rows.push_back(row("Children", children_text(a)));
    const std::string address = join({answer(a, "address_line"), answer(a, "postcode")}, ", ");
    if (!address.empty() && address != ", ") rows.push_back(row("Address", address));
    const std::string concerns = answer(a, "concerns");
    rows.push_back(row("Concerns", concerns.empty() ? Html("None given") : paragraphs(concerns)));
    const std::string views = answer(a, "child_views");
    if (!views.empty()) rows.push_back(row("Child's views", paragraphs(views)));
    const std::string role = answer(a, "referrer_role");
    if (!role.empty()) rows.push_back(row("Referrer's role", role));
    rows.push_back(
        row("Sent for approval", domain::format_london(f.submitted_at.value_or(f.updated_at))));
    SummaryCardParams card;
    card.title = "Referral about " + children_text(a);
    body += summary_list(SummaryListParams{rows, card, "", {}});

    const std::string id = std::to_string(f.id);
    const Html about = Html::trusted("<span class=\"govuk-visually-hidden\"> (referral about ") +
                       Html(children_text(a)) + Html::trusted(")</span>");
    ButtonParams approve;
    approve.text = Html("Approve and send to the MASH") + about;
    approve.prevent_double_click = true;
    ButtonParams send_back;
    send_back.text = Html("Return to referrer") + about;
    send_back.classes = "govuk-button--secondary";
    send_back.prevent_double_click = true;
    body += post_form(referral_href(f.id) + "/approve", chrome, button(approve),
                      {{"version", std::to_string(f.version)}});
    TextareaParams reason;
    reason.name = "reason";
    reason.id = "reason-" + id;
    reason.rows = 3;
    reason.label.text = "Or return it to the referrer: what needs to change?";
    reason.label.classes = "govuk-label--s";
    body += post_form(referral_href(f.id) + "/return", chrome, textarea(reason) + button(send_back),
                      {{"version", std::to_string(f.version)}});
    body += Html::trusted(
        "<hr class=\"govuk-section-break govuk-section-break--l govuk-section-break--visible\">\n");
  }
  return render(chrome, "Referrals waiting for your approval", false, body);
}

}  // namespace frontdoor::web
