#include "web/forms.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace frontdoor::web {

namespace {

void add_described_by(std::string& described_by, const std::string& id) {
  if (!described_by.empty()) described_by += ' ';
  described_by += id;
}

void open_form_group(HtmlWriter& w, const FormGroupParams& g, bool has_error,
                     std::string_view extra_class = {}) {
  std::string classes = "govuk-form-group";
  if (has_error) classes += " govuk-form-group--error";
  if (!extra_class.empty()) classes = join_classes(classes, extra_class);
  w.raw("<div").classes(classes, g.classes).attrs(g.attributes).raw(">\n");
}

Html render_label(const FieldLabel& l, const std::string& for_id, std::string classes) {
  return label(LabelParams{l.text, for_id, std::move(classes), l.is_page_heading, l.attributes});
}

// Renders the hint, if any, and records its id in described_by.
void render_hint(HtmlWriter& w, const std::optional<FieldHint>& h, const std::string& id,
                 std::string& described_by, std::string_view indent = "  ") {
  if (!h) return;
  const std::string hint_id = id + "-hint";
  add_described_by(described_by, hint_id);
  w.raw(indent).html(hint(HintParams{h->text, hint_id, h->classes, h->attributes})).raw("\n");
}

void render_error(HtmlWriter& w, const std::optional<FieldError>& e, const std::string& id,
                  std::string& described_by, std::string_view indent = "  ") {
  if (!e) return;
  const std::string error_id = id + "-error";
  add_described_by(described_by, error_id);
  w.raw(indent).html(error_message(
      ErrorMessageParams{e->text, error_id, e->classes, e->visually_hidden_text, e->attributes}));
  w.raw("\n");
}

void render_affix(HtmlWriter& w, const InputAffix& a, std::string_view type) {
  w.raw("\n    <div").classes(std::string("govuk-input__") + std::string(type), a.classes);
  w.raw(" aria-hidden=\"true\"").attrs(a.attributes).raw(">").html(a.text).raw("</div>");
}

Html textarea_with(const TextareaParams& p, std::string_view group_class,
                   const Attributes& group_attributes, const Html& after_input,
                   const std::string& first_described_by) {
  const std::string id = p.id.empty() ? p.name : p.id;
  std::string described_by = !first_described_by.empty() ? first_described_by : p.described_by;
  HtmlWriter w;
  FormGroupParams group{p.form_group.classes, group_attributes};
  open_form_group(w, group, p.error_message.has_value(), group_class);
  w.raw("  ").html(render_label(p.label, id, p.label.classes)).raw("\n");
  render_hint(w, p.hint, id, described_by);
  render_error(w, p.error_message, id, described_by);
  std::string classes = "govuk-textarea";
  if (p.error_message) classes += " govuk-textarea--error";
  w.raw("  <textarea").classes(classes, p.classes).attr("id", id).attr("name", p.name);
  w.attr("rows", std::to_string(p.rows > 0 ? p.rows : 5));
  if (p.spellcheck) w.attr("spellcheck", *p.spellcheck ? "true" : "false");
  if (p.disabled) w.raw(" disabled");
  w.attr_if("aria-describedby", described_by).attr_if("autocomplete", p.autocomplete);
  w.attrs(p.attributes).raw(">").text(p.value).raw("</textarea>\n");
  if (!after_input.empty()) w.raw("  ").html(after_input).raw("\n");
  w.raw("</div>");
  return w.done();
}

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

enum class ChoiceKind { kRadio, kCheckbox };

struct ChoiceGroup {
  ChoiceKind kind;
  std::string name;
  std::string id_prefix;
  const std::vector<ChoiceItem>* items;
  std::string radio_value;
  const std::vector<std::string>* checkbox_values;
  const std::optional<FieldFieldset>* fieldset;
  const std::optional<FieldHint>* hint;
  const std::optional<FieldError>* error_message;
  std::string described_by;
  std::string classes;
  const FormGroupParams* form_group;
  const Attributes* attributes;
};

Html choices(const ChoiceGroup& g) {
  const std::string_view block = g.kind == ChoiceKind::kRadio ? "govuk-radios" : "govuk-checkboxes";
  const std::string b(block);
  const std::string id_prefix = g.id_prefix.empty() ? g.name : g.id_prefix;
  const bool has_fieldset = g.fieldset->has_value();
  std::string described_by = g.described_by;
  if (has_fieldset && !(*g.fieldset)->described_by.empty()) {
    described_by = (*g.fieldset)->described_by;
  }
  HtmlWriter inner;
  render_hint(inner, *g.hint, id_prefix, described_by);
  render_error(inner, *g.error_message, id_prefix, described_by);
  // Checkbox inputs point at the group's hint and error themselves when there
  // is no fieldset to carry them.
  const std::string item_group_described_by =
      g.kind == ChoiceKind::kCheckbox && !has_fieldset ? described_by : "";
  inner.raw("  <div").classes(b, g.classes).attrs(*g.attributes);
  inner.raw(" data-module=\"").raw(block).raw("\">\n");
  int index = 0;
  for (const auto& item : *g.items) {
    ++index;
    std::string item_id = item.id;
    if (item_id.empty()) {
      item_id = id_prefix;
      if (index > 1) item_id.append(1, '-').append(std::to_string(index));
    }
    if (!item.divider.empty()) {
      inner.raw("    <div class=\"").raw(block).raw("__divider\">").html(item.divider);
      inner.raw("</div>\n");
      continue;
    }
    bool checked = false;
    if (item.checked.has_value()) {
      checked = *item.checked;
    } else if (g.kind == ChoiceKind::kRadio) {
      checked = !g.radio_value.empty() && item.value == g.radio_value;
    } else {
      checked = contains(*g.checkbox_values, item.value);
    }
    const std::string conditional_id = "conditional-" + item_id;
    const std::string item_hint_id = item_id + "-item-hint";
    std::string item_described_by = item_group_described_by;
    if (item.hint) add_described_by(item_described_by, item_hint_id);

    inner.raw("    <div class=\"").raw(block).raw("__item\">\n      <input class=\"");
    inner.raw(block).raw("__input\"").attr("id", item_id);
    inner.attr("name", !item.name.empty() && g.kind == ChoiceKind::kCheckbox ? item.name : g.name);
    inner.attr("type", g.kind == ChoiceKind::kRadio ? "radio" : "checkbox")
        .attr("value", item.value);
    if (checked) inner.raw(" checked");
    if (item.disabled) inner.raw(" disabled");
    if (!item.conditional.empty()) inner.attr("data-aria-controls", conditional_id);
    if (g.kind == ChoiceKind::kCheckbox) inner.attr_if("data-behaviour", item.behaviour);
    inner.attr_if("aria-describedby", item_described_by).attrs(item.attributes).raw(">\n");
    inner.raw("      ");
    inner.html(
        label(LabelParams{item.text, item_id, join_classes(b + "__label", item.label_classes),
                          false, item.label_attributes}));
    inner.raw("\n");
    if (item.hint) {
      inner.raw("      ").html(
          hint(HintParams{item.hint->text, item_hint_id,
                          join_classes(b + "__hint", item.hint->classes), item.hint->attributes}));
      inner.raw("\n");
    }
    inner.raw("    </div>\n");
    if (!item.conditional.empty()) {
      std::string classes = b + "__conditional";
      if (!checked) classes += " " + b + "__conditional--hidden";
      inner.raw("    <div").attr("class", classes).attr("id", conditional_id).raw(">\n      ");
      inner.html(item.conditional).raw("\n    </div>\n");
    }
  }
  inner.raw("  </div>");

  HtmlWriter w;
  open_form_group(w, *g.form_group, g.error_message->has_value());
  if (has_fieldset) {
    const FieldFieldset& f = **g.fieldset;
    w.raw("  ").html(fieldset(
        FieldsetParams{f.legend, described_by, "", f.classes, f.attributes, inner.done()}));
  } else {
    w.html(inner.done());
  }
  w.raw("\n</div>");
  return w.done();
}

std::string capitalise(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    s[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return s;
}

}  // namespace

Html input(const InputParams& p) {
  const std::string id = p.id.empty() ? p.name : p.id;
  std::string described_by = p.described_by;
  std::string classes = join_classes("govuk-input", p.classes);
  if (p.error_message) classes += " govuk-input--error";

  HtmlWriter w;
  open_form_group(w, p.form_group, p.error_message.has_value());
  w.raw("  ").html(render_label(p.label, id, p.label.classes)).raw("\n");
  render_hint(w, p.hint, id, described_by);
  render_error(w, p.error_message, id, described_by);

  HtmlWriter in;
  in.raw("<input").attr("class", classes).attr("id", id).attr("name", p.name);
  in.attr("type", p.type.empty() ? "text" : p.type);
  if (p.spellcheck) in.attr("spellcheck", *p.spellcheck ? "true" : "false");
  in.attr_if("value", p.value);
  if (p.disabled) in.raw(" disabled");
  in.attr_if("aria-describedby", described_by).attr_if("autocomplete", p.autocomplete);
  in.attr_if("autocapitalize", p.autocapitalize).attr_if("pattern", p.pattern);
  in.attr_if("inputmode", p.inputmode).attrs(p.attributes).raw(">");
  const Html element = in.done();

  const bool has_prefix = p.prefix && !p.prefix->text.empty();
  const bool has_suffix = p.suffix && !p.suffix->text.empty();
  if (has_prefix || has_suffix) {
    w.raw("  <div class=\"govuk-input__wrapper\">");
    if (has_prefix) render_affix(w, *p.prefix, "prefix");
    w.raw("\n    ").html(element);
    if (has_suffix) render_affix(w, *p.suffix, "suffix");
    w.raw("\n  </div>\n");
  } else {
    w.raw("  ").html(element).raw("\n");
  }
  w.raw("</div>");
  return w.done();
}

Html textarea(const TextareaParams& p) {
  return textarea_with(p, "", p.form_group.attributes, Html{}, "");
}

Html character_count(const CharacterCountParams& p) {
  const TextareaParams& t = p.textarea;
  const std::string id = t.id.empty() ? t.name : t.id;
  const bool words = p.maxwords > 0;
  const int limit = words ? p.maxwords : p.maxlength;
  Attributes group_attributes{{"data-module", "govuk-character-count"}};
  if (p.maxlength > 0) group_attributes.push_back({"data-maxlength", std::to_string(p.maxlength)});
  if (p.maxwords > 0) group_attributes.push_back({"data-maxwords", std::to_string(p.maxwords)});
  for (const auto& a : t.form_group.attributes) group_attributes.push_back(a);
  Html message;
  if (limit > 0) {
    message =
        Html("You can enter up to " + std::to_string(limit) + (words ? " words" : " characters"));
  }
  const Html count = hint(HintParams{message, id + "-info", "govuk-character-count__message", {}});
  TextareaParams inner = t;
  inner.id = id;
  inner.classes = join_classes("govuk-js-character-count", t.classes);
  return textarea_with(inner, "govuk-character-count", group_attributes, count, id + "-info");
}

Html radios(const RadiosParams& p) {
  static const std::vector<std::string> kNoValues;
  return choices(ChoiceGroup{ChoiceKind::kRadio, p.name, p.id_prefix, &p.items, p.value, &kNoValues,
                             &p.fieldset, &p.hint, &p.error_message, "", p.classes, &p.form_group,
                             &p.attributes});
}

Html checkboxes(const CheckboxesParams& p) {
  return choices(ChoiceGroup{ChoiceKind::kCheckbox, p.name, p.id_prefix, &p.items, "", &p.values,
                             &p.fieldset, &p.hint, &p.error_message, p.described_by, p.classes,
                             &p.form_group, &p.attributes});
}

Html select(const SelectParams& p) {
  const std::string id = p.id.empty() ? p.name : p.id;
  std::string described_by = p.described_by;
  HtmlWriter w;
  open_form_group(w, p.form_group, p.error_message.has_value());
  w.raw("  ").html(render_label(p.label, id, p.label.classes)).raw("\n");
  render_hint(w, p.hint, id, described_by);
  render_error(w, p.error_message, id, described_by);
  std::string classes = join_classes("govuk-select", p.classes);
  if (p.error_message) classes += " govuk-select--error";
  w.raw("  <select").attr("class", classes).attr("id", id).attr("name", p.name);
  if (p.disabled) w.raw(" disabled");
  w.attr_if("aria-describedby", described_by).attrs(p.attributes).raw(">\n");
  for (const auto& item : p.items) {
    const std::string& effective = item.value ? *item.value : item.text;
    bool selected = false;
    if (item.selected.has_value()) {
      selected = *item.selected;
    } else {
      selected = !p.value.empty() && effective == p.value;
    }
    w.raw("    <option");
    if (item.value) w.attr("value", *item.value);
    if (selected) w.raw(" selected");
    if (item.disabled) w.raw(" disabled");
    w.attrs(item.attributes).raw(">").text(item.text).raw("</option>\n");
  }
  w.raw("  </select>\n</div>");
  return w.done();
}

Html date_input(const DateInputParams& p) {
  std::vector<DateInputItem> items = p.items;
  if (items.empty()) {
    for (const char* name : {"day", "month", "year"}) {
      DateInputItem item;
      item.name = name;
      item.classes = item.name == "year" ? "govuk-input--width-4" : "govuk-input--width-2";
      items.push_back(std::move(item));
    }
  }
  std::string described_by;
  if (p.fieldset && !p.fieldset->described_by.empty()) described_by = p.fieldset->described_by;

  HtmlWriter inner;
  render_hint(inner, p.hint, p.id, described_by);
  render_error(inner, p.error_message, p.id, described_by);
  inner.raw("  <div").classes("govuk-date-input", p.classes).attrs(p.attributes);
  inner.attr_if("id", p.id).raw(">\n");
  for (const auto& item : items) {
    InputParams in;
    in.label = FieldLabel{item.label.empty() ? Html(capitalise(item.name)) : item.label,
                          "govuk-date-input__label",
                          false,
                          {}};
    in.id = !item.id.empty() ? item.id : p.id + "-" + item.name;
    in.classes = join_classes("govuk-date-input__input", item.classes);
    in.name = p.name_prefix.empty() ? item.name : p.name_prefix + "-" + item.name;
    in.value = item.value;
    in.inputmode = item.inputmode.empty() ? "numeric" : item.inputmode;
    in.autocomplete = item.autocomplete;
    in.pattern = item.pattern;
    in.attributes = item.attributes;
    inner.raw("    <div class=\"govuk-date-input__item\">\n      ").html(input(in));
    inner.raw("\n    </div>\n");
  }
  inner.raw("  </div>");

  HtmlWriter w;
  open_form_group(w, p.form_group, p.error_message.has_value());
  if (p.fieldset) {
    w.raw("  ").html(
        fieldset(FieldsetParams{p.fieldset->legend, described_by, "group", p.fieldset->classes,
                                p.fieldset->attributes, inner.done()}));
  } else {
    w.html(inner.done());
  }
  w.raw("\n</div>");
  return w.done();
}

}  // namespace frontdoor::web
