#include "web/pages_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "domain/codes.hpp"
#include "domain/london_time.hpp"

namespace frontdoor::web::pages {

namespace {

// "children[12].rest" -> {12, "rest"} after the given prefix; rest may be empty.
bool split_indexed(const std::string& field, const std::string& prefix, std::size_t& index,
                   std::string& rest) {
  if (field.rfind(prefix + "[", 0) != 0) return false;
  const std::size_t open = prefix.size() + 1;
  const std::size_t close = field.find(']', open);
  if (close == std::string::npos || close == open) return false;
  std::size_t n = 0;
  for (std::size_t i = open; i < close; ++i) {
    if (std::isdigit(static_cast<unsigned char>(field[i])) == 0) return false;
    n = n * 10 + static_cast<std::size_t>(field[i] - '0');
  }
  index = n;
  rest.clear();
  if (close + 1 < field.size()) {
    if (field[close + 1] != '.') return false;
    rest = field.substr(close + 2);
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string form_field_for(const std::string& error_field) {
  std::size_t index = 0;
  std::string rest;
  if (split_indexed(error_field, "children", index, rest)) {
    const std::string prefix = "child" + std::to_string(index + 1);
    if (rest.empty()) return prefix + "_link";
    if (rest == "date_of_birth") return prefix + "_dob";
    if (rest == "expected_date_of_birth") return prefix + "_edd";
    return prefix + "_" + rest;
  }
  if (split_indexed(error_field, "adults", index, rest)) {
    const std::string prefix = "adult" + std::to_string(index + 1);
    if (rest.empty()) return prefix + "_given_name";
    if (rest == "date_of_birth") return prefix + "_dob";
    return prefix + "_" + rest;
  }
  if (split_indexed(error_field, "answers", index, rest)) {
    return "person" + std::to_string(index + 1) + "_" + (rest.empty() ? "known" : rest);
  }
  if (error_field == "answers") return "person1_known";
  if (error_field == "children") return "child1_given_name";
  if (error_field == "received_at") return "received";
  return error_field;
}

std::string anchor_for(const std::string& form_field) {
  if (form_field == "received" || ends_with(form_field, "_dob") || ends_with(form_field, "_edd")) {
    return form_field + "-day";
  }
  return form_field;
}

std::optional<FieldError> field_error(const FormState& form, const std::string& field) {
  auto message = form.error(field);
  if (!message) return std::nullopt;
  FieldError e;
  e.text = *message;
  return e;
}

Html error_summary_for(const FormState& form) {
  if (!form.has_errors()) return {};
  ErrorSummaryParams p;
  for (const auto& e : form.errors) {
    ErrorSummaryItem item;
    item.text = e.message;
    if (!e.field.empty()) item.href = "#" + anchor_for(form_field_for(e.field));
    p.error_list.push_back(std::move(item));
  }
  return error_summary(p);
}

Html render(const Chrome& chrome, const std::string& title, bool has_errors, const Html& content,
            Html before_content) {
  PageParams p;
  p.title = title;
  p.has_errors = has_errors;
  p.council_name = chrome.council_name;
  p.user = chrome.user;
  p.navigation = chrome.navigation;
  // Back links go at the top of <main> rather than before it, so that all
  // content sits in a landmark (axe-core's "region" rule).
  Html body = std::move(before_content);
  if (chrome.success_banner && !chrome.success_banner->empty()) {
    NotificationBannerParams banner;
    banner.type = "success";
    banner.text = *chrome.success_banner;
    body += notification_banner(banner) + Html::trusted("\n");
  }
  body += content;
  p.content = std::move(body);
  return page(p);
}

Html heading(const std::string& text, int level, const std::string& size) {
  const std::string tag_name = "h" + std::to_string(std::clamp(level, 1, 6));
  HtmlWriter w;
  w.raw("<").raw(tag_name).raw(" class=\"govuk-heading-").raw(size).raw("\">").text(text);
  w.raw("</").raw(tag_name).raw(">\n");
  return w.done();
}

Html paragraph(const std::string& text, const std::string& classes) {
  HtmlWriter w;
  w.raw("<p").attr("class", classes).raw(">").text(text).raw("</p>\n");
  return w.done();
}

Html paragraphs(const std::string& text) {
  HtmlWriter w;
  std::string current;
  auto flush = [&] {
    const bool blank = std::all_of(current.begin(), current.end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; });
    if (!blank) {
      // Keep single line breaks inside a paragraph.
      w.raw("<p class=\"govuk-body\">");
      std::size_t start = 0;
      while (start <= current.size()) {
        const std::size_t nl = current.find('\n', start);
        const std::string line =
            current.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (start > 0) w.raw("<br>");
        w.text(line);
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      w.raw("</p>\n");
    }
    current.clear();
  };
  std::string normalised;
  for (char c : text) {
    if (c != '\r') normalised += c;
  }
  std::size_t pos = 0;
  while (pos < normalised.size()) {
    const std::size_t gap = normalised.find("\n\n", pos);
    current = normalised.substr(pos, gap == std::string::npos ? std::string::npos : gap - pos);
    flush();
    if (gap == std::string::npos) break;
    pos = gap + 2;
  }
  return w.done();
}

Html link(const std::string& href, const Html& text) {
  HtmlWriter w;
  w.raw("<a class=\"govuk-link\"").attr("href", href).raw(">").html(text).raw("</a>");
  return w.done();
}

Html hidden(const std::string& name, const std::string& value) {
  HtmlWriter w;
  w.raw("<input type=\"hidden\"").attr("name", name).attr("value", value).raw(">\n");
  return w.done();
}

Html post_form(const std::string& action, const Chrome& chrome, const Html& body,
               const std::vector<std::pair<std::string, std::string>>& hidden_fields) {
  HtmlWriter w;
  w.raw("<form method=\"post\"").attr("action", action).raw(" novalidate>\n");
  w.html(hidden("csrf_token", chrome.csrf_token));
  for (const auto& [name, value] : hidden_fields) w.html(hidden(name, value));
  w.html(body).raw("\n</form>\n");
  return w.done();
}

Html submit_button(const std::string& text, const std::string& classes, const std::string& name,
                   const std::string& value) {
  ButtonParams b;
  b.text = text;
  b.classes = classes;
  b.name = name;
  b.value = value;
  b.prevent_double_click = true;
  return button(b);
}

Html rag_tag(domain::RagRating rag) {
  TagParams t;
  t.text = std::string(domain::label(rag));
  switch (rag) {
    case domain::RagRating::kRed:
      t.classes = tag_colour_class(TagColour::kRed);
      break;
    case domain::RagRating::kAmber:
      t.classes = tag_colour_class(TagColour::kOrange);
      break;
    case domain::RagRating::kGreen:
      t.classes = tag_colour_class(TagColour::kGreen);
      break;
  }
  return tag(t);
}

Html status_tag(domain::ContactStatus status) {
  TagParams t;
  t.text = std::string(domain::label(status));
  switch (status) {
    case domain::ContactStatus::kAwaitingScreening:
      t.classes = tag_colour_class(TagColour::kBlue);
      break;
    case domain::ContactStatus::kAwaitingDecision:
      t.classes = tag_colour_class(TagColour::kLightBlue);
      break;
    case domain::ContactStatus::kAwaitingSignOff:
      t.classes = tag_colour_class(TagColour::kPurple);
      break;
    case domain::ContactStatus::kCompleted:
      t.classes = tag_colour_class(TagColour::kGrey);
      break;
  }
  return tag(t);
}

Html overdue_tag() {
  TagParams t;
  t.text = "Overdue";
  t.classes = tag_colour_class(TagColour::kRed);
  return tag(t);
}

Html deadline(Instant due, Instant now, bool show_remaining) {
  HtmlWriter w;
  if (due < now) w.html(overdue_tag()).raw(" ");
  w.text(domain::format_london(due));
  if (show_remaining)
    w.raw("<br><span class=\"govuk-body-s\">").text(time_remaining(due, now)).raw("</span>");
  return w.done();
}

Html text_input(const FormState& form, const std::string& name, const Html& label_text,
                const std::string& classes, const std::string& autocomplete,
                const std::string& hint_text, const std::string& type) {
  InputParams p;
  p.name = name;
  p.type = type;
  p.value = form.value(name);
  p.label.text = label_text;
  p.classes = classes;
  p.autocomplete = autocomplete;
  if (!hint_text.empty()) p.hint = FieldHint{hint_text, "", {}};
  p.error_message = field_error(form, name);
  return input(p);
}

Html text_area(const FormState& form, const std::string& name, const Html& label_text,
               const std::string& hint_text, int rows, const std::string& label_classes) {
  TextareaParams p;
  p.name = name;
  p.rows = rows;
  p.value = form.value(name);
  p.label.text = label_text;
  p.label.classes = label_classes;
  if (!hint_text.empty()) p.hint = FieldHint{hint_text, "", {}};
  p.error_message = field_error(form, name);
  return textarea(p);
}

Html date_field(const FormState& form, const std::string& name, const Html& legend,
                const std::string& hint_text) {
  DateInputParams p;
  p.id = name;
  p.name_prefix = name;
  FieldFieldset fs;
  fs.legend.text = legend;
  fs.legend.classes = "govuk-fieldset__legend--s";
  p.fieldset = fs;
  if (!hint_text.empty()) p.hint = FieldHint{hint_text, "", {}};
  p.error_message = field_error(form, name);
  const bool has_error = p.error_message.has_value();
  for (const char* part : {"day", "month", "year"}) {
    DateInputItem item;
    item.name = part;
    item.value = form.value(name + "-" + part);
    item.classes = std::string(part) == "year" ? "govuk-input--width-4" : "govuk-input--width-2";
    if (has_error) item.classes += " govuk-input--error";
    p.items.push_back(std::move(item));
  }
  return date_input(p);
}

std::string percent(double probability) {
  // A model is never certain: what would round up to 100% is "over 99.9%".
  if (probability >= 0.9995) return "over 99.9%";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * probability);
  return text;
}

std::string long_date(std::optional<std::chrono::sys_days> d) {
  return d ? domain::format_long_date(*d) : std::string("Not known");
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += sep;
    out += part;
  }
  return out;
}

std::string full_name(const std::string& given, const std::string& family) {
  if (given.empty()) return family;
  if (family.empty()) return given;
  return given + " " + family;
}

std::string yes_no(bool b) {
  return b ? "Yes" : "No";
}

std::string gender_label(const std::string& code) {
  const auto l = domain::code_label(domain::genders(), code);
  return l.empty() ? std::string("Not recorded") : std::string(l);
}

std::string answer(const nlohmann::json& answers, const std::string& name) {
  if (!answers.is_object()) return {};
  if (auto it = answers.find(name); it != answers.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_boolean()) return it->get<bool>() ? "yes" : "";
    return {};
  }
  // Nested form: child2_given_name -> children[1].given_name.
  for (const auto& [prefix, array] : {std::pair<std::string, std::string>{"child", "children"},
                                      std::pair<std::string, std::string>{"adult", "adults"}}) {
    if (name.rfind(prefix, 0) != 0) continue;
    std::size_t i = prefix.size();
    std::size_t n = 0;
    while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) != 0) {
      n = n * 10 + static_cast<std::size_t>(name[i] - '0');
      ++i;
    }
    if (i == prefix.size() || i >= name.size() || name[i] != '_' || n == 0) continue;
    const std::string member = name.substr(i + 1);
    auto arr = answers.find(array);
    if (arr == answers.end() || !arr->is_array() || n > arr->size()) return {};
    const auto& obj = (*arr)[n - 1];
    if (!obj.is_object()) return {};
    auto m = obj.find(member);
    if (m == obj.end()) return {};
    if (m->is_string()) return m->get<std::string>();
    if (m->is_boolean()) return m->get<bool>() ? "yes" : "";
    return {};
  }
  return {};
}

std::vector<std::string> answer_children(const nlohmann::json& answers) {
  std::vector<std::string> names;
  for (int n = 1; n <= 20; ++n) {
    const std::string prefix = "child" + std::to_string(n) + "_";
    const std::string name =
        full_name(answer(answers, prefix + "given_name"), answer(answers, prefix + "family_name"));
    if (!name.empty()) {
      names.push_back(name);
    } else if (answer(answers, prefix + "unborn") == "yes") {
      names.push_back("Unborn baby");
    }
  }
  return names;
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

TableCell cell(Html text, CellFormat format) {
  TableCell c;
  c.text = std::move(text);
  c.format = format;
  return c;
}

}  // namespace frontdoor::web::pages
