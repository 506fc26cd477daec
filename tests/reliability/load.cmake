# Battery 6, load (docs/RELIABILITY.md): wrk against `frontdoor serve` on a
# seeded council, reads and durable writes together at 32 connections for
# 60 s (no 5xx, no socket errors, reads p99 < 100 ms, writes p99 < 250 ms),
# then 128 connections (the server sheds with 503 + Retry-After, /healthz keeps
# answering) and recovery. load.sh says how.
#   ctest -L load --output-on-failure
# FRONTDOOR_LOAD_FRONTDOOR=BIN and FRONTDOOR_LOAD_MAKE_COUNCIL=BIN in the
# environment run it with other builds (scripts/test.sh: the Release build;
# this build's own have ASan and UBSan, and miss the latency targets);
# FD_LOAD_SECONDS and FD_LOAD_OVERLOAD_SECONDS shorten or lengthen the runs.
if(FRONTDOOR_BENCH)
  foreach(engine sqlite postgres)
    set(fd_load_command bash ${CMAKE_CURRENT_SOURCE_DIR}/load.sh --engine ${engine}
        --frontdoor $<TARGET_FILE:frontdoor> --make-council $<TARGET_FILE:make_council>
        --work ${CMAKE_CURRENT_BINARY_DIR}/load-${engine})
    if(engine STREQUAL "postgres")
      list(PREPEND fd_load_command bash ${CMAKE_SOURCE_DIR}/scripts/with-postgres.sh)
    endif()
    add_test(NAME reliability.load.${engine} COMMAND ${fd_load_command})
    # Alone on the machine: its percentiles are the point.
    set_tests_properties(reliability.load.${engine} PROPERTIES
      LABELS "reliability;load;slow" TIMEOUT 400 RUN_SERIAL TRUE)
  endforeach()
else()
  # The battery seeds its council with bench/make_council.
  add_test(NAME reliability.load
           COMMAND ${CMAKE_COMMAND} -E echo "reliability.load needs -DFRONTDOOR_BENCH=ON (make_council)")
  set_tests_properties(reliability.load PROPERTIES WILL_FAIL TRUE LABELS "reliability;load")
endif()
