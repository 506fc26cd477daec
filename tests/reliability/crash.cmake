# Battery 1, crash (docs/RELIABILITY.md): clients write through the JSON API
# while `frontdoor serve` is killed with SIGKILL at random moments (and, on
# PostgreSQL, every other cycle the database is stopped with
# `pg_ctl stop -m immediate` and restarted under the running server); then
# every acknowledged write must be in the store, complete, exactly once.
#   ctest -L crash --output-on-failure
# More cycles (the nightly run, scripts/nightly.sh): FRONTDOOR_CRASH_CYCLES=N
# in the environment, or build/<preset>/tests/reliability/crash_battery with
# --cycles N (its options are listed at the top of crash_battery.cpp).
add_executable(crash_battery
  ${CMAKE_CURRENT_SOURCE_DIR}/crash_battery.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crash_check.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crash_process.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crash_selftest.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/crash_workload.cpp
  # ServedFrontdoor: a `frontdoor serve` process (shared with the disk-full battery).
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_server.cpp)
target_link_libraries(crash_battery PRIVATE fd_storage)
# storage/postgres_test_schema.hpp: a schema of its own in the test cluster.
target_include_directories(crash_battery PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                           ${CMAKE_CURRENT_SOURCE_DIR}/..)
add_dependencies(crash_battery frontdoor)

add_test(NAME reliability.crash.sqlite
         COMMAND crash_battery --frontdoor $<TARGET_FILE:frontdoor> --engine sqlite)
add_test(NAME reliability.crash.postgres
         COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/with-postgres.sh
                 $<TARGET_FILE:crash_battery> --frontdoor $<TARGET_FILE:frontdoor> --engine postgres)
set_tests_properties(reliability.crash.sqlite reliability.crash.postgres PROPERTIES
                     LABELS "reliability;crash;slow" TIMEOUT 900)
# The checker's own test: a short run, then faults planted in the store and
# in the record of answers, each of which the checker must report.
add_test(NAME reliability.crash.checker
         COMMAND crash_battery --frontdoor $<TARGET_FILE:frontdoor> --engine sqlite --cycles 6
                 --self-test)
set_tests_properties(reliability.crash.checker PROPERTIES LABELS "reliability;crash" TIMEOUT 300)
