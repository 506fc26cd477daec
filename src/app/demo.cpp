#include "app/demo.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "app/enquiries.hpp"
#include "app/records.hpp"
#include "domain/enquiry.hpp"
#include "domain/london_time.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {
namespace {

using storage::Transaction;

constexpr std::array<const char*, 48> kGirls{
    "Olivia", "Amelia", "Isla",  "Ava",      "Mia",    "Ivy",     "Lily",   "Isabella",
    "Sophia", "Grace",  "Freya", "Florence", "Willow", "Poppy",   "Evie",   "Ella",
    "Daisy",  "Sienna", "Chloe", "Ruby",     "Emily",  "Jessica", "Phoebe", "Millie",
    "Alice",  "Harper", "Zara",  "Aisha",    "Maryam", "Fatima",  "Layla",  "Hannah",
    "Erin",   "Maisie", "Eliza", "Matilda",  "Rosie",  "Bethany", "Keira",  "Leah",
    "Megan",  "Niamh",  "Amira", "Priya",    "Kayla",  "Jade",    "Tia",    "Shannon"};
constexpr std::array<const char*, 48> kBoys{
    "Oliver", "George", "Noah",      "Arthur",  "Muhammad", "Leo",     "Harry",  "Oscar",
    "Archie", "Henry",  "Theodore",  "Freddie", "Jack",     "Charlie", "Theo",   "Alfie",
    "Jacob",  "Thomas", "Finley",    "Arlo",    "William",  "Lucas",   "Roman",  "Tommy",
    "Isaac",  "Teddy",  "Alexander", "Luca",    "Edward",   "James",   "Joshua", "Albie",
    "Elijah", "Max",    "Mason",     "Reggie",  "Samuel",   "Daniel",  "Ethan",  "Kai",
    "Tyler",  "Callum", "Kieran",    "Ryan",    "Jayden",   "Ibrahim", "Yusuf",  "Connor"};
constexpr std::array<const char*, 64> kSurnames{
    "Smith",     "Jones",    "Williams", "Taylor",  "Brown",    "Davies",     "Evans",
    "Wilson",    "Thomas",   "Johnson",  "Roberts", "Robinson", "Thompson",   "Wright",
    "Walker",    "White",    "Edwards",  "Hughes",  "Green",    "Hall",       "Lewis",
    "Harris",    "Clarke",   "Patel",    "Jackson", "Wood",     "Turner",     "Martin",
    "Cooper",    "Hill",     "Ward",     "Morris",  "Moore",    "Clark",      "Lee",
    "King",      "Baker",    "Harrison", "Morgan",  "Allen",    "James",      "Scott",
    "Phillips",  "Watson",   "Davis",    "Parker",  "Price",    "Bennett",    "Young",
    "Griffiths", "Mitchell", "Kelly",    "Cook",    "Carter",   "Richardson", "Bailey",
    "Collins",   "Bell",     "Shaw",     "Murphy",  "Khan",     "Ali",        "Hussain",
    "O'Brien"};
constexpr std::array<const char*, 24> kStreets{
    "High Street",   "Station Road", "Church Lane",      "Victoria Road", "Green Lane",
    "Manor Road",    "Park Avenue",  "Queens Road",      "New Road",      "Mill Lane",
    "Grange Road",   "Kings Road",   "Albert Street",    "Chapel Street", "Elm Grove",
    "Willow Close",  "Oak Drive",    "Beech Avenue",     "Meadow Way",    "Castle Street",
    "Bridge Street", "School Lane",  "Springfield Road", "Hawthorn Close"};

struct Concern {
  const char* text;
  domain::Outcome likely;
  int level;
};
constexpr std::array<Concern, 10> kConcerns{{
    {"Police attended a domestic abuse incident at the home overnight; the children were present "
     "and saw their mother assaulted.",
     domain::Outcome::kStrategyDiscussion, 4},
    {"School reports the child arrived with a bruise to the cheek and said 'mum's boyfriend did "
     "it'.",
     domain::Outcome::kStrategyDiscussion, 4},
    {"Health visitor is worried about the home conditions and the baby's weight loss; parent "
     "appears low in mood.",
     domain::Outcome::kReferralToSocialCare, 3},
    {"Attendance has fallen to 72% this term; the child is often hungry and wearing the same "
     "clothes.",
     domain::Outcome::kEarlyHelp, 3},
    {"Neighbour reports shouting and a child crying late at night several times this week.",
     domain::Outcome::kInformationAndAdvice, 2},
    {"Parent asked the GP for help managing the child's behaviour at home and sleep problems.",
     domain::Outcome::kEarlyHelp, 2},
    {"Young person disclosed to a youth worker that older males are giving him money to carry "
     "packages.",
     domain::Outcome::kStrategyDiscussion, 4},
    {"Mother has been evicted and the family are staying with friends; no settled address.",
     domain::Outcome::kReferralToSocialCare, 3},
    {"Anonymous caller says the children are left alone in the evenings; no further detail.",
     domain::Outcome::kNoFurtherAction, 1},
    {"Child's school reports a change in presentation since parents separated; child is withdrawn.",
     domain::Outcome::kUniversalServices, 2},
}};

// A valid NHS number (modulus 11) from a random nine-digit stem.
std::string nhs_number(std::mt19937_64& rng) {
  for (;;) {
    std::string digits;
    int sum = 0;
    for (int i = 0; i < 9; ++i) {
      const int d = static_cast<int>(rng() % 10);
      digits.push_back(static_cast<char>('0' + d));
      sum += d * (10 - i);
    }
    const int check = 11 - (sum % 11);
    if (check == 10) continue;
    digits.push_back(static_cast<char>('0' + (check == 11 ? 0 : check)));
    return digits;
  }
}

template <typename T, std::size_t N>
const T& pick(std::mt19937_64& rng, const std::array<T, N>& items) {
  return items[rng() % N];
}

struct Family {
  std::vector<std::int64_t> children;
  std::vector<std::int64_t> adults;
  std::vector<domain::ChildOnContact> child_details;
  std::vector<domain::AdultOnContact> adult_details;
  std::string address;
  std::string postcode;
};

std::chrono::sys_days random_day(std::mt19937_64& rng, int from_year, int to_year) {
  using namespace std::chrono;
  const sys_days a{year{from_year} / January / 1};
  const sys_days b{year{to_year} / December / 31};
  return a + days{static_cast<long>(rng() % static_cast<std::uint64_t>((b - a).count()))};
}

// ---------------------------------------------------------------------------
// The MASH enquiry on recent contacts (issue #3): consent for each child,
// partner agencies' checks due by the contact's rating, and their answers at
// realistic delays, so that the Partnership page, the agencies' queues and
// the MASH queue's overdue banner show something real. Synthetic throughout.
// ---------------------------------------------------------------------------

// Contacts received this recently get an enquiry: the Partnership page's
// default period. Older ones keep the short path (fast for big councils).
constexpr auto kEnquiryWindow = std::chrono::hours{24 * 28};

// What an agency may hold about someone.
struct Finding {
  const char* summary;
  const char* relevance;
  const char* risk;
};
constexpr std::array<Finding, 3> kPoliceChild{{
    {"Reported missing twice this year; found within 24 hours both times and return interviews "
     "done.",
     "Missing episodes may point to exploitation.", "Medium"},
    {"Present at a domestic incident at the address; a police protection notification was sent "
     "to the MASH.",
     "The child witnessed domestic abuse.", "Medium"},
    {"Seen with older males in the town centre late at night; intelligence of links to a county "
     "line.",
     "Indicators of criminal exploitation.", "High"},
}};
constexpr std::array<Finding, 5> kPoliceAdult{{
    {"Two domestic incidents at the address in the last 12 months; DASH risk assessed as "
     "medium. No charges.",
     "A pattern of domestic abuse in the household.", "Medium"},
    {"Arrested last year for common assault on a partner; released with no further action.",
     "Violence towards a partner.", "Medium"},
    {"Named as the victim of a domestic incident; DASH risk assessed as high and referred to "
     "MARAC.",
     "The parent is a high-risk victim of domestic abuse.", "High"},
    {"Intelligence links this person to the supply of class A drugs in the town centre.",
     "Drug supply from or near the home.", "High"},
    {"A drink-driving conviction six years ago; nothing recorded since.",
     "Unlikely to bear on the children's safety.", "Low"},
}};
constexpr std::array<Finding, 4> kHealthChild{{
    {"Registered with the local GP; immunisations up to date. Two A&E attendances this year, "
     "both minor injuries.",
     "Attendances consistent with the explanations given.", "Low"},
    {"Missed the last two health visitor appointments and a hospital follow-up.",
     "Health needs may be going unmet.", "Medium"},
    {"Weight has fallen from the 50th to the 9th centile since the last review.",
     "Possible neglect of the child's nutrition.", "High"},
    {"Under CAMHS for anxiety, seen monthly; engaging well.",
     "Emotional health is being supported.", "Low"},
}};
constexpr std::array<Finding, 3> kGpChild{{
    {"Registered with the practice; seen twice this year for minor illnesses, brought by mother.",
     "No concerns in the GP record.", "Low"},
    {"Two missed appointments for a hearing referral; the practice wrote to the family twice.",
     "A pattern of missed health care.", "Medium"},
    {"Seen last month with a burn to the hand; the explanation given was consistent.",
     "An injury, explained.", "Low"},
}};
constexpr std::array<Finding, 3> kHealthAdult{{
    {"Registered with the local GP; treated for depression, last seen six weeks ago.",
     "The parent's mental health may affect their care of the children.", "Medium"},
    {"Known to drug and alcohol services; engagement has been patchy.",
     "Substance misuse by a carer.", "Medium"},
    {"Attended A&E in the spring with facial injuries; said she had fallen.",
     "Injuries that may be from domestic abuse.", "High"},
}};
constexpr std::array<Finding, 4> kEducationChild{{
    {"Attendance 84% this year with 12 unauthorised sessions; eligible for free school meals.",
     "Falling attendance.", "Medium"},
    {"The designated safeguarding lead logged three concerns this term about hunger and "
     "hygiene.",
     "Signs of neglect seen at school.", "Medium"},
    {"Has an EHC plan for speech and language needs; attendance is good.",
     "Additional needs, well supported.", "Low"},
    {"Suspended for two days last term for fighting; behaviour has worsened since the new year.",
     "A change in behaviour that may reflect home life.", "Medium"},
}};
constexpr std::array<Finding, 2> kProbationAdult{{
    {"Subject to a community order for assaulting a partner; ten sessions of a domestic abuse "
     "programme left.",
     "Current domestic abuse offending.", "High"},
    {"Released on licence in January; assessed as a medium risk of serious harm to known "
     "adults.",
     "Risk to adults in the household.", "Medium"},
}};
constexpr std::array<Finding, 3> kHousingAdult{{
    {"Tenant of a two-bedroom flat with rent arrears of \u00a31,240; a notice seeking "
     "possession has been served.",
     "The family may lose their home.", "Medium"},
    {"Placed in temporary accommodation after a homelessness application in the summer.",
     "An unsettled address.", "Medium"},
    {"The housing officer found the property damp and in poor repair at the last visit.",
     "Home conditions.", "Low"},
}};

// How each agency is asked, and how it answers.
struct CheckKind {
  domain::AgencyKind agency;
  const char* question;
  const char* source_system;
  const char* reference_prefix;
  unsigned known_child_percent;
  unsigned known_adult_percent;
  unsigned late_percent;  // answered after the due time
  bool office_hours;      // answers only in office hours (the police's MASH desk never closes)
  std::span<const Finding> child;
  std::span<const Finding> adult;
};
const std::array<CheckKind, 5> kCheckKinds{{
    {domain::AgencyKind::kPolice,
     "Please check for domestic abuse, violence and any intelligence about the household.",
     "Niche RMS", "OCC-", 25, 45, 12, false, kPoliceChild, kPoliceAdult},
    {domain::AgencyKind::kHealth,
     "Please share health involvement, attendances and any missed appointments.", "SystmOne", "S1-",
     60, 50, 18, true, kHealthChild, kHealthAdult},
    {domain::AgencyKind::kEducation,
     "Please share attendance, safeguarding concerns and how the child presents at school.",
     "Arbor MIS",
     "ARB-",
     65,
     0,
     12,
     true,
     kEducationChild,
     {}},
    {domain::AgencyKind::kProbation,
     "Is either adult known to probation, and with what assessment of risk?",
     "nDelius",
     "CRN X",
     0,
     40,
     15,
     true,
     {},
     kProbationAdult},
    {domain::AgencyKind::kHousing,
     "Please share the tenancy, any arrears or notices, and housing officers' concerns.",
     "Civica CX",
     "TEN-",
     0,
     70,
     20,
     true,
     {},
     kHousingAdult},
}};
// A health check's GP sub-request: health's practitioner answers for the GP.
const CheckKind kGpKind{domain::AgencyKind::kHealth,
                        "Please share the GP record: registration, recent appointments and any "
                        "concerns.",
                        "EMIS Web",
                        "GP-",
                        55,
                        0,
                        18,
                        true,
                        kGpChild,
                        {}};

std::int64_t uniform(std::mt19937_64& rng, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
}

std::chrono::minutes some_minutes(std::mt19937_64& rng, int low, int high) {
  return std::chrono::minutes{uniform(rng, low, high)};
}

// `t`, or if that is outside office hours (8am to 6pm London on a working
// day), a little after the next opening: when people who work them act.
Instant in_office_hours(Instant t, const domain::WorkingDayCalendar& calendar,
                        std::mt19937_64& rng) {
  using std::chrono::hours;
  auto day = domain::london_date(t);
  const auto time_of_day = t - domain::from_london(day, std::chrono::milliseconds{0});
  if (calendar.is_working_day(day) && time_of_day >= hours{8} && time_of_day < hours{18}) {
    return t;
  }
  if (calendar.is_working_day(day) && time_of_day < hours{8}) {
    return domain::from_london(day, hours{8} + some_minutes(rng, 15, 90));
  }
  do {
    day += std::chrono::days{1};
  } while (!calendar.is_working_day(day));
  return domain::from_london(day, hours{8} + some_minutes(rng, 15, 90));
}

// A check as written, for the decision that follows.
struct WrittenCheck {
  std::int64_t id = 0;
  Instant requested_at{};
  Instant due_at{};
  std::optional<Instant> answered_at;  // none: still open now
};

// Who acts in the demo's enquiries: the MASH social worker and manager, and a
// practitioner of each partner agency (an agency without one is not asked).
struct EnquiryCast {
  domain::Actor worker;
  domain::Actor manager;
  std::map<domain::AgencyKind, domain::Actor> practitioners;
  std::map<domain::AgencyKind, Agency> agencies;
};

class EnquiryWriter {
 public:
  EnquiryWriter(Application& app, EnquiryCast cast, std::uint64_t seed, Instant now)
      : app_(app), cast_(std::move(cast)), rng_(seed), now_(now) {}

