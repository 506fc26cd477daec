#pragma once
// MOJ Frontend components (markup of @ministryofjustice/frontend v8 macros).
#include <string>
#include <vector>

#include "web/html.hpp"

namespace frontdoor::web {

struct TimelineItem {
  Html label;             // the item's title
  Html byline;            // "by <byline>"; omitted when empty
  std::string datetime;   // machine-readable, for <time datetime="">, e.g. "2026-11-22T07:40:00Z"
  std::string date_text;  // as shown, e.g. "22 November 2026 at 7:40am"
  Html text;              // the description
  std::string classes;
  Attributes attributes;
};

struct TimelineParams {
  std::vector<TimelineItem> items;
  int heading_level = 2;
  std::string classes;
  Attributes attributes;
};

struct IdentityBarParams {
  Html title;               // e.g. the child's name and identifiers
  std::vector<Html> menus;  // each rendered in a moj-identity-bar__menu (e.g. buttons)
  std::string classes;
  Attributes attributes;
};

struct BadgeParams {
  Html text;
  std::string label;    // aria-label, when the text alone is not enough
  std::string classes;  // "moj-badge--red", "moj-badge--large", ...
  Attributes attributes;
};

struct NavItem {
  std::string href;
  Html text;
  bool active = false;  // aria-current="page"
  std::string classes;
  Attributes attributes;
};

struct SubNavigationParams {
  std::vector<NavItem> items;
  std::string label = "Secondary navigation region";
  std::string classes;
  Attributes attributes;
};

struct PrimaryNavigationParams {
  std::vector<NavItem> items;
  std::string label = "Primary navigation";
  Html search_html;  // right-hand slot (Frontdoor puts the signed-in user here)
  std::string container_classes;
  std::string classes;
  Attributes attributes;
};

Html moj_timeline(const TimelineParams& p);                     // <div class="moj-timeline">
Html moj_identity_bar(const IdentityBarParams& p);              // <div class="moj-identity-bar">
Html moj_badge(const BadgeParams& p);                           // <span class="moj-badge">
Html moj_sub_navigation(const SubNavigationParams& p);          // <nav class="moj-sub-navigation">
Html moj_primary_navigation(const PrimaryNavigationParams& p);  // moj-primary-navigation

}  // namespace frontdoor::web
