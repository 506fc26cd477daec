#pragma once
// The council's continuum of need, as versioned data. Publishing a new version
// never changes a decision already made: decisions record the version they used.
#include <mutex>
#include <optional>
#include <vector>

#include "app/accounts.hpp"
#include "core/result.hpp"
#include "domain/threshold.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

struct FrameworkVersion {
  int version = 0;
  std::string name;
  Instant published_at;
  bool active = false;
};

class Thresholds {
 public:
  Thresholds(storage::Database& db, const Clock& clock);

  // Publishes the default framework if none has been published yet.
  Status ensure_default();
  Result<domain::ThresholdFramework> active();
  Result<domain::ThresholdFramework> version(const std::string& id, int version);
  Result<std::vector<FrameworkVersion>> versions();
  // Validates and publishes a new version (it becomes the active one).
  Result<domain::ThresholdFramework> publish(const Principal& who,
                                             const std::string& definition_json,
                                             const std::string& reason);

 private:
  Result<domain::ThresholdFramework> publish_as(const domain::Actor& actor,
                                                domain::ThresholdFramework framework,
                                                const std::string& reason);
  storage::Database& db_;
  const Clock& clock_;
  std::mutex mutex_;
  std::optional<domain::ThresholdFramework> cached_;
};

}  // namespace frontdoor::app