  // Consent and checks on a contact screened at `screened_at`, each answer
  // written if it came by now. The checks, for the decision.
  Result<std::vector<WrittenCheck>> write(Transaction& tx, std::int64_t contact_id,
                                          const Family& fam, std::size_t concern_index,
                                          domain::RagRating rag, Instant screened_at) {
    std::vector<WrittenCheck> written;
    FD_ASSIGN_OR_RETURN(auto consent, write_consent(tx, contact_id, fam, rag, screened_at));
    level_ = kConcerns[concern_index].level;
    Instant at = consent.at + some_minutes(rng_, 5, 20);
    const Instant first_asked = at;
    for (const auto& kind : kCheckKinds) {
      if (at > now_) break;
      const auto agency = cast_.agencies.find(kind.agency);
      const auto answerer = cast_.practitioners.find(kind.agency);
      if (agency == cast_.agencies.end() || answerer == cast_.practitioners.end()) continue;
      std::vector<std::int64_t> people;
      std::vector<domain::SharedPart> shared{domain::SharedPart::kConcerns,
                                             domain::SharedPart::kAddress,
                                             domain::SharedPart::kHousehold};
      switch (kind.agency) {
        case domain::AgencyKind::kPolice:
          people = fam.children;
          people.insert(people.end(), fam.adults.begin(), fam.adults.end());
          break;
        case domain::AgencyKind::kHealth:
          people = fam.children;
          if (!fam.adults.empty()) people.push_back(fam.adults.front());
          break;
        case domain::AgencyKind::kEducation:
          people = school_age(fam, at);
          shared.pop_back();
          break;
        case domain::AgencyKind::kProbation:
          if (rag != domain::RagRating::kGreen && rng_() % 100 < 30) people = fam.adults;
          shared.pop_back();
          break;
        default:  // housing: for a family evicted (kConcerns[7]), and now and then
          if (concern_index == 7 || rng_() % 100 < 12) people = fam.adults;
          shared.erase(shared.begin());
          break;
      }
      if (people.empty()) continue;
      domain::CheckRequest request;
      request.contact_id = contact_id;
      request.agency_id = agency->second.id;
      request.agency_name = agency->second.name;
      request.people = std::move(people);
      request.question = kind.question;
      request.shared = std::move(shared);
      FD_ASSIGN_OR_RETURN(auto check, request_check(tx, request, rag, at, cast_.worker));
      Instant answer_at = answer_time(kind, check.state);
      // Now and then health asks the GP about the children first, and
      // answers when the GP has.
      const Instant gp_asked = at + some_minutes(rng_, 15, 50);
      if (kind.agency == domain::AgencyKind::kHealth && rng_() % 100 < 20 && gp_asked <= now_) {
        domain::CheckRequest gp = request;
        gp.people = fam.children;
        gp.question =
            "Please share the GP record: registration, recent appointments and any concerns.";
        gp.parent_check = check.state.id;
        gp.service = "GP";
        FD_ASSIGN_OR_RETURN(auto sub, request_check(tx, gp, rag, gp_asked, answerer->second));
        const Instant gp_answer = answer_time(kGpKind, sub.state);
        FD_TRY(answer(tx, kGpKind, fam, sub, gp_answer, answerer->second));
        written.push_back(sub.written);
        answer_at = std::max(answer_at, gp_answer + some_minutes(rng_, 10, 30));
      }
      FD_TRY(answer(tx, kind, fam, check, answer_at, answerer->second));
      written.push_back(check.written);
      at += some_minutes(rng_, 1, 4);
    }
    // Now and then a parent withdraws the consent they gave for the first child,
    // once the checks are out and before the contact can close (what the
    // agencies found stands; no more are asked).
    const Instant withdrawn = first_asked + some_minutes(rng_, 20, 60);
    const auto* first = consent.state.consent_for(0);
    if (consent.given && !written.empty() && rng_() % 100 < 3 && withdrawn <= now_ &&
        first != nullptr && first->given_by == consent.parent) {
      domain::ConsentCommand cmd;
      cmd.decision = domain::ConsentDecision::kWithdrawn;
      cmd.given_by = consent.parent;
      cmd.notes = "Rang the MASH to say they no longer agree to agencies sharing information.";
      FD_ASSIGN_OR_RETURN(auto events,
                          domain::record_consent(consent.state, fam.children.size(), cmd));
      FD_TRY(append_enquiry_events(tx, consent.state, cast_.worker, std::move(events), withdrawn));
    }
    return written;
  }

