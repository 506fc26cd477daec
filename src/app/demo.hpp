#pragma once
// The demo council: partner agencies, a user for every role, synthetic
// families (no real person's data) and a few weeks of contacts at a
// realistic volume, in every state of the front door's path. Also used at
// larger sizes by the benchmarks.
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
  std::vector<DemoLogin> logins;
};

// Fills an empty store. Refuses if the store already has users.
Result<DemoSummary> generate_demo(Application& app, const DemoOptions& options);

}  // namespace frontdoor::app
