#pragma once
// GOV.UK Frontend content components: text, messages, buttons and navigation
// links. Each renders the same markup as the govuk-frontend v5 macro of the
// same name (tests/web/govuk_fixtures_test.cpp checks them against its fixtures).
#include <optional>
#include <string>
#include <vector>

#include "web/html.hpp"

namespace frontdoor::web {

struct TagParams {
  Html text;            // text or html
  std::string classes;  // e.g. "govuk-tag--green" (see tag_colour_class)
  Attributes attributes;
};

enum class TagColour {
  kDefault,
  kGrey,
  kGreen,
  kTurquoise,
  kBlue,
  kLightBlue,
  kPurple,
  kPink,
  kRed,
  kOrange,
  kYellow
};
// "govuk-tag--grey" etc.; empty for kDefault.
std::string tag_colour_class(TagColour colour);

struct HintParams {
  Html text;
  std::string id;
  std::string classes;
  Attributes attributes;
};

struct LabelParams {
  Html text;            // nothing is rendered when empty
  std::string for_id;   // the `for` attribute
  std::string classes;  // e.g. "govuk-label--l"
  bool is_page_heading = false;
  Attributes attributes;
};

struct ErrorMessageParams {
  Html text;
  std::string id;
  std::string classes;
  std::string visually_hidden_text = "Error";  // empty: no hidden prefix
  Attributes attributes;
};

struct LegendParams {
  Html text;            // no <legend> when empty
  std::string classes;  // e.g. "govuk-fieldset__legend--l"
  bool is_page_heading = false;
};

struct FieldsetParams {
  LegendParams legend;
  std::string described_by;
  std::string role;
  std::string classes;
  Attributes attributes;
  Html html;  // the fieldset's content
};

struct InsetTextParams {
  Html text;
  std::string id;
  std::string classes;
  Attributes attributes;
};

struct WarningTextParams {
  Html text;
  std::string icon_fallback_text = "Warning";
  std::string classes;
  Attributes attributes;
};

struct DetailsParams {
  Html summary_text;
  Html text;
  std::string id;
  bool open = false;
  std::string classes;
  Attributes attributes;
};

struct PanelParams {
  Html title_text;
  Html text;  // the body; none when empty
  int heading_level = 1;
  std::string classes;
  Attributes attributes;
};

struct BackLinkParams {
  std::string href = "#";
  Html text = "Back";
  std::string classes;
  Attributes attributes;
};

enum class ButtonElement { kAuto, kButton, kLink, kInput };

struct ButtonParams {
  Html text;  // for kInput only plain text is meaningful (it goes in value="")
  ButtonElement element = ButtonElement::kAuto;  // kAuto: a link when href is set
  std::string href;
  std::string type;  // "submit" when empty
  std::string name;
  std::string value;
  std::string id;
  bool disabled = false;
  std::optional<bool> prevent_double_click;
  bool is_start_button = false;
  std::string classes;  // "govuk-button--secondary", "govuk-button--warning", ...
  Attributes attributes;
};

struct NotificationBannerParams {
  Html text;         // shown as a heading paragraph
  Html html;         // used instead of text when set (the banner's whole content)
  Html title_text;   // "Important" / "Success" when empty
  std::string type;  // "success" or empty
  std::string role;  // "region" ("alert" for success) when empty
  std::string title_id = "govuk-notification-banner-title";
  int title_heading_level = 2;
  std::optional<bool> disable_auto_focus;
  std::string classes;
  Attributes attributes;
};

struct ErrorSummaryItem {
  Html text;
  std::string href;  // a plain list item when empty
  Attributes attributes;
};

struct ErrorSummaryParams {
  Html title_text = "There is a problem";
  Html description_text;
  std::vector<ErrorSummaryItem> error_list;
  std::optional<bool> disable_auto_focus;
  std::string classes;
  Attributes attributes;
};

struct PaginationLink {
  std::string href;  // omitted when empty
  Html text;         // "Previous" / "Next" by default
  Html label_text;   // optional second line
};

struct PaginationItem {
  std::string number;  // the page number as shown
  std::string href;
  bool current = false;
  bool ellipsis = false;
  Html visually_hidden_text;  // "Page 2" by default
};

struct PaginationParams {
  std::optional<PaginationLink> previous;
  std::optional<PaginationLink> next;
  std::vector<PaginationItem> items;
  std::string landmark_label = "Pagination";
  std::string classes;
  Attributes attributes;
};

Html tag(const TagParams& p);                                 // <strong class="govuk-tag">
Html hint(const HintParams& p);                               // <div class="govuk-hint">
Html label(const LabelParams& p);                             // <label class="govuk-label">
Html error_message(const ErrorMessageParams& p);              // <p class="govuk-error-message">
Html fieldset(const FieldsetParams& p);                       // <fieldset class="govuk-fieldset">
Html inset_text(const InsetTextParams& p);                    // <div class="govuk-inset-text">
Html warning_text(const WarningTextParams& p);                // <div class="govuk-warning-text">
Html details(const DetailsParams& p);                         // <details class="govuk-details">
Html panel(const PanelParams& p);                             // confirmation panel
Html back_link(const BackLinkParams& p);                      // <a class="govuk-back-link">
Html button(const ButtonParams& p);                           // button, link or input button
Html notification_banner(const NotificationBannerParams& p);  // incl. success (role=alert)
Html error_summary(const ErrorSummaryParams& p);              // error summary with links to fields
Html pagination(const PaginationParams& p);                   // <nav class="govuk-pagination">

}  // namespace frontdoor::web
