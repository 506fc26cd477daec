# Battery 7 of docs/RELIABILITY.md, audit tampering: editing, deleting,
# reordering or truncating the event and audit logs in a store, re-hashing
# them, or putting back an older copy of the database, each must be caught
# by `frontdoor verify` with the first break named; and `frontdoor backup`
# while a server writes, `frontdoor restore`, compared record by record
# (tamper_battery.cpp says how).
#   ctest -L tamper --output-on-failure
# Writes its summary to $FRONTDOOR_BATTERY_SUMMARY_DIR/tamper.txt.
add_executable(tamper_battery
  ${CMAKE_CURRENT_SOURCE_DIR}/tamper_battery.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tamper_backup.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tamper_support.cpp)
target_link_libraries(tamper_battery PRIVATE fd_storage Boost::headers)
# http_test_client.hpp: the blocking HTTP client of the application tests;
# storage/postgres_test_schema.hpp: a schema of its own in the test cluster.
target_include_directories(tamper_battery PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/tests/app ${CMAKE_SOURCE_DIR}/tests)
# The battery runs the binary it tests.
add_dependencies(tamper_battery frontdoor)

add_test(NAME reliability.tamper.sqlite
         COMMAND tamper_battery --frontdoor $<TARGET_FILE:frontdoor> --engine sqlite)
# The same tamperings through `frontdoor verify` with database_url, on a
# throwaway cluster; backup and restore must refuse and point to pg_dump.
add_test(NAME reliability.tamper.postgres
         COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/with-postgres.sh
                 $<TARGET_FILE:tamper_battery> --frontdoor $<TARGET_FILE:frontdoor>
                 --engine postgres)
set_tests_properties(reliability.tamper.sqlite reliability.tamper.postgres PROPERTIES
  LABELS "reliability;tamper;slow" TIMEOUT 300)
