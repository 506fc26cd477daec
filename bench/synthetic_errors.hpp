#pragma once
// The errors the benchmarks put into synthetic people's names, as a referrer
// on the phone or a busy typist would (bench/make_council.cpp,
// bench/person_scale_bench.cpp).
#include <random>
#include <string>
#include <utility>

namespace frontdoor::bench {

// One keyboard slip, never in the first letter: swap two neighbouring
// letters, drop one, or double one. A word of fewer than four letters gets
// its last letter doubled.
inline std::string typo(std::string word, std::mt19937_64& rng) {
  if (word.size() < 4) return word + word.back();
  const std::size_t i = 1 + rng() % (word.size() - 2);
  switch (rng() % 3) {
    case 0:
      std::swap(word[i], word[i + 1]);
      break;
    case 1:
      word.erase(i, 1);
      break;
    default:
      word.insert(i, 1, word[i]);
      break;
  }
  return word;
}

}  // namespace frontdoor::bench
