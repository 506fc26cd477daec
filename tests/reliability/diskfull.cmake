# Battery 2 of docs/RELIABILITY.md: disk full and I/O errors, against a real
# `frontdoor serve` (diskfull_battery.cpp and diskfull_ioerror.cpp say how).
#   ctest -L diskfull --output-on-failure     (mounts a tmpfs: run as root; SQLite and PostgreSQL)
#   ctest -L ioerror --output-on-failure      (needs fiu-utils: fiu-run, fiu-ctrl)
# They write their summaries to $FRONTDOOR_BATTERY_SUMMARY_DIR/{diskfull,diskfull-postgres,ioerror}.txt.
add_executable(diskfull_battery
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_battery.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_disk.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_ioerror.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_load.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_server.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/diskfull_site.cpp)
target_link_libraries(diskfull_battery PRIVATE fd_app)
target_include_directories(diskfull_battery PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/tests/app)
# The battery starts the binary it tests.
add_dependencies(diskfull_battery frontdoor)

add_test(NAME reliability.diskfull
         COMMAND diskfull_battery diskfull --frontdoor $<TARGET_FILE:frontdoor>)
set_tests_properties(reliability.diskfull PROPERTIES
  LABELS "reliability;diskfull;slow" TIMEOUT 180)
# The same with PostgreSQL: with-postgres.sh puts its cluster on the battery's
# small file system (its TMPDIR) and runs the battery inside it.
add_test(NAME reliability.diskfull.postgres
         COMMAND diskfull_battery diskfull-postgres --frontdoor $<TARGET_FILE:frontdoor>
                 --with-postgres ${CMAKE_SOURCE_DIR}/scripts/with-postgres.sh)
set_tests_properties(reliability.diskfull.postgres PROPERTIES
  LABELS "reliability;diskfull;slow" TIMEOUT 240)

find_program(FRONTDOOR_FIU_RUN fiu-run)
find_program(FRONTDOOR_FIU_CTRL fiu-ctrl)
if(FRONTDOOR_FIU_RUN AND FRONTDOOR_FIU_CTRL)
  add_test(NAME reliability.ioerror
           COMMAND diskfull_battery ioerror --frontdoor $<TARGET_FILE:frontdoor>)
else()
  # Registered all the same, failing with what is missing, never skipped.
  add_test(NAME reliability.ioerror
           COMMAND ${CMAKE_COMMAND} -E echo
                   "reliability.ioerror cannot run: fiu-run and fiu-ctrl are missing (apt-get install fiu-utils, or scripts/setup.sh)")
  set_tests_properties(reliability.ioerror PROPERTIES WILL_FAIL TRUE)
endif()
set_tests_properties(reliability.ioerror PROPERTIES
  LABELS "reliability;ioerror;slow" TIMEOUT 180)
