# install_consumer: the installed package works for a user's project
# (tests/install/consumer.sh).  A sanitized build installs instrumented
# libraries, so the consumer is then built with the same -fsanitize flags.
if(CMAKE_CROSSCOMPILING)
  return()
endif()
set(_kpmc_consumer_flags "")
if(KPMC_SANITIZE)
  set(_kpmc_consumer_flags "-fsanitize=${KPMC_SANITIZE}")
endif()
add_test(NAME install_consumer
  COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/install/consumer.sh" "${CMAKE_BINARY_DIR}" "${CMAKE_SOURCE_DIR}"
          "${CMAKE_CURRENT_BINARY_DIR}/install-consumer" "${CMAKE_C_COMPILER}" "${_kpmc_consumer_flags}")
set_tests_properties(install_consumer PROPERTIES LABELS install)
