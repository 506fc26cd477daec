#pragma once
// What the enquiry's pages share (pages_enquiry.cpp: the contact page's
// consent and checks; pages_checks.cpp: an agency's queue, one check, the
// partnership's figures).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/enquiry.hpp"
#include "web/data.hpp"
#include "web/pages.hpp"

namespace frontdoor::web::enquiry_pages {

std::string check_href(std::int64_t id);  // "/checks/12"
Html card(const std::string& title, std::vector<SummaryListRow> rows);
Html rows_list(std::vector<SummaryListRow> rows);
// A heading that an error summary's link can point at.
Html heading_with_id(const std::string& text, int level, const std::string& size,
                     const std::string& id);
// A repeated field (checkboxes) as the form kept it: comma-separated.
std::vector<std::string> values_of(const std::string& joined);
std::string plural(long long n, const std::string& one, const std::string& many);
// "45 minutes", "3 hours", "26 hours 5 minutes": figures on a check's own
// clock (working time, or elapsed), so never in days.
std::string duration_text(std::chrono::minutes d);
Html check_status_tag(domain::CheckStatus s);
// When a check is due: the time in London, and while it is open how long is
// left, or a red "Overdue" tag and by how much.
Html due_text(Instant due, Instant now, bool open);
// "Test Constabulary", or a health sub-request's "GP (Test NHS Trust)".
std::string check_label(const std::string& agency, bool sub_request, const std::string& service);
std::string check_label(const CheckModel& c);
// What an agency said about one person, in a table cell or summary.
Html answer_html(const domain::PersonAnswer& a);
const domain::PersonAnswer* answer_for(const domain::CheckState& c, std::int64_t person_id);

}  // namespace frontdoor::web::enquiry_pages
