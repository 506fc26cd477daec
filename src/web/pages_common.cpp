// FormState, time_remaining, and the sign-in, error and home pages.
#include <chrono>
#include <cstdlib>

#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

std::string FormState::value(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

std::optional<std::string> FormState::error(const std::string& field) const {
  for (const auto& e : errors) {
    if (e.field == field || form_field_for(e.field) == field) return e.message;
  }
  return std::nullopt;
}

namespace {

std::string plural(long long n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

// "2 days 4 hours", "3 hours 20 minutes", "15 minutes", "less than a minute".
std::string describe_duration(std::chrono::milliseconds d) {
  const long long minutes_total = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  const long long days = minutes_total / (24LL * 60);
  const long long hours = (minutes_total / 60) % 24;
  const long long minutes = minutes_total % 60;
  if (days > 0)
    return hours > 0 ? plural(days, "day") + " " + plural(hours, "hour") : plural(days, "day");
  if (hours > 0) {
    return minutes > 0 ? plural(hours, "hour") + " " + plural(minutes, "minute")
                       : plural(hours, "hour");
  }
  if (minutes > 0) return plural(minutes, "minute");
  return "less than a minute";
}

}  // namespace

std::string time_remaining(Instant due, Instant now) {
  if (due == now) return "Due now";
  if (due > now) return "Due in " + describe_duration(due - now);
  return "Overdue by " + describe_duration(now - due);
}

Html sign_in_page(const Chrome& chrome, const FormState& form, const std::string& next) {
  Html body = error_summary_for(form);
  body += heading("Sign in", 1, "l");
  Html fields;
  InputParams user;
  user.name = "username";
  user.value = form.value("username");
  user.label.text = "Username";
  user.autocomplete = "username";
  user.spellcheck = false;
  user.autocapitalize = "none";
  user.classes = "govuk-!-width-one-half";
  user.error_message = field_error(form, "username");
  fields += input(user);
  InputParams pass;
  pass.name = "password";
  pass.type = "password";
  pass.label.text = "Password";
  pass.autocomplete = "current-password";
  pass.classes = "govuk-!-width-one-half";
  pass.error_message = field_error(form, "password");
  fields += input(pass);  // a password is never re-shown
  fields += submit_button("Sign in");
  body += post_form("/sign-in", chrome, fields, {{"next", next}});
  return render(chrome, "Sign in", form.has_errors(), body);
}

Html error_page(const Chrome& chrome, int status, const std::string& title,
                const std::string& message) {
  Html body = heading(title, 1, "l");
  body += paragraph(message);
  if (status == 503 || status == 429) {
    body += paragraph("Wait a few minutes, then try again.");
  }
  body += Html::trusted("<p class=\"govuk-body\">") + link("/", "Go to the home page") +
          Html::trusted("</p>\n");
  return render(chrome, title, false, body);
}

Html home_page(const Chrome& chrome, const std::string& user_name, const std::string& role_label,
               const std::vector<HomeLink>& links) {
  Html body = heading("Welcome, " + user_name, 1, "l");
  body += paragraph("Your role: " + role_label, "govuk-body-l");
  if (links.empty()) {
    body += paragraph("There is nothing for your role to do here yet.");
  } else {
    HtmlWriter w;
    w.raw("<ul class=\"govuk-list\">\n");
    for (const auto& l : links) {
      w.raw(
          "<li class=\"govuk-!-margin-bottom-6\">\n<h2 class=\"govuk-heading-m "
          "govuk-!-margin-bottom-1\">");
      w.html(link(l.href, l.title)).raw("</h2>\n");
      if (!l.description.empty()) w.html(paragraph(l.description));
      w.raw("</li>\n");
    }
    w.raw("</ul>\n");
    body += w.done();
  }
  return render(chrome, "Home", false, body);
}

}  // namespace frontdoor::web
