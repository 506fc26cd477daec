#pragma once
// Helpers shared by the pages_*.cpp files (not part of the public interface).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/rag.hpp"
#include "web/pages.hpp"
#include "web/web.hpp"

namespace frontdoor::web::pages {

// The form field a (domain) error field belongs to: "children[0].given_name"
// -> "child1_given_name", "children[1].date_of_birth" -> "child2_dob",
// "children[0].expected_date_of_birth" -> "child1_edd", "children[2]" ->
// "child3_link", "adults[0].x" -> "adult1_x", "received_at" -> "received",
// "answers[1].summary" -> "person2_summary" (a check's answer form),
// "answers" -> "person1_known".
// Anything else is returned unchanged.
std::string form_field_for(const std::string& error_field);

// The id of the element an error summary link points at: the first input of
// a date input ("child1_dob" -> "child1_dob-day"), else the field's own id.
std::string anchor_for(const std::string& form_field);

// The MASH enquiry on the contact page (pages_enquiry.cpp): consent for each
// child with its forms, the checks, every agency's answers side by side, and
// the form to ask an agency.
Html enquiry_section(const Chrome& chrome, const ContactPageModel& m);
// Above the decision form: the checks still outstanding, a manager's record
// that the decision cannot wait, and (for a manager) the form to record it.
Html checks_before_decision(const Chrome& chrome, const ContactPageModel& m);
// The decision form's "Information this decision relied on" (answered checks).
Html relied_on_field(const ContactPageModel& m, const FormState& form);
// The checks a recorded decision relied on, as a list.
Html relied_on_list(const ContactPageModel& m, const std::vector<std::int64_t>& check_ids);
// The MASH queue's banner of partner agencies' overdue checks.
Html overdue_checks_banner(const std::vector<CheckLineModel>& checks, Instant now);

// The error on a form field as a control's error message (or none).
std::optional<FieldError> field_error(const FormState& form, const std::string& field);

// The GOV.UK error summary for a form (empty when there are no errors).
Html error_summary_for(const FormState& form);

// A page in the chrome: title, "Error: " prefix, user and navigation; the
// success banner (if any) goes above the content. before_content (a back
// link) goes first inside <main>.
Html render(const Chrome& chrome, const std::string& title, bool has_errors, const Html& content,
            Html before_content = {});

Html heading(const std::string& text, int level, const std::string& size);
Html paragraph(const std::string& text, const std::string& classes = "govuk-body");
// Text with line breaks as paragraphs (blank lines separate paragraphs).
Html paragraphs(const std::string& text);
Html link(const std::string& href, const Html& text);
std::string contact_href(std::int64_t id);  // "/contacts/12"
// A summary list row, and a table cell (numeric ones right-aligned).
SummaryListRow row(const std::string& key, Html value);
TableCell cell(Html text, CellFormat format = CellFormat::kText);
Html hidden(const std::string& name, const std::string& value);

// <form method="post" action=...> with the CSRF token and any extra hidden
// fields, then the body.
Html post_form(const std::string& action, const Chrome& chrome, const Html& body,
               const std::vector<std::pair<std::string, std::string>>& hidden_fields = {});

Html submit_button(const std::string& text, const std::string& classes = "",
                   const std::string& name = "", const std::string& value = "");

Html rag_tag(domain::RagRating rag);
Html status_tag(domain::ContactStatus status);
Html overdue_tag();
// "Sat 21 Nov 2026, 2:10pm (Due in 3 hours)" with an "Overdue" tag when past.
Html deadline(Instant due, Instant now, bool show_remaining = true);

// Text input, textarea and date input bound to a form's value and error.
Html text_input(const FormState& form, const std::string& name, const Html& label_text,
                const std::string& classes = "", const std::string& autocomplete = "",
                const std::string& hint_text = "", const std::string& type = "text");
Html text_area(const FormState& form, const std::string& name, const Html& label_text,
               const std::string& hint_text = "", int rows = 5,
               const std::string& label_classes = "");
Html date_field(const FormState& form, const std::string& name, const Html& legend,
                const std::string& hint_text = "");

// A radio or checkbox item; a divider ("or") when divider_text is set.
inline ChoiceItem choice(Html text, std::string value) {
  ChoiceItem c;
  c.text = std::move(text);
  c.value = std::move(value);
  return c;
}
inline ChoiceItem divider_item(Html text) {
  ChoiceItem c;
  c.divider = std::move(text);
  return c;
}
// A fieldset with a legend ("govuk-fieldset__legend--s" by default).
inline FieldFieldset legend(Html text, std::string classes = "govuk-fieldset__legend--s") {
  FieldFieldset f;
  f.legend.text = std::move(text);
  f.legend.classes = std::move(classes);
  return f;
}

std::string long_date(std::optional<std::chrono::sys_days> d);
// A probability as a percentage to one place: "99.2%"; "over 99.9%" for
// what would round to 100%.
std::string percent(double probability);
std::string join(const std::vector<std::string>& parts, const std::string& sep);
std::string full_name(const std::string& given, const std::string& family);
std::string yes_no(bool b);
std::string gender_label(const std::string& code);

// A string answer of an e-MARF (flat field names, "child1_given_name", or a
// nested "children"/"adults" array of objects with the domain's member names).
std::string answer(const nlohmann::json& answers, const std::string& name);
// The children named in a form's answers ("Unborn baby" for an unnamed unborn child).
std::vector<std::string> answer_children(const nlohmann::json& answers);

}  // namespace frontdoor::web::pages
