# Warning and sanitizer flags applied to every kpmc target through kpmc_target_flags().
# (-Wstrict-prototypes and -Wmissing-prototypes are C's: the C++ tests and
# examples get the others.)
set(KPMC_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes>
    $<$<COMPILE_LANGUAGE:C>:-Wmissing-prototypes> -Wformat=2 -Wundef -Wcast-align -Wwrite-strings)
if(KPMC_WERROR)
  list(APPEND KPMC_WARNING_FLAGS -Werror)
endif()
if(KPMC_SANITIZE)
  add_compile_options(-fsanitize=${KPMC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KPMC_SANITIZE})
endif()

function(kpmc_target_flags target)
  target_compile_options(${target} PRIVATE ${KPMC_WARNING_FLAGS})
endfunction()
