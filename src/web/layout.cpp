#include "web/layout.hpp"

#include "web/content.hpp"

namespace frontdoor::web {

std::string page_title(const PageParams& p) {
  std::string t = p.has_errors ? "Error: " : "";
  if (!p.title.empty()) t += p.title + " - ";
  t += p.service_name;
  if (!p.council_name.empty()) t += " - " + p.council_name;
  return t;
}

Html phase_banner(const PhaseBannerParams& p) {
  HtmlWriter w;
  w.raw("<div class=\"govuk-phase-banner\">\n  <p class=\"govuk-phase-banner__content\">\n    ");
  w.html(tag(TagParams{p.tag_text, "govuk-phase-banner__content__tag", {}}));
  w.raw("\n    <span class=\"govuk-phase-banner__text\">").html(p.text).raw("</span>\n");
  w.raw("  </p>\n</div>");
  return w.done();
}

namespace {

Html header(const PageParams& p) {
  HtmlWriter w;
  w.raw("<header class=\"govuk-header\" data-module=\"govuk-header\">\n");
  w.raw("  <div class=\"govuk-header__container govuk-width-container\">\n");
  w.raw("    <div class=\"govuk-header__logo\">\n");
  w.raw("      <a").attr("href", p.home_href);
  w.raw(" class=\"govuk-header__link govuk-header__link--homepage\">");
  w.text(p.council_name.empty() ? p.service_name : p.council_name).raw("</a>\n    </div>\n");
  w.raw("    <div class=\"govuk-header__content\">\n      <a").attr("href", p.home_href);
  w.raw(" class=\"govuk-header__link govuk-header__service-name\">").text(p.service_name);
  w.raw("</a>\n    </div>\n  </div>\n</header>\n");
  return w.done();
}

// A landmark of its own: it sits beside the primary navigation, outside the
// <nav>, and all of a page's content belongs in some landmark.
Html signed_in(const SignedInUser& user) {
  HtmlWriter w;
  w.raw("<div role=\"region\" aria-label=\"Your account\">\n");
  w.raw("<p class=\"govuk-body-s govuk-!-margin-bottom-1\">Signed in as <strong>").text(user.name);
  w.raw("</strong></p>\n<form method=\"post\"").attr("action", user.sign_out_action);
  w.raw(" novalidate>\n  <input type=\"hidden\"").attr("name", user.csrf_field_name);
  w.attr("value", user.csrf_token).raw(">\n  ");
  ButtonParams sign_out;
  sign_out.text = "Sign out";
  sign_out.classes = "govuk-button--secondary govuk-!-margin-bottom-1";
  sign_out.prevent_double_click = true;
  w.html(button(sign_out)).raw("\n</form>\n</div>");
  return w.done();
}

Html footer(const PageParams& p) {
  HtmlWriter w;
  w.raw("<footer class=\"govuk-footer\">\n  <div class=\"govuk-width-container\">\n");
  w.raw("    <div class=\"govuk-footer__meta\">\n");
  w.raw("      <div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\n");
  if (!p.footer_links.empty()) {
    w.raw("        <h2 class=\"govuk-visually-hidden\">Support links</h2>\n");
    w.raw("        <ul class=\"govuk-footer__inline-list\">\n");
    for (const auto& link : p.footer_links) {
      w.raw(
          "          <li class=\"govuk-footer__inline-list-item\"><a class=\"govuk-footer__link\"");
      w.attr("href", link.href).raw(">").html(link.text).raw("</a></li>\n");
    }
    w.raw("        </ul>\n");
  }
  w.raw("        <p class=\"govuk-body-s\">");
  if (!p.footer_text.empty()) {
    w.html(p.footer_text);
  } else {
    w.text(p.service_name).raw(" is run by ");
    w.text(p.council_name.empty() ? "the council" : p.council_name);
    w.raw(
        " for its children&#39;s Multi-Agency Safeguarding Hub. It holds confidential "
        "information about children and families: share it only as the law and local "
        "information sharing agreements allow.");
  }
  w.raw("</p>\n      </div>\n    </div>\n  </div>\n</footer>\n");
  return w.done();
}

}  // namespace

Html page(const PageParams& p) {
  HtmlWriter w;
  w.raw("<!DOCTYPE html>\n<html lang=\"en-GB\" class=\"govuk-template\">\n<head>\n");
  w.raw("  <meta charset=\"utf-8\">\n  <title>").text(page_title(p)).raw("</title>\n");
  w.raw(
      "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
      "viewport-fit=cover\">\n");
  w.raw("  <meta name=\"theme-color\" content=\"#0b0c0c\">\n");
  w.raw("  <meta name=\"robots\" content=\"noindex, nofollow\">\n");
  w.raw(
      "  <link rel=\"icon\" sizes=\"any\" href=\"/assets/images/favicon.svg\" "
      "type=\"image/svg+xml\">\n");
  w.raw("  <link rel=\"manifest\" href=\"/assets/manifest.json\">\n");
  w.raw("  <link rel=\"stylesheet\" href=\"/assets/application.css\">\n</head>\n");
  w.raw("<body class=\"govuk-template__body\">\n");
  w.raw(
      "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">"
      "Skip to main content</a>\n");
  w.html(header(p));
  if (p.user) {
    PrimaryNavigationParams nav;
    nav.items = p.navigation;
    nav.search_html = signed_in(*p.user);
    w.html(moj_primary_navigation(nav)).raw("\n");
  }
  w.raw("<div class=\"govuk-width-container\">\n");
  if (p.phase_banner) w.html(phase_banner(*p.phase_banner)).raw("\n");
  if (!p.before_content.empty()) w.html(p.before_content).raw("\n");
  w.raw("<main").classes("govuk-main-wrapper", p.main_classes);
  w.raw(" id=\"main-content\">\n").html(p.content).raw("\n</main>\n</div>\n");
  w.html(footer(p));
  w.raw("<script type=\"module\" src=\"/assets/govuk-frontend.min.js\"></script>\n");
  w.raw("<script type=\"module\" src=\"/assets/moj-frontend.min.js\"></script>\n");
  w.raw("<script type=\"module\" src=\"/assets/init.js\"></script>\n");
  w.raw("</body>\n</html>\n");
  return w.done();
}

}  // namespace frontdoor::web