 private:
  struct Check {
    domain::CheckState state;
    WrittenCheck written;
  };

  struct Consent {
    domain::EnquiryState state;
    Instant at{};  // when the last of it was recorded
    bool given = false;
    std::string parent;  // who answered for the children
  };

  // Mostly given by a parent; sometimes refused, or not sought because
  // asking would put the children at risk, and then the manager agrees checks
  // without it.
  Result<Consent> write_consent(Transaction& tx, std::int64_t contact_id, const Family& fam,
                                domain::RagRating rag, Instant screened_at) {
    Consent consent;
    auto& state = consent.state;
    state.contact_id = contact_id;
    const std::size_t children = fam.children.size();
    const auto roll = rng_() % 100;
    const bool red = rag == domain::RagRating::kRed;
    const bool refused = roll < (red ? 8U : 6U);
    const bool not_sought = !refused && roll < (red ? 30U : 12U);
    std::string parent = "Mother";
    if (fam.adult_details.empty()) {
      parent = "Carer";
    } else if (fam.adult_details.size() > 1 && rng_() % 4 == 0) {
      parent = fam.adult_details[1].relationship;
    }
    // Recorded for all the children at once, as the consent form does.
    Instant at = screened_at + some_minutes(rng_, 5, 25);
    consent.at = at;
    if (at > now_) return consent;
    std::vector<domain::NewEvent> recorded;
    for (std::size_t i = 0; i < children; ++i) {
      domain::ConsentCommand cmd;
      cmd.child_index = i;
      if (refused) {
        cmd.decision = domain::ConsentDecision::kRefused;
        cmd.given_by = parent;
        cmd.notes = "Does not want agencies sharing information about the family.";
      } else if (not_sought) {
        cmd.decision = domain::ConsentDecision::kNotSought;
        cmd.notes = "Asking the parents now could place the children at risk.";
      } else {
        cmd.decision = domain::ConsentDecision::kGiven;
        const auto& born = fam.child_details[i].date_of_birth;
        const bool older = born && domain::london_date(at) - *born > std::chrono::days{14 * 365};
        cmd.given_by = older && rng_() % 2 == 0 ? "The young person (Gillick competent)" : parent;
      }
      FD_ASSIGN_OR_RETURN(auto events, domain::record_consent(state, children, cmd));
      std::move(events.begin(), events.end(), std::back_inserter(recorded));
    }
    FD_TRY(append_enquiry_events(tx, state, cast_.worker, std::move(recorded), at));
    consent.given = !refused && !not_sought;
    consent.parent = parent;
    if (consent.given) return consent;
    at += some_minutes(rng_, 5, 25);
    consent.at = at;
    if (at > now_) return consent;
    const auto basis = refused ? domain::LawfulBasis::kSafeguardingDuty
                               : (rng_() % 2 == 0 ? domain::LawfulBasis::kRiskOfHarm
                                                  : domain::LawfulBasis::kCrimePrevention);
    const std::string reason =
        refused ? "The concerns suggest the children may be suffering significant harm; the "
                  "agencies' information is needed to judge it."
                : "Telling the parents before the police have checked could place the children "
                  "and their mother at greater risk.";
    std::vector<domain::NewEvent> overrides;
    for (std::size_t i = 0; i < children; ++i) {
      domain::OverrideCommand cmd{i, domain::ConsentOverride{basis, reason, cast_.manager.user_id,
                                                             cast_.manager.display_name}};
      FD_ASSIGN_OR_RETURN(auto events, domain::override_consent(state, children, cmd));
      std::move(events.begin(), events.end(), std::back_inserter(overrides));
    }
    FD_TRY(append_enquiry_events(tx, state, cast_.manager, std::move(overrides), at));
    return consent;
  }

