// GENERATED FILE: do not edit by hand.
// Made by scripts/gen-bank-holidays.py from
// resources/bank-holidays-england-and-wales.json (the gov.uk bank holidays feed,
// Open Government Licence v3.0), England and Wales division. To update: replace
// the JSON, run `python3 scripts/gen-bank-holidays.py` and commit both files.
// tests/domain/bank_holidays_test.cpp fails if this list and the JSON differ.
#include "domain/bank_holidays.hpp"

namespace frontdoor::domain {
namespace {

constexpr BankHoliday holiday(int y, unsigned m, unsigned d, std::string_view title) {
  return BankHoliday{
      std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}},
      title};
}

constexpr BankHoliday kEnglandAndWales[] = {
    holiday(2019, 1, 1, "New Year’s Day"),
    holiday(2019, 4, 19, "Good Friday"),
    holiday(2019, 4, 22, "Easter Monday"),
    holiday(2019, 5, 6, "Early May bank holiday"),
    holiday(2019, 5, 27, "Spring bank holiday"),
    holiday(2019, 8, 26, "Summer bank holiday"),
    holiday(2019, 12, 25, "Christmas Day"),
    holiday(2019, 12, 26, "Boxing Day"),
    holiday(2020, 1, 1, "New Year’s Day"),
    holiday(2020, 4, 10, "Good Friday"),
    holiday(2020, 4, 13, "Easter Monday"),
    holiday(2020, 5, 8, "Early May bank holiday (VE day)"),
    holiday(2020, 5, 25, "Spring bank holiday"),
    holiday(2020, 8, 31, "Summer bank holiday"),
    holiday(2020, 12, 25, "Christmas Day"),
    holiday(2020, 12, 28, "Boxing Day (substitute day)"),
    holiday(2021, 1, 1, "New Year’s Day"),
    holiday(2021, 4, 2, "Good Friday"),
    holiday(2021, 4, 5, "Easter Monday"),
    holiday(2021, 5, 3, "Early May bank holiday"),
    holiday(2021, 5, 31, "Spring bank holiday"),
    holiday(2021, 8, 30, "Summer bank holiday"),
    holiday(2021, 12, 27, "Christmas Day (substitute day)"),
    holiday(2021, 12, 28, "Boxing Day (substitute day)"),
    holiday(2022, 1, 3, "New Year’s Day (substitute day)"),
    holiday(2022, 4, 15, "Good Friday"),
    holiday(2022, 4, 18, "Easter Monday"),
    holiday(2022, 5, 2, "Early May bank holiday"),
    holiday(2022, 6, 2, "Spring bank holiday"),
    holiday(2022, 6, 3, "Platinum Jubilee bank holiday"),
    holiday(2022, 8, 29, "Summer bank holiday"),
    holiday(2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    holiday(2022, 12, 26, "Boxing Day"),
    holiday(2022, 12, 27, "Christmas Day (substitute day)"),
    holiday(2023, 1, 2, "New Year’s Day (substitute day)"),
    holiday(2023, 4, 7, "Good Friday"),
    holiday(2023, 4, 10, "Easter Monday"),
    holiday(2023, 5, 1, "Early May bank holiday"),
    holiday(2023, 5, 8, "Bank holiday for the coronation of King Charles III"),
    holiday(2023, 5, 29, "Spring bank holiday"),
    holiday(2023, 8, 28, "Summer bank holiday"),
    holiday(2023, 12, 25, "Christmas Day"),
    holiday(2023, 12, 26, "Boxing Day"),
    holiday(2024, 1, 1, "New Year’s Day"),
    holiday(2024, 3, 29, "Good Friday"),
    holiday(2024, 4, 1, "Easter Monday"),
    holiday(2024, 5, 6, "Early May bank holiday"),
    holiday(2024, 5, 27, "Spring bank holiday"),
    holiday(2024, 8, 26, "Summer bank holiday"),
    holiday(2024, 12, 25, "Christmas Day"),
    holiday(2024, 12, 26, "Boxing Day"),
    holiday(2025, 1, 1, "New Year’s Day"),
    holiday(2025, 4, 18, "Good Friday"),
    holiday(2025, 4, 21, "Easter Monday"),
    holiday(2025, 5, 5, "Early May bank holiday"),
    holiday(2025, 5, 26, "Spring bank holiday"),
    holiday(2025, 8, 25, "Summer bank holiday"),
    holiday(2025, 12, 25, "Christmas Day"),
    holiday(2025, 12, 26, "Boxing Day"),
    holiday(2026, 1, 1, "New Year’s Day"),
    holiday(2026, 4, 3, "Good Friday"),
    holiday(2026, 4, 6, "Easter Monday"),
    holiday(2026, 5, 4, "Early May bank holiday"),
    holiday(2026, 5, 25, "Spring bank holiday"),
    holiday(2026, 8, 31, "Summer bank holiday"),
    holiday(2026, 12, 25, "Christmas Day"),
    holiday(2026, 12, 28, "Boxing Day (substitute day)"),
    holiday(2027, 1, 1, "New Year’s Day"),
    holiday(2027, 3, 26, "Good Friday"),
    holiday(2027, 3, 29, "Easter Monday"),
    holiday(2027, 5, 3, "Early May bank holiday"),
    holiday(2027, 5, 31, "Spring bank holiday"),
    holiday(2027, 8, 30, "Summer bank holiday"),
    holiday(2027, 12, 27, "Christmas Day (substitute day)"),
    holiday(2027, 12, 28, "Boxing Day (substitute day)"),
};

}  // namespace

std::span<const BankHoliday> embedded_england_and_wales_bank_holidays() {
  return kEnglandAndWales;
}

}  // namespace frontdoor::domain
