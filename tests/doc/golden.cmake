# Runs `kpmc ARGS...` and compares its standard output with a golden file:
# byte for byte, or as JSON values for a .json file.  Script mode:
#   cmake -DKPMC=<kpmc> -DARGS=list|--db|a14|--format|md -DGOLDEN=<file> -P golden.cmake
# The golden files are written from the kpep plists by reference.py, never
# from kpmc's output; the doc_reference test re-derives them.
string(REPLACE "|" ";" _args "${ARGS}")
execute_process(COMMAND "${KPMC}" ${_args}
  OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "kpmc ${_args} exited ${_rc}: ${_err}")
endif()
file(READ "${GOLDEN}" _want)
if(GOLDEN MATCHES "\\.json$")
  string(JSON _same EQUAL "${_out}" "${_want}")
else()
  string(COMPARE EQUAL "${_out}" "${_want}" _same)
endif()
if(NOT _same)
  get_filename_component(_name "${GOLDEN}" NAME)
  set(_got "${CMAKE_CURRENT_BINARY_DIR}/doc-golden-got-${_name}")
  file(WRITE "${_got}" "${_out}")
  message(FATAL_ERROR "kpmc ${_args}: output differs from ${GOLDEN}; it is in ${_got}")
endif()
message(STATUS "kpmc ${_args}: matches ${GOLDEN}")
