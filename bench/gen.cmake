# bench_gen: kpmc-gen versus libxml2 alone (needs libxml2 and kpmc-gen).
#   build/bench/bench_gen build/gen/kpmc-gen catalog/kpep
find_package(LibXml2 QUIET)
if(TARGET kpmc-gen AND LibXml2_FOUND)
  add_executable(bench_gen bench_gen.c)
  kpmc_target_flags(bench_gen)
  target_link_libraries(bench_gen PRIVATE LibXml2::LibXml2)
endif()
