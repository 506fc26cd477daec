// Golden tests: our renderers against the examples govuk-frontend ships in
// dist/govuk/components/<name>/fixtures.json (options + expected HTML),
// compared after normalise_html. Each component lists the fixtures it checks;
// fixtures left out are listed with the reason next to them.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "fixture_mappers.hpp"
#include "fixture_support.hpp"
#include "form_mappers.hpp"

namespace frontdoor::web::testing {
namespace {

using Mapper = std::function<Html(const J&)>;

const J* find_fixture(const J& fixtures, const std::string& name) {
  for (const auto& f : fixtures) {
    if (f["name"] == name) return &f;
  }
  return nullptr;
}

void check_fixtures(const std::string& component, const std::vector<std::string>& names,
                    const Mapper& render) {
  const J fixtures = load_fixtures(component);
  if (fixtures.empty()) return;  // load_fixtures has already failed the test
  ASSERT_FALSE(names.empty());
  for (const auto& name : names) {
    SCOPED_TRACE(component + " / " + name);
    const J* f = find_fixture(fixtures, name);
    if (f == nullptr) {
      ADD_FAILURE() << "no fixture named '" << name << "' in " << component;
      continue;
    }
    try {
      const Html html = render((*f)["options"]);
      EXPECT_EQ(normalise_html(html.str()), normalise_html((*f)["html"].get<std::string>()));
    } catch (const Unsupported& e) {
      ADD_FAILURE() << "fixture listed as supported but " << e.what();
    }
  }
}

TEST(GovukFixtures, BackLink) {
  check_fixtures("back-link",
                 {
                     "default",
                     "inverse",
                     "classes",
                     "html as text",
                     "html",
                     "with custom text and link",
                     "attributes",
                 },
                 map_back_link);
}

TEST(GovukFixtures, Button) {
  check_fixtures("button",
                 {
                     "default",
                     "disabled",
                     "link",
                     "start",
                     "input",
                     "secondary",
                     "warning",
                     "inverse",
                     "attributes",
                     "link attributes",
                     "input attributes",
                     "classes",
                     "link classes",
                     "input classes",
                     "name",
                     "type",
                     "input type",
                     "explicit link",
                     "no href",
                     "value",
                     "html",
                     "no type",
                     "no data-prevent-double-click",
                     "don't prevent double click",
                     "id",
                     "start link",
                     "input disabled",
                     "prevent double click",
                 },
                 map_button);
}

TEST(GovukFixtures, CharacterCount) {
  // Not supported: "with threshold" (data-threshold (JS warning threshold) is not offered).
  // Not supported: "with custom textarea description" (custom count message text is not offered).
  // Not supported: "custom classes on countMessage" (count message classes are not offered).
  // Not supported: "when neither maxlength nor maxwords are set" (a limit is always required).
  // Not supported: "with translations" (i18n attributes for the JS count are not offered (English
  // only)).
  check_fixtures("character-count",
                 {
                     "default",
                     "with hint",
                     "with hint and error",
                     "with default value",
                     "with default value exceeding limit",
                     "with custom rows",
                     "with label as page heading",
                     "with word count",
                     "classes",
                     "id",
                     "attributes",
                     "formGroup with classes",
                     "spellcheck enabled",
                     "spellcheck disabled",
                     "custom classes with error message",
                     "with id starting with number",
                     "with id with special characters",
                     "with textarea maxlength attribute",
                     "to configure in JavaScript",
                     "when neither maxlength/maxwords nor textarea description are set",
                 },
                 map_character_count);
}

TEST(GovukFixtures, Checkboxes) {
  // Not supported: "with falsy values" (Nunjucks numbers ids counting skipped (falsy) items; C++
  // callers pass only real items).
  check_fixtures(
      "checkboxes",
      {
          "default",
          "with hint",
          "with pre-checked values",
          "with divider and None",
          "with divider, None and conditional items",
          "with hints on items",
          "with legend as a page heading",
          "with error message",
          "with very long option text",
          "with conditional items",
          "with optional form-group classes showing group error",
          "small",
          "small with long text",
          "small with error",
          "small with hint",
          "small with conditional reveal",
          "small with divider and None",
          "with id and name",
          "with disabled item",
          "with idPrefix",
          "classes",
          "with fieldset describedBy",
          "attributes",
          "with checked item",
          "items with attributes",
          "empty conditional",
          "with label classes",
          "multiple hints",
          "with conditional items with special characters",
          "with error message and hint",
          "with error, hint and fieldset describedBy",
          "label with attributes",
          "fieldset params",
          "fieldset html params",
          "with single option set 'aria-describedby' on input, and describedBy",
          "with single option (and hint) set 'aria-describedby' on input, and describedBy",
          "with error and idPrefix",
          "with error message and fieldset describedBy",
          "with conditional item checked",
          "item checked overrides values",
          "textarea in conditional",
      },
      map_checkboxes);
}

TEST(GovukFixtures, DateInput) {
  check_fixtures("date-input",
                 {
                     "default",
                     "day and month",
                     "month and year",
                     "with errors only",
                     "with errors and hint",
                     "with error on day input",
                     "with error on month input",
                     "with error on year input",
                     "classes",
                     "attributes",
                     "with items",
                     "with empty items",
                     "custom pattern",
                     "custom inputmode",
                     "with nested name",
                     "with id on items",
                     "suffixed id",
                     "with values",
                     "with hint and describedBy",
                     "with error and describedBy",
                     "fieldset html",
                     "items with classes",
                     "items without classes",
                     "with optional form-group classes",
                     "with autocomplete values",
                     "with input attributes",
                 },
                 map_date_input);
}

TEST(GovukFixtures, Details) {
  check_fixtures("details",
                 {
                     "default",
                     "expanded",
                     "id",
                     "html as text",
                     "html",
                     "summary html as text",
                     "summary html",
                     "classes",
                     "attributes",
                     "with html",
                 },
                 map_details);
}

TEST(GovukFixtures, ErrorSummary) {
  check_fixtures("error-summary",
                 {
                     "default",
                     "without links",
                     "mixed with and without links",
                     "with description only",
                     "with everything",
                     "html as titleText",
                     "title html",
                     "description",
                     "html as descriptionText",
                     "description html",
                     "classes",
                     "attributes",
                     "error list with attributes",
                     "error list with html as text",
                     "error list with html",
                     "error list with html link",
                     "error list with html as text link",
                     "autofocus disabled",
                     "autofocus explicitly enabled",
                 },
                 map_error_summary);
}

TEST(GovukFixtures, Input) {
  // Not supported: "with customised input wrapper" (inputWrapper classes/attributes are not
  // offered).
  check_fixtures("input",
                 {
                     "default",
                     "with hint text",
                     "with error message",
                     "with error and hint",
                     "with width-2 class",
                     "with width-3 class",
                     "with width-4 class",
                     "with width-5 class",
                     "with width-10 class",
                     "with width-20 class",
                     "with width-30 class",
                     "with label as page heading",
                     "with prefix",
                     "with suffix",
                     "with prefix and suffix",
                     "with prefix and suffix and error",
                     "with prefix and suffix and width modifier",
                     "with extra letter spacing",
                     "classes",
                     "id",
                     "custom type",
                     "value",
                     "zero value",
                     "with describedBy",
                     "attributes",
                     "hint with describedBy",
                     "error with describedBy",
                     "with error, hint and describedBy",
                     "inputmode",
                     "with prefix with html as text",
                     "with prefix with html",
                     "with prefix with classes",
                     "with prefix with attributes",
                     "with suffix with html as text",
                     "with suffix with html",
                     "with suffix with classes",
                     "with suffix with attributes",
                     "with optional form-group classes",
                     "with autocomplete attribute",
                     "with pattern attribute",
                     "with spellcheck enabled",
                     "with spellcheck disabled",
                     "with autocapitalize turned off",
                     "disabled",
                 },
                 map_input);
}

TEST(GovukFixtures, InsetText) {
  check_fixtures("inset-text",
                 {
                     "default",
                     "with html",
                     "classes",
                     "id",
                     "html as text",
                     "attributes",
                 },
                 map_inset_text);
}

TEST(GovukFixtures, NotificationBanner) {
  check_fixtures("notification-banner",
                 {
                     "default",
                     "with text as html",
                     "with type as success",
                     "with long heading",
                     "with lots of content",
                     "custom title",
                     "title as html",
                     "title html as text",
                     "custom title heading level",
                     "custom title id",
                     "custom title id with type as success",
                     "custom text",
                     "html as text",
                     "custom role",
                     "classes",
                     "attributes",
                     "with invalid type",
                     "auto-focus disabled, with type as success",
                     "auto-focus explicitly enabled, with type as success",
                     "role=alert overridden to role=region, with type as success",
                     "custom tabindex",
                 },
                 map_notification_banner);
}

TEST(GovukFixtures, Panel) {
  check_fixtures("panel",
                 {
                     "default",
                     "title html as text",
                     "title html",
                     "body html as text",
                     "body html",
                     "classes",
                     "attributes",
                     "title with no body text",
                     "custom heading level",
                 },
                 map_panel);
}

TEST(GovukFixtures, Radios) {
  // Not supported: "with falsy items" (Nunjucks numbers ids counting skipped (falsy) items; C++
  // callers pass only real items).
  check_fixtures("radios",
                 {
                     "default",
                     "with hint",
                     "inline",
                     "with legend as page heading",
                     "with a divider",
                     "with hints on items",
                     "without fieldset",
                     "with fieldset and error message",
                     "with very long option text",
                     "with conditional items",
                     "with conditional item checked",
                     "with optional form-group classes showing group error",
                     "small",
                     "small with long text",
                     "small with error",
                     "small with hint",
                     "small with conditional reveal",
                     "small inline",
                     "small with a divider",
                     "with idPrefix",
                     "minimal items and name",
                     "fieldset with describedBy",
                     "attributes",
                     "items with attributes",
                     "with empty conditional",
                     "label with classes",
                     "with hints on parent and items",
                     "with describedBy and hint",
                     "with error message",
                     "with error message and idPrefix",
                     "with hint and error message",
                     "with hint, error message and describedBy",
                     "label with attributes",
                     "fieldset params",
                     "fieldset with html",
                     "with fieldset, error message and describedBy",
                     "item checked overrides value",
                     "textarea in conditional",
                     "with disabled",
                     "prechecked using value",
                     "with conditional items with special characters",
                     "with conditional items and pre-checked value",
                 },
                 map_radios);
}

TEST(GovukFixtures, Select) {
  check_fixtures("select",
                 {
                     "default",
                     "with hint text and error message",
                     "with label as page heading",
                     "with full width override",
                     "with describedBy",
                     "attributes",
                     "attributes on items",
                     "with falsy items",
                     "hint",
                     "hint and describedBy",
                     "error",
                     "error and describedBy",
                     "without values",
                     "without values with selected value",
                     "with falsy values",
                     "item selected overrides value",
                     "id",
                     "with selected value",
                     "with optional form-group classes",
                 },
                 map_select);
}

TEST(GovukFixtures, SummaryList) {
  check_fixtures("summary-list",
                 {
                     "default",
                     "with actions",
                     "no-border",
                     "no-border on last row",
                     "extreme",
                     "as a summary card with a text header",
                     "as a summary card with a html header",
                     "as a summary card with actions",
                     "as a summary card with actions plus summary list actions",
                     "as a summary card extreme",
                     "attributes",
                     "with falsy values",
                     "key with html",
                     "key with classes",
                     "value with html",
                     "actions href",
                     "actions with html",
                     "actions with classes",
                     "actions with attributes",
                     "single action with anchor",
                     "classes on items",
                     "empty items array",
                     "rows with classes",
                     "summary card with custom classes",
                     "summary card with custom attributes",
                     "summary card with only 1 action",
                     "translated",
                     "with some actions",
                     "overridden-widths",
                     "as a summary card with a custom header level",
                 },
                 map_summary_list);
}

TEST(GovukFixtures, Table) {
  check_fixtures("table",
                 {
                     "default",
                     "with head",
                     "with head and caption",
                     "classes",
                     "attributes",
                     "html as text",
                     "html",
                     "head with classes",
                     "head with rowspan and colspan",
                     "head with attributes",
                     "with firstCellIsHeader true",
                     "firstCellIsHeader with classes",
                     "firstCellIsHeader with html",
                     "firstCellIsHeader with html as text",
                     "firstCellIsHeader with rowspan and colspan",
                     "firstCellIsHeader with attributes",
                     "with falsy items",
                     "rows with classes",
                     "rows with rowspan and colspan",
                     "rows with attributes",
                     "with small text modifier for tables with a lot of data",
                 },
                 map_table);
}

TEST(GovukFixtures, Tag) {
  check_fixtures("tag",
                 {
                     "default",
                     "grey",
                     "light blue",
                     "turquoise",
                     "green",
                     "purple",
                     "pink",
                     "red",
                     "orange",
                     "yellow",
                     "attributes",
                     "html as text",
                     "html",
                 },
                 map_tag);
}

TEST(GovukFixtures, TaskList) {
  // Not supported: "with empty values" (Nunjucks numbers ids counting skipped (falsy) items; C++
  // callers pass only real items).
  check_fixtures("task-list",
                 {
                     "default",
                     "forced hover state",
                     "with hint text and additional states",
                     "with all possible colours",
                     "with very long single word tags",
                     "custom classes",
                     "custom attributes",
                     "custom id prefix",
                     "html passed as text",
                     "html",
                 },
                 map_task_list);
}

TEST(GovukFixtures, Textarea) {
  check_fixtures("textarea",
                 {
                     "default",
                     "with hint",
                     "with error message",
                     "with default value",
                     "with custom rows",
                     "with label as page heading",
                     "id",
                     "classes",
                     "attributes",
                     "with describedBy",
                     "with hint and described by",
                     "with error message and described by",
                     "with hint and error message",
                     "with hint, error message and described by",
                     "with optional form-group classes",
                     "with autocomplete attribute",
                     "with spellcheck enabled",
                     "with spellcheck disabled",
                 },
                 map_textarea);
}

TEST(GovukFixtures, WarningText) {
  check_fixtures("warning-text",
                 {
                     "default",
                     "multiple lines",
                     "attributes",
                     "classes",
                     "html",
                     "html as text",
                     "icon fallback text only",
                     "no icon fallback text",
                 },
                 map_warning_text);
}
}  // namespace
}  // namespace frontdoor::web::testing