  // The children of school age (4 to 17) on the day.
  static std::vector<std::int64_t> school_age(const Family& fam, Instant at) {
    std::vector<std::int64_t> out;
    const auto today = domain::london_date(at);
    for (std::size_t i = 0; i < fam.children.size(); ++i) {
      const auto& born = fam.child_details[i].date_of_birth;
      if (!born) continue;
      const auto years = (today - *born).count() / 365;
      if (years >= 4 && years < 18) out.push_back(fam.children[i]);
    }
    return out;
  }

  // Asked by `by` at `at`, due by the check policy for the contact's rating.
  Result<Check> request_check(Transaction& tx, const domain::CheckRequest& request,
                              domain::RagRating rag, Instant at, const domain::Actor& by) {
    const auto& policies = app_.contacts().policies();
    const Instant due =
        policies.checks.deadline(at, rag, app_.contacts().calendar(), policies.working_hours);
    FD_ASSIGN_OR_RETURN(auto events,
                        domain::request_check(request, at, due, policies.checks.limit(rag).unit));
    Check check;
    FD_ASSIGN_OR_RETURN(check.state.id, next_id(tx, "checks"));
    FD_TRY(append_check_events(tx, check.state, by, std::move(events), at));
    check.written = WrittenCheck{check.state.id, at, due, std::nullopt};
    return check;
  }

