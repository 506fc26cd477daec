#pragma once
// GOV.UK Frontend form controls. Every control takes an optional error message;
// when it is set the control renders the GOV.UK error state: the form group gets
// govuk-form-group--error, the message is shown with a visually hidden
// "Error:" prefix, and the control's aria-describedby points at it (and at the
// hint, when there is one). Ids default to the control's name, so an error
// summary links to "#<name>" (for radios and checkboxes: the first item).
#include <optional>
#include <string>
#include <vector>

#include "web/content.hpp"
#include "web/html.hpp"

namespace frontdoor::web {

struct FormGroupParams {
  std::string classes;
  Attributes attributes;
};

// A label, hint and error message as given to a control: the control fills in
// their ids and `for`.
struct FieldLabel {
  Html text;
  std::string classes;  // e.g. "govuk-label--l"
  bool is_page_heading = false;
  Attributes attributes;
};

struct FieldHint {
  Html text;
  std::string classes;
  Attributes attributes;
};

struct FieldError {
  Html text;
  std::string classes;
  std::string visually_hidden_text = "Error";
  Attributes attributes;
};

struct FieldFieldset {
  LegendParams legend;
  std::string described_by;
  std::string classes;
  Attributes attributes;
};

struct InputAffix {
  Html text;
  std::string classes;
  Attributes attributes;
};

struct InputParams {
  std::string name;
  std::string id;  // defaults to name
  std::string type = "text";
  std::string value;
  FieldLabel label;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::optional<InputAffix> prefix;
  std::optional<InputAffix> suffix;
  std::string described_by;
  std::string autocomplete;
  std::string autocapitalize;
  std::string inputmode;
  std::string pattern;
  std::optional<bool> spellcheck;
  bool disabled = false;
  std::string classes;  // e.g. "govuk-input--width-10"
  FormGroupParams form_group;
  Attributes attributes;
};

struct TextareaParams {
  std::string name;
  std::string id;
  int rows = 5;
  std::string value;
  FieldLabel label;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::string described_by;
  std::string autocomplete;
  std::optional<bool> spellcheck;
  bool disabled = false;
  std::string classes;
  FormGroupParams form_group;
  Attributes attributes;
};

struct CharacterCountParams {
  TextareaParams textarea;
  int maxlength = 0;  // characters (or words when maxwords is set)
  int maxwords = 0;
};

struct ChoiceItem {
  Html text;  // the label
  std::string value;
  std::string id;    // defaults to id_prefix, id_prefix-2, ...
  std::string name;  // checkboxes only: overrides the group's name
  std::optional<FieldHint> hint;
  Html divider;                 // when set the item is a divider ("or") and nothing else counts
  std::optional<bool> checked;  // unset: checked when value matches the group's value(s)
  bool disabled = false;
  Html conditional;       // revealed when checked (works without JS: shown when checked)
  std::string behaviour;  // checkboxes: "exclusive" for a "None" option
  std::string label_classes;
  Attributes label_attributes;
  Attributes attributes;
};

struct RadiosParams {
  std::string name;
  std::string id_prefix;  // defaults to name
  std::string value;      // the checked value
  std::vector<ChoiceItem> items;
  std::optional<FieldFieldset> fieldset;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::string classes;  // "govuk-radios--inline", "govuk-radios--small"
  FormGroupParams form_group;
  Attributes attributes;
};

struct CheckboxesParams {
  std::string name;
  std::string id_prefix;
  std::vector<std::string> values;  // the checked values
  std::vector<ChoiceItem> items;
  std::optional<FieldFieldset> fieldset;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::string described_by;
  std::string classes;
  FormGroupParams form_group;
  Attributes attributes;
};

struct SelectItem {
  std::optional<std::string> value;  // unset: no value attribute (the text is the value)
  std::string text;
  std::optional<bool> selected;
  bool disabled = false;
  Attributes attributes;
};

struct SelectParams {
  std::string name;
  std::string id;
  std::string value;  // the selected value
  std::vector<SelectItem> items;
  FieldLabel label;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::string described_by;
  bool disabled = false;
  std::string classes;
  FormGroupParams form_group;
  Attributes attributes;
};

struct DateInputItem {
  std::string name;  // "day", "month", "year"
  std::string id;    // defaults to <id>-<name>
  Html label;        // defaults to the name, capitalised
  std::string value;
  std::string classes;  // e.g. "govuk-input--width-2 govuk-input--error"
  std::string autocomplete;
  std::string pattern;
  std::string inputmode;  // "numeric" when empty
  Attributes attributes;
};

struct DateInputParams {
  std::string id;
  std::string name_prefix;           // names become <prefix>-day etc.
  std::vector<DateInputItem> items;  // day, month, year when empty
  std::optional<FieldFieldset> fieldset;
  std::optional<FieldHint> hint;
  std::optional<FieldError> error_message;
  std::string classes;
  FormGroupParams form_group;
  Attributes attributes;
};

Html input(const InputParams& p);                     // text input (with prefix/suffix)
Html textarea(const TextareaParams& p);               // textarea
Html character_count(const CharacterCountParams& p);  // textarea with a character/word count
Html radios(const RadiosParams& p);                   // radios with hints and conditional reveal
Html checkboxes(const CheckboxesParams& p);           // checkboxes (exclusive "None" supported)
Html select(const SelectParams& p);                   // <select>
Html date_input(const DateInputParams& p);            // day / month / year inputs

}  // namespace frontdoor::web
