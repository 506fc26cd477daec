#include "web/moj.hpp"

#include <string>

namespace frontdoor::web {

Html moj_timeline(const TimelineParams& p) {
  const std::string h =
      std::to_string(p.heading_level >= 1 && p.heading_level <= 6 ? p.heading_level : 2);
  HtmlWriter w;
  w.raw("<div").classes("moj-timeline", p.classes).attrs(p.attributes).raw(">\n");
  for (const auto& item : p.items) {
    w.raw("  <div").classes("moj-timeline__item", item.classes).attrs(item.attributes).raw(">\n");
    w.raw("    <div class=\"moj-timeline__header\">\n");
    w.raw("      <h").raw(h).raw(" class=\"moj-timeline__title\">").html(item.label);
    w.raw("</h").raw(h).raw(">\n");
    if (!item.byline.empty()) {
      w.raw("      <p class=\"moj-timeline__byline\">by ").html(item.byline).raw("</p>\n");
    }
    w.raw("    </div>\n    <p class=\"moj-timeline__date\">\n      <time");
    w.attr("datetime", item.datetime).raw(">").text(item.date_text).raw("</time>\n    </p>\n");
    w.raw("    <div class=\"moj-timeline__description\">").html(item.text).raw("</div>\n");
    w.raw("  </div>\n");
  }
  w.raw("</div>");
  return w.done();
}

Html moj_identity_bar(const IdentityBarParams& p) {
  HtmlWriter w;
  w.raw("<div").classes("moj-identity-bar", p.classes).attrs(p.attributes).raw(">\n");
  w.raw("  <div class=\"moj-identity-bar__container\">\n");
  w.raw("    <div class=\"moj-identity-bar__details\">\n");
  if (!p.title.empty()) {
    w.raw("      <span class=\"moj-identity-bar__title\">").html(p.title).raw("</span>\n");
  }
  w.raw("    </div>\n");
  if (!p.menus.empty()) {
    w.raw("    <div class=\"moj-identity-bar__actions\">\n");
    for (const auto& menu : p.menus) {
      w.raw("      <div class=\"moj-identity-bar__menu\">").html(menu).raw("</div>\n");
    }
    w.raw("    </div>\n");
  }
  w.raw("  </div>\n</div>");
  return w.done();
}

Html moj_badge(const BadgeParams& p) {
  HtmlWriter w;
  w.raw("<span").classes("moj-badge", p.classes).attr_if("aria-label", p.label);
  w.attrs(p.attributes).raw(">").html(p.text).raw("</span>");
  return w.done();
}

namespace {

void nav_link(HtmlWriter& w, const NavItem& item, std::string_view link_class) {
  w.raw("<a").attr("class", link_class);
  if (item.active) w.raw(" aria-current=\"page\"");
  w.attr("href", item.href).attrs(item.attributes).raw(">").html(item.text).raw("</a>");
}

}  // namespace

Html moj_sub_navigation(const SubNavigationParams& p) {
  HtmlWriter w;
  w.raw("<nav").classes("moj-sub-navigation", p.classes);
  w.attr("aria-label", p.label.empty() ? "Secondary navigation region" : p.label);
  w.attrs(p.attributes).raw(">\n  <ul class=\"moj-sub-navigation__list\">\n");
  for (const auto& item : p.items) {
    w.raw("    <li").classes("moj-sub-navigation__item", item.classes).raw(">\n      ");
    nav_link(w, item, "moj-sub-navigation__link");
    w.raw("\n    </li>\n");
  }
  w.raw("  </ul>\n</nav>");
  return w.done();
}

Html moj_primary_navigation(const PrimaryNavigationParams& p) {
  HtmlWriter w;
  w.raw("<div").classes("moj-primary-navigation", p.container_classes).raw(">\n");
  w.raw("  <div class=\"moj-primary-navigation__container\">\n");
  w.raw("    <div class=\"moj-primary-navigation__nav\">\n      <nav");
  w.classes("moj-primary-navigation", p.classes).attr_if("aria-label", p.label);
  w.attrs(p.attributes).raw(">\n        <ul class=\"moj-primary-navigation__list\">\n");
  for (const auto& item : p.items) {
    w.raw("          <li").classes("moj-primary-navigation__item", item.classes).raw(">");
    nav_link(w, item, "moj-primary-navigation__link");
    w.raw("</li>\n");
  }
  w.raw("        </ul>\n      </nav>\n    </div>\n");
  if (!p.search_html.empty()) {
    w.raw("    <div class=\"moj-primary-navigation__search\">").html(p.search_html);
    w.raw("</div>\n");
  }
  w.raw("  </div>\n</div>");
  return w.done();
}

}  // namespace frontdoor::web