  // Most in the time allowed; some late, a few very late; in office hours
  // for the agencies that keep them.
  Instant answer_time(const CheckKind& kind, const domain::CheckState& check) {
    const auto allowed = (check.due_at - check.requested_at).count();
    const auto roll = static_cast<unsigned>(rng_() % 100);
    std::int64_t permille = uniform(rng_, 150, 950);
    if (roll < kind.late_percent) {
      permille =
          roll * 4 < kind.late_percent ? uniform(rng_, 2000, 4000) : uniform(rng_, 1050, 2000);
    }
    // One in a hundred is forgotten until chased, days later.
    if (rng_() % 100 == 0) permille = uniform(rng_, 6000, 10000);
    const Instant at = check.requested_at + std::chrono::milliseconds{allowed * permille / 1000};
    if (!kind.office_hours) return at;
    const auto& calendar = app_.contacts().calendar();
    const Instant opened = in_office_hours(at, calendar, rng_);
    if (opened == at || roll < kind.late_percent) return opened;
    // Asked in office hours and not to be late: answered before going home.
    const auto day = domain::london_date(check.requested_at);
    const Instant close = std::min(check.due_at, domain::from_london(day, std::chrono::hours{18}));
    const auto left = std::chrono::duration_cast<std::chrono::minutes>(close - check.requested_at);
    if (in_office_hours(check.requested_at, calendar, rng_) != check.requested_at ||
        left < std::chrono::minutes{20}) {
      return opened;
    }
    return check.requested_at + some_minutes(rng_, 10, static_cast<int>(left.count()) - 5);
  }

  // Known or not known for each person, with what is held; written only if
  // the answer came by now.
  Status answer(Transaction& tx, const CheckKind& kind, const Family& fam, Check& check, Instant at,
                const domain::Actor& by) {
    if (at > now_) return ok_status();
    std::vector<domain::PersonAnswer> answers;
    for (const auto person : check.state.people) {
      const bool child =
          std::find(fam.children.begin(), fam.children.end(), person) != fam.children.end();
      const auto& findings = child ? kind.child : kind.adult;
      // Families with more serious concerns are more often known, and for
      // more serious things.
      auto known_percent = child ? kind.known_child_percent : kind.known_adult_percent;
      if (level_ <= 2) known_percent /= 2;
      domain::PersonAnswer a;
      a.person_id = person;
      a.known = !findings.empty() && rng_() % 100 < known_percent;
      a.source_system = kind.source_system;
      if (a.known) {
        std::size_t pick = rng_() % findings.size();
        for (std::size_t i = 0; level_ <= 2 && i < findings.size(); ++i) {
          const std::size_t j = (pick + i) % findings.size();
          if (std::string_view(findings[j].risk) == "Low") {
            pick = j;
            break;
          }
        }
        const auto& f = findings[pick];
        a.summary = f.summary;
        a.relevance = f.relevance;
        a.risk = f.risk;
        a.source_reference = kind.reference_prefix + std::to_string(100000 + rng_() % 900000);
      }
      answers.push_back(std::move(a));
    }
    FD_ASSIGN_OR_RETURN(auto events, domain::answer_check(check.state, std::move(answers)));
    FD_TRY(append_check_events(tx, check.state, by, std::move(events), at));
    check.written.answered_at = at;
    return ok_status();
  }

  Application& app_;
  EnquiryCast cast_;
  std::mt19937_64 rng_;
  Instant now_;
  int level_ = 0;  // of the contact's concerns (Concern::level)
};

// When a contact with checks may be decided: after every answer, or, with
// checks late, sooner once the manager agrees it cannot wait.
struct DecisionPlan {
  std::optional<Instant> early_at;  // the manager's DecisionAllowedBeforeChecksIn
  domain::ChecksProgress at_early;  // the checks as they stood then
  Instant decided_at{};
  domain::ChecksProgress at_decision;
};

domain::ChecksProgress progress_at(const std::vector<WrittenCheck>& checks, Instant at) {
  domain::ChecksProgress p;
  for (const auto& c : checks) {
    if (c.requested_at > at) continue;
    if (c.answered_at && *c.answered_at <= at) {
      p.answered.push_back(c.id);
    } else {
      p.open.push_back(c.id);
    }
  }
  return p;
}

// Nothing if the contact still waits for answers now.
std::optional<DecisionPlan> plan_decision(const std::vector<WrittenCheck>& checks,
                                          domain::RagRating rag, Instant earliest, Instant now,
                                          const domain::WorkingDayCalendar& calendar,
                                          std::mt19937_64& rng) {
  Instant all_in = earliest;
  Instant asked = earliest;
  Instant in_time = earliest;  // the answers that came in time, and the late ones' due times
  bool complete = true;
  bool late = false;
  for (const auto& c : checks) {
    asked = std::max(asked, c.requested_at);
    if (c.answered_at) all_in = std::max(all_in, *c.answered_at);
    complete = complete && c.answered_at.has_value();
    if (c.answered_at && *c.answered_at <= c.due_at) {
      in_time = std::max(in_time, *c.answered_at);
    } else {
      late = true;
      in_time = std::max(in_time, c.due_at);
    }
  }
  const unsigned early_percent = rag == domain::RagRating::kRed ? 50 : 15;
  if (late && rng() % 100 < early_percent) {
    DecisionPlan plan;
    const Instant early =
        in_office_hours(std::max(asked, in_time) + some_minutes(rng, 10, 40), calendar, rng);
    plan.at_early = progress_at(checks, early);
    plan.decided_at = early + some_minutes(rng, 10, 30);
    if (!plan.at_early.open.empty() && plan.decided_at <= now) {
      plan.early_at = early;
      plan.at_decision = progress_at(checks, plan.decided_at);
      return plan;
    }
  }
  if (!complete) return std::nullopt;
  DecisionPlan plan;
  plan.decided_at =
      in_office_hours(std::max(earliest, all_in + some_minutes(rng, 15, 75)), calendar, rng);
  if (plan.decided_at > now) return std::nullopt;
  plan.at_decision = progress_at(checks, plan.decided_at);
  return plan;
}

}  // namespace

