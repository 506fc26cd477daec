#include "app/demo.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <random>

#include "app/records.hpp"
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
  if (options.create_users) {
    struct UserSpec {
      const char* username;
      const char* name;
      domain::Role role;
      const char* agency;
    };
    const std::array<UserSpec, 12> users{{
        {"sam.worker", "Sam Okafor", domain::Role::kMashSocialWorker, "council"},
        {"maya.manager", "Maya Lindqvist", domain::Role::kMashTeamManager, "council"},
        {"pc.jones", "PC Rhys Jones", domain::Role::kPartnerReferrer, "police"},
        {"sgt.patel", "Sergeant Nisha Patel", domain::Role::kPartnerSupervisor, "police"},
        {"hana.health", "Hana Novak", domain::Role::kPartnerPractitioner, "health"},
        // The police and education practitioners in the MASH, who answer checks.
        {"dc.mash", "DC Owen Price", domain::Role::kPartnerPractitioner, "police"},
        {"liz.education", "Liz Adeyemi", domain::Role::kPartnerPractitioner, "education"},
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
      summary.logins.push_back(
          {u.username, std::string(domain::role_label(u.role)), user.agency.name});
    }
  }

  std::mt19937_64 rng(options.seed);
  const Instant now = app.clock().now();
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
        const Concern& concern = kConcerns[rng() % kConcerns.size()];
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
          return run_contact_command(tx, actor, id, storage::kAnyVersion, std::min(at, now),
                                     provisional, decide)
                         .ok()
                     ? ok_status()
                     : Status{Error::internal("demo contact step failed")};
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
        if (age < std::chrono::hours{30} && rng() % 3 != 0) continue;
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
        FD_TRY(step(worker, received + std::chrono::hours{2}, [&](const domain::ContactState& s) {
          return domain::record_decision(s, cmd, *framework);
        }));
        if (age < std::chrono::hours{48} && rng() % 2 == 0) continue;
        FD_TRY(step(manager, received + std::chrono::hours{3}, [&](const domain::ContactState& s) {
          return domain::sign_off_decision(
              s, "Agreed. Proceed as recommended and inform the referrer.",
              std::min(received + std::chrono::hours{3}, now));
        }));
      }
      return ok_status();
    }));
  }
  FD_TRY(app.people().load_index());
  return summary;
}

}  // namespace frontdoor::app
