// MOJ Frontend ships no fixtures.json: these expectations were written by hand
// from the @ministryofjustice/frontend v8 Nunjucks templates.
#include <gtest/gtest.h>

#include "fixture_support.hpp"
#include "web/moj.hpp"

namespace frontdoor::web {
namespace {

using testing::normalise_html;

void expect_markup(const Html& actual, std::string_view expected) {
  EXPECT_EQ(normalise_html(actual.str()), normalise_html(expected));
}

TEST(MojTimeline, RendersItemsWithBylineDateAndDescription) {
  TimelineParams p;
  p.items.push_back(TimelineItem{"Contact received",
                                 "Sam Patel",
                                 "2026-11-20T09:15:00Z",
                                 "20 November 2026 at 9:15am",
                                 "Police notification (PPN)",
                                 "",
                                 {}});
  p.items.push_back(TimelineItem{"RAG rating set",
                                 {},
                                 "2026-11-20T10:00:00Z",
                                 "20 November 2026 at 10:00am",
                                 Html::trusted("<p class=\"govuk-body\">Amber</p>"),
                                 "app-x",
                                 {{"data-event", "7"}}});
  expect_markup(moj_timeline(p), R"(
<div class="moj-timeline">
  <div class="moj-timeline__item">
    <div class="moj-timeline__header">
      <h2 class="moj-timeline__title">Contact received</h2>
      <p class="moj-timeline__byline">by Sam Patel</p>
    </div>
    <p class="moj-timeline__date">
      <time datetime="2026-11-20T09:15:00Z">20 November 2026 at 9:15am</time>
    </p>
    <div class="moj-timeline__description">Police notification (PPN)</div>
  </div>
  <div class="moj-timeline__item app-x" data-event="7">
    <div class="moj-timeline__header">
      <h2 class="moj-timeline__title">RAG rating set</h2>
    </div>
    <p class="moj-timeline__date">
      <time datetime="2026-11-20T10:00:00Z">20 November 2026 at 10:00am</time>
    </p>
    <div class="moj-timeline__description"><p class="govuk-body">Amber</p></div>
  </div>
</div>)");
}

TEST(MojTimeline, HeadingLevelIsConfigurable) {
  TimelineParams p;
  p.heading_level = 3;
  p.items.push_back(
      TimelineItem{"Closed", {}, "2026-11-21T00:00:00Z", "21 November 2026", {}, "", {}});
  const std::string html = moj_timeline(p).str();
  EXPECT_NE(html.find("<h3 class=\"moj-timeline__title\">Closed</h3>"), std::string::npos);
  EXPECT_EQ(html.find("moj-timeline__byline"), std::string::npos);
}

TEST(MojIdentityBar, RendersTitleAndMenus) {
  IdentityBarParams p;
  p.title = Html::trusted("<strong>Alex Smith</strong> (born 3 March 2015)");
  p.menus.push_back(Html::trusted("<a class=\"govuk-button\" href=\"/x\">Record decision</a>"));
  expect_markup(moj_identity_bar(p), R"(
<div class="moj-identity-bar">
  <div class="moj-identity-bar__container">
    <div class="moj-identity-bar__details">
      <span class="moj-identity-bar__title"><strong>Alex Smith</strong> (born 3 March 2015)</span>
    </div>
    <div class="moj-identity-bar__actions">
      <div class="moj-identity-bar__menu"><a class="govuk-button" href="/x">Record decision</a></div>
    </div>
  </div>
</div>)");
}

TEST(MojIdentityBar, WithoutMenusHasNoActions) {
  const std::string html = moj_identity_bar(IdentityBarParams{"Alex", {}, "", {}}).str();
  EXPECT_EQ(html.find("moj-identity-bar__actions"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"moj-identity-bar__title\">Alex</span>"), std::string::npos);
}

TEST(MojBadge, RendersTextClassesAndLabel) {
  expect_markup(moj_badge(BadgeParams{"Urgent", "", "moj-badge--red", {}}),
                R"(<span class="moj-badge moj-badge--red">Urgent</span>)");
  expect_markup(
      moj_badge(BadgeParams{"3", "3 contacts due today", "", {{"data-count", "3"}}}),
      R"(<span class="moj-badge" aria-label="3 contacts due today" data-count="3">3</span>)");
}

TEST(MojSubNavigation, MarksTheActiveItem) {
  SubNavigationParams p;
  p.label = "Contact sections";
  p.items = {NavItem{"/contacts/1", "Summary", true, "", {}},
             NavItem{"/contacts/1/history", "History", false, "", {}}};
  expect_markup(moj_sub_navigation(p), R"(
<nav class="moj-sub-navigation" aria-label="Contact sections">
  <ul class="moj-sub-navigation__list">
    <li class="moj-sub-navigation__item">
      <a class="moj-sub-navigation__link" aria-current="page" href="/contacts/1">Summary</a>
    </li>
    <li class="moj-sub-navigation__item">
      <a class="moj-sub-navigation__link" href="/contacts/1/history">History</a>
    </li>
  </ul>
</nav>)");
}

TEST(MojSubNavigation, DefaultLabel) {
  const std::string html = moj_sub_navigation(SubNavigationParams{}).str();
  EXPECT_NE(html.find("aria-label=\"Secondary navigation region\""), std::string::npos);
}

TEST(MojPrimaryNavigation, RendersItemsAndSearchSlot) {
  PrimaryNavigationParams p;
  p.items = {NavItem{"/", "Contacts", true, "", {}}, NavItem{"/search", "Search", false, "", {}}};
  p.search_html = Html::trusted("<p>Signed in</p>");
  expect_markup(moj_primary_navigation(p), R"(
<div class="moj-primary-navigation">
  <div class="moj-primary-navigation__container">
    <div class="moj-primary-navigation__nav">
      <nav class="moj-primary-navigation" aria-label="Primary navigation">
        <ul class="moj-primary-navigation__list">
          <li class="moj-primary-navigation__item"><a class="moj-primary-navigation__link" aria-current="page" href="/">Contacts</a></li>
          <li class="moj-primary-navigation__item"><a class="moj-primary-navigation__link" href="/search">Search</a></li>
        </ul>
      </nav>
    </div>
    <div class="moj-primary-navigation__search"><p>Signed in</p></div>
  </div>
</div>)");
}

}  // namespace
}  // namespace frontdoor::web
