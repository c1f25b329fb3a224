# bench_gen: kpmc-gen versus libxml2 alone (built with kpmc-gen, whose
# gen/CMakeLists.txt makes LibXml2::LibXml2 visible everywhere).
#   build/bench/bench_gen build/gen/kpmc-gen catalog/kpep
if(TARGET kpmc-gen)
  add_executable(bench_gen bench_gen.c)
  kpmc_target_flags(bench_gen)
  target_link_libraries(bench_gen PRIVATE LibXml2::LibXml2)
endif()
