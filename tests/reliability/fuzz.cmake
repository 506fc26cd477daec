# Battery 5, hostile input, the fuzzing half: the libFuzzer targets live in
# tests/fuzz. scripts/test.sh builds them with clang (cmake --preset fuzz) and
# fuzzes each for a bounded time; here, in the ordinary build, each target
# replays its corpus once as a CTest test (fuzz.replay.<name>).
if(NOT FRONTDOOR_FUZZ)
  add_subdirectory(${CMAKE_SOURCE_DIR}/tests/fuzz ${CMAKE_BINARY_DIR}/tests/fuzz)
endif()
