// Tools for upgrading govuk-frontend, built as govuk_fixtures_survey but not
// part of the test suite: run by hand (--gtest_filter=*Survey or *Show). Survey prints, for every
// fixture of every mapped component, PASS, FAIL or the option we do not map; Show prints one
// fixture's normalised HTML beside ours (FD_COMPONENT, FD_FIXTURE).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

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

const std::map<std::string, Mapper>& mappers() {
  static const std::map<std::string, Mapper> m = {
      {"back-link", map_back_link},
      {"button", map_button},
      {"character-count", map_character_count},
      {"checkboxes", map_checkboxes},
      {"date-input", map_date_input},
      {"details", map_details},
      {"error-summary", map_error_summary},
      {"input", map_input},
      {"inset-text", map_inset_text},
      {"notification-banner", map_notification_banner},
      {"panel", map_panel},
      {"radios", map_radios},
      {"select", map_select},
      {"summary-list", map_summary_list},
      {"table", map_table},
      {"tag", map_tag},
      {"task-list", map_task_list},
      {"textarea", map_textarea},
      {"warning-text", map_warning_text},
  };
  return m;
}

TEST(GovukFixtures, Survey) {
  for (const auto& [component, render] : mappers()) {
    for (const auto& f : load_fixtures(component)) {
      std::string outcome;
      try {
        const Html html = render(f["options"]);
        outcome = normalise_html(html.str()) == normalise_html(f["html"].get<std::string>())
                      ? "PASS"
                      : "FAIL";
      } catch (const Unsupported& e) {
        outcome = std::string("UNSUPPORTED ") + e.what();
      } catch (const std::exception& e) {
        outcome = std::string("ERROR ") + e.what();
      }
      std::cout << component << "\t" << f["name"].get<std::string>() << "\t" << outcome << "\n";
    }
  }
}

TEST(GovukFixtures, Show) {
  const char* component = std::getenv("FD_COMPONENT");
  const char* name = std::getenv("FD_FIXTURE");
  if (component == nullptr || name == nullptr) GTEST_SKIP();
  const J fixtures = load_fixtures(component);
  const J* f = find_fixture(fixtures, name);
  ASSERT_NE(f, nullptr);
  std::cout << "MINE:\n"
            << normalise_html(mappers().at(component)((*f)["options"]).str()) << "\nWANT:\n"
            << normalise_html((*f)["html"].get<std::string>()) << "\n";
}

}  // namespace
}  // namespace frontdoor::web::testing
