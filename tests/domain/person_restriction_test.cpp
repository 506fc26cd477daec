// Restricting a person record: a reason, once, and the fold remembers it.
#include <gtest/gtest.h>

#include "domain/person.hpp"

namespace frontdoor::domain {
namespace {

RecordedEvent recorded(const NewEvent& e, std::int64_t version) {
  RecordedEvent r;
  r.type = e.type;
  r.payload = e.payload;
  r.reason = e.reason;
  r.stream_version = version;
  return r;
}

TEST(PersonRestriction, NeedsARecordAndAReasonAndHappensOnce) {
  PersonState none;
  none.id = 4;
  EXPECT_EQ(restrict_person(none, "Refuge").error().code, ErrorCode::kNotFound);

  PersonState s;
  s.id = 4;
  s.version = 1;
  auto blank = restrict_person(s, "  ");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::kValidation);
  ASSERT_EQ(blank.error().fields.size(), 1U);
  EXPECT_EQ(blank.error().fields[0].field, "reason");

  auto events = restrict_person(s, "Family living in a refuge");
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 1U);
  EXPECT_EQ(events->front().type, person_events::kRestricted);
  EXPECT_EQ(events->front().reason, "Family living in a refuge");
  EXPECT_FALSE(s.restricted);
  apply(s, recorded(events->front(), 2));
  EXPECT_TRUE(s.restricted);
  EXPECT_EQ(s.version, 2);
  EXPECT_EQ(to_json(s)["restricted"], true);
  EXPECT_EQ(restrict_person(s, "Again").error().code, ErrorCode::kInvalidTransition);
}

}  // namespace
}  // namespace frontdoor::domain
