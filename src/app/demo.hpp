#pragma once
// The demo council: partner agencies, a user for every role, synthetic
// families (no real person's data) and a few weeks of contacts at a
// realistic volume, in every state of the front door's path. Also used at
// larger sizes by the benchmarks.
//
// Contacts received in the last 28 days and screened also carry the MASH
// enquiry (issue #3), when the demo's users are made (create_users): consent
// for each child shortly after screening (mostly given by a parent, some
// refused or not sought with the manager's override), checks to police,
// health and education (now and then probation and housing) about the
// children and adults, due by the check policy for the contact's rating and
// answered by each agency's practitioner at varied delays (most on time, some
// late, the office-hours agencies' answers in office hours, a few health
// checks through a GP sub-request); now and then a parent withdraws consent
// once the checks are out. A contact is decided only once its checks are in,
// or sooner where the manager agreed the decision could not wait
// (DecisionAllowedBeforeChecksIn), relying on the answers in by then;
// contacts still awaiting a decision may have checks open, some overdue.
#include <cstdint>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "core/result.hpp"

namespace frontdoor::app {

struct DemoOptions {
  std::int64_t families = 400;  // each with 1-4 children and 1-2 adults
  int weeks_of_contacts = 4;
  int contacts_per_working_day = 45;
  std::uint64_t seed = 20261122;
  std::string password = "frontdoor-demo-2026";  // every demo user's password
  bool create_users = true;
  // Exact sizes, for the benchmarks. people > 0: families are made until
  // there are exactly this many people (`families` is then ignored).
  // contacts > 0: exactly this many contacts, spread over weeks_of_contacts
  // with four on each working day for every one on other days
  // (`contacts_per_working_day` is then ignored).
  std::int64_t people = 0;
  std::int64_t contacts = 0;
};

struct DemoLogin {
  std::string username;
  std::string role;
  std::string agency;
};

struct DemoSummary {
  std::int64_t people = 0;
  std::int64_t contacts = 0;
  // Partner agencies' checks on the recent contacts (health's GP sub-requests
  // included), and those of them still open now.
  std::int64_t checks = 0;
  std::int64_t checks_open = 0;
  std::vector<DemoLogin> logins;
};

// Fills an empty store. Refuses if the store already has users.
Result<DemoSummary> generate_demo(Application& app, const DemoOptions& options);

}  // namespace frontdoor::app
