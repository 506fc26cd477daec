#include "web/content.hpp"

#include <string>

namespace frontdoor::web {

std::string tag_colour_class(TagColour colour) {
  switch (colour) {
    case TagColour::kDefault:
      return "";
    case TagColour::kGrey:
      return "govuk-tag--grey";
    case TagColour::kGreen:
      return "govuk-tag--green";
    case TagColour::kTurquoise:
      return "govuk-tag--turquoise";
    case TagColour::kBlue:
      return "govuk-tag--blue";
    case TagColour::kLightBlue:
      return "govuk-tag--light-blue";
    case TagColour::kPurple:
      return "govuk-tag--purple";
    case TagColour::kPink:
      return "govuk-tag--pink";
    case TagColour::kRed:
      return "govuk-tag--red";
    case TagColour::kOrange:
      return "govuk-tag--orange";
    case TagColour::kYellow:
      return "govuk-tag--yellow";
  }
  return "";
}

Html tag(const TagParams& p) {
  HtmlWriter w;
  w.raw("<strong").classes("govuk-tag", p.classes).attrs(p.attributes).raw(">\n  ");
  w.html(p.text).raw("\n</strong>");
  return w.done();
}

Html hint(const HintParams& p) {
  HtmlWriter w;
  w.raw("<div").attr_if("id", p.id).classes("govuk-hint", p.classes).attrs(p.attributes);
  w.raw(">\n  ").html(p.text).raw("\n</div>");
  return w.done();
}

Html label(const LabelParams& p) {
  if (p.text.empty()) return {};
  HtmlWriter w;
  if (p.is_page_heading) w.raw("<h1 class=\"govuk-label-wrapper\">\n  ");
  w.raw("<label").classes("govuk-label", p.classes).attrs(p.attributes).attr_if("for", p.for_id);
  w.raw(">\n  ").html(p.text).raw("\n</label>");
  if (p.is_page_heading) w.raw("\n</h1>");
  return w.done();
}

Html error_message(const ErrorMessageParams& p) {
  HtmlWriter w;
  w.raw("<p").attr_if("id", p.id).classes("govuk-error-message", p.classes).attrs(p.attributes);
  w.raw(">\n  ");
  if (!p.visually_hidden_text.empty()) {
    w.raw("<span class=\"govuk-visually-hidden\">").text(p.visually_hidden_text).raw(":</span> ");
  }
  w.html(p.text).raw("\n</p>");
  return w.done();
}

Html fieldset(const FieldsetParams& p) {
  HtmlWriter w;
  w.raw("<fieldset").classes("govuk-fieldset", p.classes).attr_if("role", p.role);
  w.attr_if("aria-describedby", p.described_by).attrs(p.attributes).raw(">\n");
  if (!p.legend.text.empty()) {
    w.raw("  <legend").classes("govuk-fieldset__legend", p.legend.classes).raw(">\n");
    if (p.legend.is_page_heading) {
      w.raw("    <h1 class=\"govuk-fieldset__heading\">\n      ").html(p.legend.text);
      w.raw("\n    </h1>\n");
    } else {
      w.raw("    ").html(p.legend.text).raw("\n");
    }
    w.raw("  </legend>\n");
  }
  if (!p.html.empty()) w.raw("  ").html(p.html).raw("\n");
  w.raw("</fieldset>");
  return w.done();
}

Html inset_text(const InsetTextParams& p) {
  HtmlWriter w;
  w.raw("<div").attr_if("id", p.id).classes("govuk-inset-text", p.classes).attrs(p.attributes);
  w.raw(">\n  ").html(p.text).raw("\n</div>");
  return w.done();
}

Html warning_text(const WarningTextParams& p) {
  HtmlWriter w;
  w.raw("<div").classes("govuk-warning-text", p.classes).attrs(p.attributes).raw(">\n");
  w.raw("  <span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n");
  w.raw("  <strong class=\"govuk-warning-text__text\">\n");
  w.raw("    <span class=\"govuk-visually-hidden\">")
      .text(p.icon_fallback_text.empty() ? "Warning" : p.icon_fallback_text)
      .raw("</span>\n    ");
  w.html(p.text).raw("\n  </strong>\n</div>");
  return w.done();
}

Html details(const DetailsParams& p) {
  HtmlWriter w;
  w.raw("<details").attr_if("id", p.id).classes("govuk-details", p.classes).attrs(p.attributes);
  if (p.open) w.raw(" open");
  w.raw(">\n  <summary class=\"govuk-details__summary\">\n");
  w.raw("    <span class=\"govuk-details__summary-text\">\n      ").html(p.summary_text);
  w.raw("\n    </span>\n  </summary>\n  <div class=\"govuk-details__text\">\n    ");
  w.html(p.text).raw("\n  </div>\n</details>");
  return w.done();
}

Html panel(const PanelParams& p) {
  const std::string h =
      std::to_string(p.heading_level >= 1 && p.heading_level <= 6 ? p.heading_level : 1);
  HtmlWriter w;
  w.raw("<div").classes("govuk-panel govuk-panel--confirmation", p.classes).attrs(p.attributes);
  w.raw(">\n  <h").raw(h).raw(" class=\"govuk-panel__title\">\n    ").html(p.title_text);
  w.raw("\n  </h").raw(h).raw(">\n");
  if (!p.text.empty()) {
    w.raw("  <div class=\"govuk-panel__body\">\n    ").html(p.text).raw("\n  </div>\n");
  }
  w.raw("</div>");
  return w.done();
}

Html back_link(const BackLinkParams& p) {
  HtmlWriter w;
  w.raw("<a").attr("href", p.href.empty() ? "#" : p.href).classes("govuk-back-link", p.classes);
  w.attrs(p.attributes).raw(">").html(p.text.empty() ? Html("Back") : p.text).raw("</a>");
  return w.done();
}

namespace {

constexpr std::string_view kStartIcon =
    "\n  <svg class=\"govuk-button__start-icon\" xmlns=\"http://www.w3.org/2000/svg\" "
    "width=\"17.5\" height=\"19\" viewBox=\"0 0 33 40\" aria-hidden=\"true\" focusable=\"false\">\n"
    "    <path fill=\"currentColor\" d=\"M0 0h13l20 20-20 20H0l20-20z\"/>\n  </svg>";

}  // namespace

Html button(const ButtonParams& p) {
  ButtonElement element = p.element;
  if (element == ButtonElement::kAuto) {
    element = p.href.empty() ? ButtonElement::kButton : ButtonElement::kLink;
  }
  std::string classes = join_classes("govuk-button", p.classes);
  if (p.is_start_button) classes += " govuk-button--start";

  auto common = [&](HtmlWriter& w) {
    w.attr("class", classes).attr("data-module", "govuk-button").attrs(p.attributes);
    w.attr_if("id", p.id);
  };
  auto button_attrs = [&](HtmlWriter& w) {
    w.attr_if("name", p.name);
    if (p.disabled) w.raw(" disabled aria-disabled=\"true\"");
    if (p.prevent_double_click) {
      w.attr("data-prevent-double-click", *p.prevent_double_click ? "true" : "false");
    }
  };
  const std::string type = p.type.empty() ? "submit" : p.type;

  HtmlWriter w;
  switch (element) {
    case ButtonElement::kLink:
      w.raw("<a").attr("href", p.href.empty() ? "#" : p.href);
      w.raw(" role=\"button\" draggable=\"false\"");
      common(w);
      w.raw(">\n  ").html(p.text);
      if (p.is_start_button) w.raw(kStartIcon);
      w.raw("\n</a>");
      break;
    case ButtonElement::kInput:
      // The value attribute holds the text; it was escaped once as Html, and
      // attribute values need no more than that.
      w.raw("<input value=\"").html(p.text).raw("\"").attr("type", type);
      button_attrs(w);
      common(w);
      w.raw(">");
      break;
    case ButtonElement::kAuto:
    case ButtonElement::kButton:
      w.raw("<button").attr_if("value", p.value).attr("type", type);
      button_attrs(w);
      common(w);
      w.raw(">\n  ").html(p.text);
      if (p.is_start_button) w.raw(kStartIcon);
      w.raw("\n</button>");
      break;
  }
  return w.done();
}

Html notification_banner(const NotificationBannerParams& p) {
  const bool success = p.type == "success";
  const std::string role = !p.role.empty() ? p.role : (success ? "alert" : "region");
  const std::string title_id = p.title_id.empty() ? "govuk-notification-banner-title" : p.title_id;
  const Html title = !p.title_text.empty() ? p.title_text : Html(success ? "Success" : "Important");
  const std::string h = std::to_string(
      p.title_heading_level >= 1 && p.title_heading_level <= 6 ? p.title_heading_level : 2);

  std::string classes = "govuk-notification-banner";
  if (success) classes += " govuk-notification-banner--success";
  HtmlWriter w;
  w.raw("<div").classes(classes, p.classes).attr("role", role).attr("aria-labelledby", title_id);
  w.attr("data-module", "govuk-notification-banner");
  if (p.disable_auto_focus) {
    w.attr("data-disable-auto-focus", *p.disable_auto_focus ? "true" : "false");
  }
  w.attrs(p.attributes).raw(">\n  <div class=\"govuk-notification-banner__header\">\n");
  w.raw("    <h").raw(h).raw(" class=\"govuk-notification-banner__title\"").attr("id", title_id);
  w.raw(">\n      ").html(title).raw("\n    </h").raw(h).raw(">\n  </div>\n");
  w.raw("  <div class=\"govuk-notification-banner__content\">\n");
  if (!p.html.empty()) {
    w.raw("    ").html(p.html).raw("\n");
  } else if (!p.text.empty()) {
    w.raw("    <p class=\"govuk-notification-banner__heading\">\n      ").html(p.text);
    w.raw("\n    </p>\n");
  }
  w.raw("  </div>\n</div>");
  return w.done();
}

Html error_summary(const ErrorSummaryParams& p) {
  HtmlWriter w;
  w.raw("<div").classes("govuk-error-summary", p.classes);
  if (p.disable_auto_focus) {
    w.attr("data-disable-auto-focus", *p.disable_auto_focus ? "true" : "false");
  }
  w.attrs(p.attributes).raw(" data-module=\"govuk-error-summary\">\n  <div role=\"alert\">\n");
  w.raw("    <h2 class=\"govuk-error-summary__title\">\n      ").html(p.title_text);
  w.raw("\n    </h2>\n    <div class=\"govuk-error-summary__body\">\n");
  if (!p.description_text.empty()) {
    w.raw("      <p>\n        ").html(p.description_text).raw("\n      </p>\n");
  }
  if (!p.error_list.empty()) {
    w.raw("      <ul class=\"govuk-list govuk-error-summary__list\">\n");
    for (const auto& item : p.error_list) {
      w.raw("        <li>\n");
      if (!item.href.empty()) {
        w.raw("          <a").attr("href", item.href).attrs(item.attributes).raw(">");
        w.html(item.text).raw("</a>\n");
      } else {
        w.raw("          ").html(item.text).raw("\n");
      }
      w.raw("        </li>\n");
    }
    w.raw("      </ul>\n");
  }
  w.raw("    </div>\n  </div>\n</div>");
  return w.done();
}

namespace {

constexpr std::string_view kArrowPrevious =
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--prev\" "
    "xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" "
    "focusable=\"false\" viewBox=\"0 0 15 13\">\n    <path d=\"m6.5938-0.0078125-6.7266 6.7266 "
    "6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z\">"
    "</path>\n  </svg>";
constexpr std::string_view kArrowNext =
    "<svg class=\"govuk-pagination__icon govuk-pagination__icon--next\" "
    "xmlns=\"http://www.w3.org/2000/svg\" height=\"13\" width=\"15\" aria-hidden=\"true\" "
    "focusable=\"false\" viewBox=\"0 0 15 13\">\n    <path d=\"m8.107-0.0078125-1.4136 1.414 "
    "4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z\">"
    "</path>\n  </svg>";

void arrow_link(HtmlWriter& w, const PaginationLink& link, bool next, bool block) {
  const std::string_view type = next ? "next" : "prev";
  w.raw("\n  <div class=\"govuk-pagination__").raw(type).raw("\">\n");
  w.raw("    <a class=\"govuk-link govuk-pagination__link\"").attr("href", link.href);
  w.attr("rel", type).raw(">\n");
  if (block || !next) w.raw("    ").raw(next ? kArrowNext : kArrowPrevious).raw("\n");
  w.raw("      <span class=\"govuk-pagination__link-title");
  if (block && link.label_text.empty()) w.raw(" govuk-pagination__link-title--decorated");
  w.raw("\">\n        ");
  if (!link.text.empty()) {
    w.html(link.text);
  } else {
    w.raw(next ? "Next" : "Previous").raw("<span class=\"govuk-visually-hidden\"> page</span>");
  }
  w.raw("\n      </span>\n");
  if (block && !link.label_text.empty()) {
    w.raw("      <span class=\"govuk-visually-hidden\">:</span>\n");
    w.raw("      <span class=\"govuk-pagination__link-label\">").html(link.label_text);
    w.raw("</span>\n");
  }
  if (!block && next) w.raw("    ").raw(kArrowNext).raw("\n");
  w.raw("    </a>\n  </div>");
}

}  // namespace

Html pagination(const PaginationParams& p) {
  const bool block = p.items.empty() && (p.next || p.previous);
  HtmlWriter w;
  std::string classes = "govuk-pagination";
  if (block) classes += " govuk-pagination--block";
  w.raw("<nav").classes(classes, p.classes);
  w.attr("aria-label", p.landmark_label.empty() ? "Pagination" : p.landmark_label);
  w.attrs(p.attributes).raw(">");
  if (p.previous && !p.previous->href.empty()) arrow_link(w, *p.previous, false, block);
  if (!p.items.empty()) {
    w.raw("\n  <ul class=\"govuk-pagination__list\">\n");
    for (const auto& item : p.items) {
      w.raw("    <li class=\"govuk-pagination__item");
      if (item.current) w.raw(" govuk-pagination__item--current");
      if (item.ellipsis) w.raw(" govuk-pagination__item--ellipsis");
      w.raw("\">\n");
      if (item.ellipsis) {
        w.raw("      &ctdot;\n");
      } else {
        const Html label_text = item.visually_hidden_text.empty() ? Html("Page " + item.number)
                                                                  : item.visually_hidden_text;
        w.raw("      <a class=\"govuk-link govuk-pagination__link\"").attr("href", item.href);
        w.raw(" aria-label=\"").html(label_text).raw("\"");
        if (item.current) w.raw(" aria-current=\"page\"");
        w.raw(">\n        ").text(item.number).raw("\n      </a>\n");
      }
      w.raw("    </li>\n");
    }
    w.raw("  </ul>");
  }
  if (p.next && !p.next->href.empty()) arrow_link(w, *p.next, true, block);
  w.raw("\n</nav>");
  return w.done();
}

}  // namespace frontdoor::web
