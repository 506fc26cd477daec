#pragma once
// The page furniture around every Frontdoor page: the GOV.UK template (without
// the crown, GDS Transport or GOV.UK branding: a council runs this service),
// skip link, header with the council and service names, MOJ primary navigation
// with the signed-in user and a sign-out form, optional phase banner, main
// wrapper and footer. Pages work without JavaScript; scripts are ES modules
// from /assets/ (the Content-Security-Policy allows no inline script).
#include <optional>
#include <string>
#include <vector>

#include "web/html.hpp"
#include "web/moj.hpp"

namespace frontdoor::web {

struct SignedInUser {
  std::string name;        // shown as "Signed in as <name>"
  std::string csrf_token;  // posted with the sign-out form
  std::string csrf_field_name = "csrf_token";
  std::string sign_out_action = "/sign-out";  // the form POSTs here
};

struct PhaseBannerParams {
  Html tag_text = "Beta";
  Html text;  // e.g. "This is a new service."
};

struct FooterLink {
  std::string href;
  Html text;
};

struct PageParams {
  std::string title;        // the page's own title (usually its h1)
  bool has_errors = false;  // prefixes the <title> with "Error: "
  std::string service_name = "Frontdoor";
  std::string council_name;  // shown in the header and footer
  std::string home_href = "/";
  std::optional<SignedInUser> user;  // navigation is shown to signed-in users only
  std::vector<NavItem> navigation;
  std::optional<PhaseBannerParams> phase_banner;
  Html before_content;       // back link, breadcrumbs, identity bar
  Html content;              // inside <main>
  std::string main_classes;  // e.g. "govuk-main-wrapper--l"
  std::vector<FooterLink> footer_links;
  Html footer_text;  // a default council text when empty
};

// "<title> - Frontdoor - <council>", with "Error: " first when has_errors.
std::string page_title(const PageParams& p);
Html phase_banner(const PhaseBannerParams& p);  // <div class="govuk-phase-banner">
Html page(const PageParams& p);                 // a whole document, starting <!DOCTYPE html>

}  // namespace frontdoor::web