Result<DemoSummary> generate_demo(Application& app, const DemoOptions& options) {
  DemoSummary summary;
  std::int64_t existing = 0;
  FD_TRY(app.db().read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM agencies"));
    existing = row->integer(0);
    return ok_status();
  }));
  if (existing > 0)
    return Error::conflict("The store already has data: the demo fills only an empty one");

  struct AgencySpec {
    const char* code;
    const char* name;
    domain::AgencyKind kind;
    bool approval;
  };
  const std::array<AgencySpec, 7> agencies{{
      {"council", "Demo Borough Council Children's Services", domain::AgencyKind::kCouncil, false},
      {"police", "Demo Constabulary", domain::AgencyKind::kPolice, true},
      {"health", "Demo NHS Foundation Trust", domain::AgencyKind::kHealth, false},
      {"education", "Demo Academy Trust", domain::AgencyKind::kEducation, false},
      {"probation", "Probation Service (Demo region)", domain::AgencyKind::kProbation, true},
      {"housing", "Demo Homes", domain::AgencyKind::kHousing, false},
      {"voluntary", "Demo Women's Aid", domain::AgencyKind::kVoluntary, false},
  }};
  std::vector<Agency> created;
  for (const auto& a : agencies) {
    Agency ag;
    ag.code = a.code;
    ag.name = a.name;
    ag.kind = a.kind;
    ag.requires_supervisor_approval = a.approval;
    FD_ASSIGN_OR_RETURN(ag.id, app.accounts().create_agency(ag));
    created.push_back(ag);
  }

  domain::Actor worker = domain::Actor::system();
  domain::Actor manager = domain::Actor::system();
  std::map<std::string, domain::Actor> actors;  // by username
  if (options.create_users) {
    struct UserSpec {
      const char* username;
      const char* name;
      domain::Role role;
      const char* agency;
    };
    const std::array<UserSpec, 14> users{{
        {"sam.worker", "Sam Okafor", domain::Role::kMashSocialWorker, "council"},
        {"maya.manager", "Maya Lindqvist", domain::Role::kMashTeamManager, "council"},
        {"pc.jones", "PC Rhys Jones", domain::Role::kPartnerReferrer, "police"},
        {"sgt.patel", "Sergeant Nisha Patel", domain::Role::kPartnerSupervisor, "police"},
        {"hana.health", "Hana Novak", domain::Role::kPartnerPractitioner, "health"},
        // The police and education practitioners in the MASH, who answer checks.
        {"dc.mash", "DC Owen Price", domain::Role::kPartnerPractitioner, "police"},
        {"liz.education", "Liz Adeyemi", domain::Role::kPartnerPractitioner, "education"},
        // Probation's and housing's practitioners, who answer their checks.
        {"kim.probation", "Kim Fraser", domain::Role::kPartnerPractitioner, "probation"},
        {"dev.housing", "Dev Sharma", domain::Role::kPartnerPractitioner, "housing"},
        {"ed.teacher", "Ed Marsh", domain::Role::kPartnerReferrer, "education"},
        {"pat.probation", "Pat Quinn", domain::Role::kPartnerReferrer, "probation"},
        {"erin.edt", "Erin Walsh", domain::Role::kEdtSocialWorker, "council"},
        {"ana.analyst", "Ana Ribeiro", domain::Role::kPerformanceAnalyst, "council"},
        {"ada.admin", "Ada Mensah", domain::Role::kSystemAdministrator, "council"},
    }};
    for (const auto& u : users) {
      NewUser nu;
      nu.username = u.username;
      nu.display_name = u.name;
      nu.email = std::string(u.username) + "@demo.example.org";
      nu.role = u.role;
      nu.agency_code = u.agency;
      nu.password = options.password;
      FD_ASSIGN_OR_RETURN(auto user, app.accounts().create_user(nu));
      if (u.role == domain::Role::kMashSocialWorker) worker = user.actor();
      if (u.role == domain::Role::kMashTeamManager) manager = user.actor();
      actors[u.username] = user.actor();
      summary.logins.push_back(
          {u.username, std::string(domain::role_label(u.role)), user.agency.name});
    }
  }

  std::mt19937_64 rng(options.seed);
  const Instant now = app.clock().now();
  // The enquiries on recent contacts need the users who act in them. Their
  // draws come from a generator of their own, so that the families and
  // contacts are the same with or without them.
  std::optional<EnquiryWriter> enquiries;
  std::mt19937_64 decision_rng(options.seed + 2);
  if (options.create_users) {
    EnquiryCast cast;
    cast.worker = worker;
    cast.manager = manager;
    const std::array<std::pair<domain::AgencyKind, const char*>, 5> answerers{
        {{domain::AgencyKind::kPolice, "dc.mash"},
         {domain::AgencyKind::kHealth, "hana.health"},
         {domain::AgencyKind::kEducation, "liz.education"},
         {domain::AgencyKind::kProbation, "kim.probation"},
         {domain::AgencyKind::kHousing, "dev.housing"}}};
    for (const auto& [kind, username] : answerers) cast.practitioners[kind] = actors.at(username);
    for (const auto& a : created) cast.agencies.emplace(a.kind, a);
    enquiries.emplace(app, std::move(cast), options.seed + 1, now);
  }
  const Instant history_start = now - std::chrono::hours{24 * 7 * options.weeks_of_contacts};
  std::vector<Family> families;
  const bool exact_people = options.people > 0;
  const std::int64_t family_count =
      exact_people ? std::numeric_limits<std::int64_t>::max() : options.families;
  auto room_for_people = [&] { return !exact_people || summary.people < options.people; };
  if (!exact_people) families.reserve(static_cast<std::size_t>(options.families));
  const std::int64_t batch = 500;
  for (std::int64_t start = 0; start < family_count && room_for_people(); start += batch) {
    FD_TRY(app.db().write([&](Transaction& tx) -> Status {
      for (std::int64_t f = start; f < std::min(family_count, start + batch) && room_for_people();
           ++f) {
        Family fam;
        const std::string surname = pick(rng, kSurnames);
        fam.address = std::to_string(1 + rng() % 180) + " " + pick(rng, kStreets) + ", Demo Town";
        fam.postcode = "DB" + std::to_string(1 + rng() % 9) + " " + std::to_string(rng() % 10) +
                       static_cast<char>('A' + rng() % 26) + static_cast<char>('A' + rng() % 26);
        auto add_person = [&](domain::PersonDetails d) -> Result<std::int64_t> {
          FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "persons"));
          FD_TRY(run_person_command(
              tx, domain::Actor::system(), id, storage::kNewStream, history_start,
              [&](const domain::PersonState&) { return domain::record_person(d, now); }));
          ++summary.people;
          return id;
        };
        int adults = 1 + static_cast<int>(rng() % 2);
        // With an exact size, the last family keeps room for at least one child.
        if (exact_people)
          adults =
              static_cast<int>(std::min<std::int64_t>(adults, options.people - summary.people - 1));
        for (int a = 0; a < adults; ++a) {
          domain::PersonDetails d;
          d.kind = domain::PersonKind::kAdult;
          d.given_name = a == 0 ? pick(rng, kGirls) : pick(rng, kBoys);
          d.family_name = surname;
          d.date_of_birth = random_day(rng, 1972, 2002);
          d.sex = a == 0 ? "2" : "1";
          d.address = domain::PersonAddress{fam.address, fam.postcode, std::nullopt, std::nullopt};
          FD_ASSIGN_OR_RETURN(auto id, add_person(d));
          fam.adults.push_back(id);
          fam.adult_details.push_back(domain::AdultOnContact{
              d.given_name, d.family_name, a == 0 ? "Mother" : "Father", d.date_of_birth, "", id});
        }
        int children = 1 + static_cast<int>(rng() % 4);
        if (exact_people)
          children =
              static_cast<int>(std::min<std::int64_t>(children, options.people - summary.people));
        for (int c = 0; c < children; ++c) {
          domain::PersonDetails d;
          const bool girl = rng() % 2 == 0;
          d.kind = domain::PersonKind::kChild;
          d.given_name = girl ? pick(rng, kGirls) : pick(rng, kBoys);
          d.family_name = surname;
          d.date_of_birth = random_day(rng, 2009, 2025);
          d.sex = girl ? "2" : "1";
          if (rng() % 10 < 7) d.identifiers.nhs_number = nhs_number(rng);
          d.address = domain::PersonAddress{fam.address, fam.postcode, std::nullopt, std::nullopt};
          FD_ASSIGN_OR_RETURN(auto id, add_person(d));
          fam.children.push_back(id);
          fam.child_details.push_back(domain::ChildOnContact{
              d.given_name, d.family_name, d.date_of_birth, false, std::nullopt, d.sex, id});
        }
        for (auto child : fam.children) {
          for (auto adult : fam.adults) {
            FD_TRY(run_person_command(tx, domain::Actor::system(), adult, storage::kAnyVersion,
                                      history_start, [&](const domain::PersonState& s) {
                                        return domain::record_relationship(
                                            s, child, domain::RelationshipKind::kParent);
                                      }));
          }
          for (auto sibling : fam.children) {
            if (sibling <= child) continue;
            FD_TRY(run_person_command(tx, domain::Actor::system(), child, storage::kAnyVersion,
                                      history_start, [&](const domain::PersonState& s) {
                                        return domain::record_relationship(
                                            s, sibling, domain::RelationshipKind::kSibling);
                                      }));
          }
        }
        families.push_back(std::move(fam));
      }
      return ok_status();
    }));
  }

  // Worked examples of person matching (docs/MATCHING.md): a child a
  // referrer calls by a short name with the day and month of birth the
  // wrong way round, and a child recorded twice (a duplicate to merge).
  if (!exact_people) {
    FD_TRY(app.db().write([&](Transaction& tx) -> Status {
      using std::chrono::day;
      using std::chrono::month;
      using std::chrono::year;
      struct Example {
        const char* given;
        const char* family;
        std::chrono::sys_days born;
        const char* address;
        const char* postcode;
        const char* sex;
      };
      const std::array<Example, 3> examples{{
          {"Alexander", "Whitmore", year{2016} / month{2} / day{3}, "7 Orchard Way, Demo Town",
           "DB2 3LP", "1"},
          {"Jessica", "Harlow", year{2017} / month{6} / day{14}, "22 Mill Lane, Demo Town",
           "DB5 1HS", "2"},
          {"Jess", "Harlow", year{2017} / month{6} / day{14}, "22 Mill Lane, Demo Town", "DB5 1HS",
           "2"},
      }};
      for (const auto& e : examples) {
        domain::PersonDetails d;
        d.kind = domain::PersonKind::kChild;
        d.given_name = e.given;
        d.family_name = e.family;
        d.date_of_birth = e.born;
        d.sex = e.sex;
        d.address = domain::PersonAddress{e.address, e.postcode, std::nullopt, std::nullopt};
        FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "persons"));
        FD_TRY(run_person_command(
            tx, domain::Actor::system(), id, storage::kNewStream, history_start,
            [&](const domain::PersonState&) { return domain::record_person(d, now); }));
        ++summary.people;
      }
      return ok_status();
    }));
  }

  // Contacts: every working day of the last weeks, fewer at weekends (EDT).
  auto framework = app.thresholds().active();
  if (!framework.ok()) return std::move(framework).error();
  const auto& calendar = app.contacts().calendar();
  const auto first_day = std::chrono::floor<std::chrono::days>(history_start);
  const auto last_day = domain::london_date(now);
  const std::array<std::pair<std::size_t, const char*>, 6> sources{
      {{1, "6"}, {3, "2A"}, {2, "3F"}, {0, "5B"}, {6, "8"}, {5, "4"}}};
  // With an exact total, each day's share is in proportion to its weight.
  const bool exact_contacts = options.contacts > 0;
  std::vector<std::int64_t> exact_counts;
  if (exact_contacts) {
    std::int64_t total_weight = 0;
    for (auto day = first_day; day <= last_day; day += std::chrono::days{1})
      total_weight += calendar.is_working_day(day) ? 4 : 1;
    std::int64_t cumulative = 0;
    std::int64_t given = 0;
    for (auto day = first_day; day <= last_day; day += std::chrono::days{1}) {
      cumulative += calendar.is_working_day(day) ? 4 : 1;
      const std::int64_t upto = options.contacts * cumulative / total_weight;
      exact_counts.push_back(upto - given);
      given = upto;
    }
  }
  std::size_t day_index = 0;
  for (auto day = first_day; day <= last_day; day += std::chrono::days{1}, ++day_index) {
    const bool working = calendar.is_working_day(day);
    const std::int64_t count = exact_contacts ? exact_counts[day_index]
                                              : (working ? options.contacts_per_working_day
                                                         : options.contacts_per_working_day / 4);
    FD_TRY(app.db().write([&](Transaction& tx) -> Status {
      for (std::int64_t i = 0; i < count && !families.empty(); ++i) {
        Instant received = domain::from_london(
            day, std::chrono::minutes{static_cast<long>(working ? 8L * 60 + rng() % (10UL * 60)
                                                                : rng() % (24UL * 60))});
        if (received >= now) {
          if (!exact_contacts) continue;
          // Today's share still arrives, within the last few hours.
          received = now - std::chrono::minutes{static_cast<long>(1 + rng() % 180)};
        }
        const Family& fam = families[rng() % families.size()];
        const auto& [agency_index, source] = sources[rng() % sources.size()];
        const Agency& agency = created[agency_index];
        const std::size_t concern_index = rng() % kConcerns.size();
        const Concern& concern = kConcerns[concern_index];
        domain::ContactDetails d;
        d.channel = agency.kind == domain::AgencyKind::kPolice ? domain::ContactChannel::kApi
                                                               : domain::ContactChannel::kPhone;
        d.source_code = source;
        d.received_at = received;
        d.referrer = domain::Referrer{"Duty officer",
                                      "Practitioner",
                                      agency.id,
                                      agency.name,
                                      "referrals@" + agency.code + ".demo.example.org",
                                      "01632 960" + std::to_string(100 + rng() % 900)};
        d.children = fam.child_details;
        d.adults = fam.adult_details;
        for (auto& c : d.children) c.person_id.reset();
        d.address_line = fam.address;
        d.postcode = fam.postcode;
        d.concerns = concern.text;
        d.child_views =
            rng() % 3 == 0 ? "" : "The child said they feel safe at school but worry about home.";
        d.family_aware = rng() % 4 == 0 ? domain::FamilyAware::kNo : domain::FamilyAware::kYes;
        d.consent =
            rng() % 3 == 0 ? domain::ConsentStatus::kNotSought : domain::ConsentStatus::kGiven;
        FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "contacts"));
        const Instant provisional = app.contacts().deadline(received, domain::RagRating::kAmber);
        auto step = [&](const domain::Actor& actor, Instant at,
                        const ContactDecider& decide) -> Status {
          auto done = run_contact_command(tx, actor, id, storage::kAnyVersion, std::min(at, now),
                                          provisional, decide);
          if (done.ok()) return ok_status();
          return Error::internal("demo contact step failed: " + done.error().message);
        };
        FD_TRY(step(domain::Actor::system(), received, [&](const domain::ContactState&) {
          return domain::receive_contact(d, contact_reference(id), now);
        }));
        ++summary.contacts;
        const auto age = now - received;
        // The newest contacts are still waiting in the queue, at each step.
        if (age < std::chrono::hours{3} && rng() % 2 == 0) continue;
        for (std::size_t c = 0; c < fam.children.size(); ++c) {
          FD_TRY(
              step(worker, received + std::chrono::minutes{20}, [&](const domain::ContactState& s) {
                return domain::link_child(s, c, fam.children[c], false);
              }));
        }
        const auto rag = concern.level == 4 ? domain::RagRating::kRed
                                            : (concern.level == 3 ? domain::RagRating::kAmber
                                                                  : domain::RagRating::kGreen);
        FD_TRY(
            step(worker, received + std::chrono::minutes{40}, [&](const domain::ContactState& s) {
              return domain::screen_contact(
                  s, domain::ScreenCommand{rag, "Rated on what the referrer described.", {}},
                  app.contacts().deadline(received, rag));
            }));
        std::vector<WrittenCheck> checks;
        if (enquiries && age < kEnquiryWindow) {
          FD_ASSIGN_OR_RETURN(checks, enquiries->write(tx, id, fam, concern_index, rag,
                                                       received + std::chrono::minutes{40}));
          summary.checks += static_cast<std::int64_t>(checks.size());
          summary.checks_open += std::count_if(checks.begin(), checks.end(), [](const auto& c) {
            return !c.answered_at.has_value();
          });
        }
        if (age < std::chrono::hours{30} && rng() % 3 != 0) continue;
        // A contact with checks is decided when they are in, or sooner with
        // the manager's agreement; until then it waits.
        Instant decided_at = received + std::chrono::hours{2};
        domain::ChecksProgress progress;
        if (!checks.empty()) {
          const auto plan = plan_decision(checks, rag, decided_at, now, calendar, decision_rng);
          if (!plan) {
            if (age < std::chrono::hours{48}) (void)rng();  // as if decided: the same draws
            continue;
          }
          if (plan->early_at) {
            FD_TRY(step(manager, *plan->early_at, [&](const domain::ContactState& s) {
              return domain::allow_decision_before_checks_in(
                  s, plan->at_early,
                  rag == domain::RagRating::kRed
                      ? "The children need a strategy discussion today; the answers still out "
                        "will be read when they come."
                      : "The family cannot wait any longer for the late answers; the decision "
                        "will be looked at again when they come.");
            }));
          }
          decided_at = plan->decided_at;
          progress = plan->at_decision;
        }
        const auto* level = framework->level(concern.level);
        domain::DecisionCommand cmd;
        cmd.outcome = concern.likely;
        cmd.level = concern.level;
        if (level != nullptr && !level->indicators.empty())
          cmd.indicators.push_back(level->indicators.front().code);
        cmd.rationale =
            "Information from the referrer and agency records places the child at this level of "
            "need.";
        cmd.next_steps = "As set out in the case direction.";
        if (!checks.empty()) {
          cmd.rationale =
              "Information from the referrer and the partner agencies' checks places the child "
              "at this level of need.";
          cmd.relied_on_checks = progress.answered;
        }
        FD_TRY(step(worker, decided_at, [&](const domain::ContactState& s) {
          return domain::record_decision(s, cmd, *framework, progress);
        }));
        if (age < std::chrono::hours{48} && rng() % 2 == 0) continue;
        Instant signed_at = std::min(received + std::chrono::hours{3}, now);
        if (!checks.empty()) {
          signed_at = in_office_hours(decided_at + some_minutes(decision_rng, 30, 120), calendar,
                                      decision_rng);
          if (signed_at > now) continue;
        }
        FD_TRY(step(manager, signed_at, [&](const domain::ContactState& s) {
          return domain::sign_off_decision(
              s, "Agreed. Proceed as recommended and inform the referrer.", signed_at);
        }));
      }
      return ok_status();
    }));
  }
  FD_TRY(app.people().load_index());
  return summary;
}

}  // namespace frontdoor::app
