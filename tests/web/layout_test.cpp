#include <gtest/gtest.h>

#include <string>

#include "web/layout.hpp"

namespace frontdoor::web {
namespace {

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

PageParams signed_in_page() {
  PageParams p;
  p.title = "Contacts";
  p.council_name = "Exampleshire County Council";
  p.user = SignedInUser{"Priya Shah", "tok-123", "csrf_token", "/sign-out"};
  p.navigation = {NavItem{"/contacts", "Contacts", true, "", {}},
                  NavItem{"/search", "Search", false, "", {}}};
  p.content = Html::trusted("<h1 class=\"govuk-heading-l\">Contacts</h1>");
  return p;
}

TEST(PageLayout, DocumentFrame) {
  const std::string s = page(signed_in_page()).str();
  EXPECT_EQ(s.rfind("<!DOCTYPE html>\n<html lang=\"en-GB\" class=\"govuk-template\">", 0), 0u);
  EXPECT_TRUE(contains(s, "<body class=\"govuk-template__body\">"));
  EXPECT_TRUE(contains(s, "<title>Contacts - Frontdoor - Exampleshire County Council</title>"));
  EXPECT_TRUE(contains(s, "<link rel=\"stylesheet\" href=\"/assets/application.css\">"));
  EXPECT_TRUE(
      contains(s, "<script type=\"module\" src=\"/assets/govuk-frontend.min.js\"></script>"));
  EXPECT_TRUE(contains(s, "<script type=\"module\" src=\"/assets/init.js\"></script>"));
  EXPECT_TRUE(contains(s, "<a href=\"#main-content\" class=\"govuk-skip-link\""));
  EXPECT_TRUE(contains(s,
                       "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n"
                       "<h1 class=\"govuk-heading-l\">Contacts</h1>\n</main>"));
  EXPECT_TRUE(s.ends_with("</body>\n</html>\n"));
}

TEST(PageLayout, CouncilBrandingWithoutCrown) {
  const std::string s = page(signed_in_page()).str();
  EXPECT_TRUE(contains(s, "govuk-header__link--homepage\">Exampleshire County Council</a>"));
  EXPECT_TRUE(contains(s, "govuk-header__service-name\">Frontdoor</a>"));
  EXPECT_FALSE(contains(s, "<svg"));  // the GOV.UK logo (crown) is an inline SVG
  EXPECT_FALSE(contains(s, "GOV.UK"));
  EXPECT_FALSE(contains(s, "Crown copyright"));
  EXPECT_FALSE(contains(s, "Open Government Licence"));
  EXPECT_TRUE(contains(s, "is run by Exampleshire County Council"));
}

TEST(PageLayout, SignedInUserGetsNavigationAndSignOutForm) {
  const std::string s = page(signed_in_page()).str();
  EXPECT_TRUE(contains(s,
                       "moj-primary-navigation__link\" aria-current=\"page\" href=\"/contacts\">"
                       "Contacts</a>"));
  EXPECT_TRUE(contains(s, "Signed in as <strong>Priya Shah</strong>"));
  // Beside the <nav>, so in a landmark of its own (axe-core "region").
  const auto region = s.find("<div role=\"region\" aria-label=\"Your account\">");
  ASSERT_NE(region, std::string::npos);
  EXPECT_LT(region, s.find("Signed in as"));
  EXPECT_LT(s.find("Sign out", region), s.find("</div>", region));
  EXPECT_TRUE(contains(s, "<form method=\"post\" action=\"/sign-out\" novalidate>"));
  EXPECT_TRUE(contains(s, "<input type=\"hidden\" name=\"csrf_token\" value=\"tok-123\">"));
  EXPECT_TRUE(contains(s, "data-prevent-double-click=\"true\""));
  EXPECT_TRUE(contains(s, "Sign out"));
}

TEST(PageLayout, SignedOutPageHasNoNavigationOrSignOut) {
  PageParams p = signed_in_page();
  p.user.reset();
  const std::string s = page(p).str();
  EXPECT_FALSE(contains(s, "moj-primary-navigation"));
  EXPECT_FALSE(contains(s, "Sign out"));
  EXPECT_FALSE(contains(s, "csrf_token"));
}

TEST(PageLayout, ErrorTitlePhaseBannerAndBeforeContent) {
  PageParams p = signed_in_page();
  p.has_errors = true;
  p.phase_banner = PhaseBannerParams{"Beta", "This is a new service."};
  p.before_content = Html::trusted("<a href=\"/\" class=\"govuk-back-link\">Back</a>");
  p.main_classes = "govuk-main-wrapper--l";
  const std::string s = page(p).str();
  EXPECT_TRUE(contains(s, "<title>Error: Contacts - Frontdoor"));
  EXPECT_TRUE(contains(s, "<strong class=\"govuk-tag govuk-phase-banner__content__tag\">\n  Beta"));
  EXPECT_TRUE(
      contains(s, "<span class=\"govuk-phase-banner__text\">This is a new service.</span>"));
  EXPECT_LT(s.find("govuk-back-link"), s.find("<main"));
  EXPECT_TRUE(contains(s, "<main class=\"govuk-main-wrapper govuk-main-wrapper--l\""));
}

TEST(PageLayout, TitleWithoutPageTitle) {
  PageParams p;
  p.council_name = "Exampleshire";
  EXPECT_EQ(page_title(p), "Frontdoor - Exampleshire");
}

}  // namespace
}  // namespace frontdoor::web
