#include "web/pages_enquiry_support.hpp"

#include <algorithm>
#include <sstream>

#include "domain/identifiers.hpp"
#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web::enquiry_pages {

using namespace pages;  // NOLINT(google-build-using-namespace)
using domain::CheckStatus;

std::string check_href(std::int64_t id) {
  return "/checks/" + std::to_string(id);
}

Html card(const std::string& title, std::vector<SummaryListRow> rows) {
  SummaryCardParams c;
  c.title = title;
  c.heading_level = 3;
  return summary_list(SummaryListParams{std::move(rows), c, "", {}});
}

Html rows_list(std::vector<SummaryListRow> rows) {
  return summary_list(SummaryListParams{std::move(rows), std::nullopt, "", {}});
}

// A heading that an error summary's link can point at.
Html heading_with_id(const std::string& text, int level, const std::string& size,
                     const std::string& id) {
  const std::string tag_name = "h" + std::to_string(level);
  HtmlWriter w;
  w.raw("<").raw(tag_name).attr("class", "govuk-heading-" + size).attr("id", id).raw(">");
  w.text(text).raw("</").raw(tag_name).raw(">\n");
  return w.done();
}

// A repeated field (checkboxes) as the form kept it: comma-separated.
std::vector<std::string> values_of(const std::string& joined) {
  std::vector<std::string> out;
  std::stringstream ss(joined);
  for (std::string v; std::getline(ss, v, ',');) {
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

std::string plural(long long n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "45 minutes", "3 hours", "26 hours 5 minutes": figures on a check's own
// clock (working time, or elapsed), so never in days.
std::string duration_text(std::chrono::minutes d) {
  const long long total = d.count();
  if (total <= 0) return "less than a minute";
  const long long hours = total / 60;
  const long long minutes = total % 60;
  if (hours == 0) return plural(minutes, "minute", "minutes");
  if (minutes == 0) return plural(hours, "hour", "hours");
  return plural(hours, "hour", "hours") + " " + plural(minutes, "minute", "minutes");
}

Html check_status_tag(CheckStatus s) {
  TagParams t;
  switch (s) {
    case CheckStatus::kRequested:
      t.text = "Awaiting answer";
      t.classes = tag_colour_class(TagColour::kBlue);
      break;
    case CheckStatus::kAnswered:
      t.text = "Answered";
      t.classes = tag_colour_class(TagColour::kGreen);
      break;
    case CheckStatus::kWithdrawn:
      t.text = "Withdrawn";
      t.classes = tag_colour_class(TagColour::kGrey);
      break;
  }
  return tag(t);
}

// When a check is due: the time in London, and while it is open how long is
// left, or a red "Overdue" tag and by how much.
Html due_text(Instant due, Instant now, bool open) {
  if (!open) return Html(domain::format_london(due));
  return deadline(due, now);
}

// "Test Constabulary", or a health sub-request's "GP (Test NHS Trust)".
std::string check_label(const std::string& agency, bool sub_request, const std::string& service) {
  if (!sub_request || service.empty()) return agency;
  return service + " (" + agency + ")";
}

std::string check_label(const CheckModel& c) {
  return check_label(c.agency_name, c.check.parent_check.has_value(), c.check.service);
}

// What an agency said about one person, in a table cell or summary.
Html answer_html(const domain::PersonAnswer& a) {
  if (!a.known) return Html("Not known to the agency");
  HtmlWriter w;
  w.raw("<strong>Known</strong>").html(paragraphs(a.summary));
  auto line = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    w.raw("<p class=\"govuk-body-s\">").text(std::string(key) + ": " + value).raw("</p>\n");
  };
  line("Relevance", a.relevance);
  line("Risk", a.risk);
  std::string source = a.source_system;
  if (!a.source_reference.empty()) {
    source += (source.empty() ? "" : ", reference ") + a.source_reference;
  }
  line("Source", source);
  return w.done();
}

const domain::PersonAnswer* answer_for(const domain::CheckState& c, std::int64_t person_id) {
  for (const auto& a : c.answers) {
    if (a.person_id == person_id) return &a;
  }
  return nullptr;
}

}  // namespace frontdoor::web::enquiry_pages
