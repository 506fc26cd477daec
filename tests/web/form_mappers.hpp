#pragma once
// Maps govuk-frontend form-control fixture options onto frontdoor::web params.
#include "fixture_mappers.hpp"

namespace frontdoor::web::testing {

inline Html map_input(const J& o) {
  only(o, {"name", "id", "type", "value", "label", "hint", "errorMessage", "prefix", "suffix",
           "describedBy", "autocomplete", "autocapitalize", "inputmode", "pattern", "spellcheck",
           "disabled", "classes", "formGroup", "attributes"});
  InputParams p;
  p.name = str(o, "name");
  p.id = str(o, "id");
  if (has(o, "type")) p.type = str(o, "type");
  p.value = str(o, "value");
  p.label = field_label(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  for (const char* key : {"prefix", "suffix"}) {
    if (!has(o, key)) continue;
    only(o[key], {"text", "html", "classes", "attributes"});
    InputAffix a{content(o[key]), str(o[key], "classes"), attributes(o[key])};
    (std::string_view(key) == "prefix" ? p.prefix : p.suffix) = a;
  }
  p.described_by = str(o, "describedBy");
  p.autocomplete = str(o, "autocomplete");
  p.autocapitalize = str(o, "autocapitalize");
  p.inputmode = str(o, "inputmode");
  p.pattern = str(o, "pattern");
  p.spellcheck = tristate(o, "spellcheck");
  p.disabled = flag(o, "disabled");
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return input(p);
}

inline TextareaParams textarea_params(const J& o) {
  TextareaParams p;
  p.name = str(o, "name");
  p.id = str(o, "id");
  p.rows = integer(o, "rows", 5);
  p.value = str(o, "value");
  p.label = field_label(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  p.described_by = str(o, "describedBy");
  p.autocomplete = str(o, "autocomplete");
  p.spellcheck = tristate(o, "spellcheck");
  p.disabled = flag(o, "disabled");
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return p;
}

inline Html map_textarea(const J& o) {
  only(o, {"name", "id", "rows", "value", "label", "hint", "errorMessage", "describedBy",
           "autocomplete", "spellcheck", "disabled", "classes", "formGroup", "attributes"});
  return textarea(textarea_params(o));
}

inline Html map_character_count(const J& o) {
  only(o, {"name", "id", "rows", "value", "label", "hint", "errorMessage", "spellcheck", "classes",
           "formGroup", "attributes", "maxlength", "maxwords"});
  CharacterCountParams p;
  p.textarea = textarea_params(o);
  p.maxlength = integer(o, "maxlength", 0);
  p.maxwords = integer(o, "maxwords", 0);
  return character_count(p);
}

inline ChoiceItem choice_item(const J& i) {
  only(i, {"text", "html", "value", "id", "name", "hint", "divider", "checked", "disabled",
           "conditional", "behaviour", "label", "attributes"});
  ChoiceItem item;
  item.text = content(i);
  item.value = str(i, "value");
  item.id = str(i, "id");
  item.name = str(i, "name");
  if (has(i, "hint") && (!str(i["hint"], "text").empty() || !str(i["hint"], "html").empty())) {
    item.hint = field_hint(i);
  }
  item.divider = Html(str(i, "divider"));
  item.checked = tristate(i, "checked");
  item.disabled = flag(i, "disabled");
  if (has(i, "conditional") && i["conditional"].value("html", J(false)) != false) {
    only(i["conditional"], {"html"});
    item.conditional = Html::trusted(str(i["conditional"], "html"));
  }
  item.behaviour = str(i, "behaviour");
  if (has(i, "label")) {
    only(i["label"], {"classes", "attributes"});
    item.label_classes = str(i["label"], "classes");
    item.label_attributes = attributes(i["label"]);
  }
  item.attributes = attributes(i);
  return item;
}

inline std::vector<ChoiceItem> choice_items(const J& o) {
  std::vector<ChoiceItem> items;
  if (!has(o, "items")) return items;
  for (const auto& i : o["items"]) {
    // Nunjucks skips falsy items; the loop index still counts them.
    if (falsy(i) || (i.is_object() && i.empty())) {
      throw Unsupported("falsy items");
    }
    items.push_back(choice_item(i));
  }
  return items;
}

inline Html map_radios(const J& o) {
  only(o, {"name", "idPrefix", "value", "items", "fieldset", "hint", "errorMessage", "classes",
           "formGroup", "attributes"});
  RadiosParams p;
  p.name = str(o, "name");
  p.id_prefix = str(o, "idPrefix");
  p.value = str(o, "value");
  p.items = choice_items(o);
  p.fieldset = field_fieldset(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return radios(p);
}

inline Html map_checkboxes(const J& o) {
  only(o, {"name", "idPrefix", "values", "items", "fieldset", "hint", "errorMessage", "describedBy",
           "classes", "formGroup", "attributes"});
  CheckboxesParams p;
  p.name = str(o, "name");
  p.id_prefix = str(o, "idPrefix");
  if (has(o, "values")) {
    for (const auto& v : o["values"])
      p.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  p.items = choice_items(o);
  p.fieldset = field_fieldset(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  p.described_by = str(o, "describedBy");
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return checkboxes(p);
}

inline Html map_select(const J& o) {
  only(o, {"name", "id", "value", "items", "label", "hint", "errorMessage", "describedBy",
           "disabled", "classes", "formGroup", "attributes"});
  SelectParams p;
  p.name = str(o, "name");
  p.id = str(o, "id");
  p.value = str(o, "value");
  for (const auto& i : has(o, "items") ? o["items"] : J::array()) {
    if (falsy(i)) continue;  // a caller leaves such items out
    only(i, {"value", "text", "selected", "disabled", "attributes"});
    SelectItem item;
    if (i.contains("value")) item.value = str(i, "value");
    item.text = str(i, "text");
    item.selected = tristate(i, "selected");
    item.disabled = flag(i, "disabled");
    item.attributes = attributes(i);
    p.items.push_back(std::move(item));
  }
  p.label = field_label(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  p.described_by = str(o, "describedBy");
  p.disabled = flag(o, "disabled");
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return select(p);
}

inline Html map_date_input(const J& o) {
  only(o, {"id", "namePrefix", "items", "fieldset", "hint", "errorMessage", "classes", "formGroup",
           "attributes"});
  DateInputParams p;
  p.id = str(o, "id");
  p.name_prefix = str(o, "namePrefix");
  if (has(o, "items")) {
    for (const auto& i : o["items"]) {
      only(i, {"name", "id", "label", "value", "classes", "autocomplete", "pattern", "inputmode",
               "attributes"});
      DateInputItem item;
      item.name = str(i, "name");
      item.id = str(i, "id");
      item.label = Html(str(i, "label"));
      item.value = str(i, "value");
      item.classes = str(i, "classes");
      item.autocomplete = str(i, "autocomplete");
      item.pattern = str(i, "pattern");
      item.inputmode = str(i, "inputmode");
      item.attributes = attributes(i);
      p.items.push_back(std::move(item));
    }
  }
  p.fieldset = field_fieldset(o);
  p.hint = field_hint(o);
  p.error_message = field_error(o);
  p.classes = str(o, "classes");
  p.form_group = form_group(o);
  p.attributes = attributes(o);
  return date_input(p);
}

}  // namespace frontdoor::web::testing
