# Bad input to kpmc doc, diff, list and info: the exit status, a message that
# names what is at fault, and no half-written or stray file.  Script mode:
#   cmake -DKPMC=<kpmc> -DWORK=<folder> [-DNOT_MAC=1] -P errors.cmake
set(_failures 0)

# Runs kpmc with the |-separated ARGS; checks the exit status and that
# standard error (or output) matches a regular expression.
function(expect args want_rc stream regex)
  string(REPLACE "|" ";" _args "${args}")
  execute_process(COMMAND "${KPMC}" ${_args}
    OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
  if(stream STREQUAL "out")
    set(_text "${_out}")
  else()
    set(_text "${_err}")
  endif()
  if(NOT _rc EQUAL want_rc OR NOT _text MATCHES "${regex}")
    message(SEND_ERROR "kpmc ${_args}: exit ${_rc} (want ${want_rc}); std${stream} does not match '${regex}':\n${_out}${_err}")
    math(EXPR _n "${_failures} + 1")
    set(_failures ${_n} PARENT_SCOPE)
  else()
    message(STATUS "ok: kpmc ${_args} -> ${_rc}")
  endif()
endfunction()

set(_site "${WORK}/doc-errors")
file(REMOVE_RECURSE "${_site}")

expect("doc" 2 err "--out DIR")
expect("doc|--out" 2 err "--out needs a value")
expect("doc|--bogus" 2 err "unknown option '--bogus'; valid: --out VALUE --help")
expect("diff|a14" 2 err "give two databases")
expect("diff|a14|nosuch" 2 err "unknown database 'nosuch'")
expect("diff|a14|a15|a16" 2 err "too many arguments")
expect("diff|a14|a15|--format|xml" 2 err "unknown format 'xml'")
expect("list|--db|nosuch|--format|md" 2 err "unknown database 'nosuch'")
expect("list|--format|tsv" 2 err "unknown format 'tsv'")
expect("info|--bogus" 2 err "unknown option '--bogus'; valid: --help")
if(NOT_MAC)
  expect("info" 3 out "not a Mac.*DATABASE +ARCH +EVENTS")
endif()

# --out names a file, not a folder.
file(MAKE_DIRECTORY "${_site}")
file(WRITE "${_site}/plain" "x")
expect("doc|--out|${_site}/plain" 1 err "${_site}/plain: (exists and is not a folder|cannot create folder)")

# A page that cannot be put in place (a folder holds its name): the message
# names it, no temporary file is left, and pages written before stay whole.
file(MAKE_DIRECTORY "${_site}/out/index.html")
file(WRITE "${_site}/out/a14.html" "old page\n")
expect("doc|--out|${_site}/out" 1 err "${_site}/out/index.html: cannot write")
file(GLOB _stray "${_site}/out/.*")
if(_stray)
  message(SEND_ERROR "temporary files left behind: ${_stray}")
  math(EXPR _failures "${_failures} + 1")
endif()
file(READ "${_site}/out/a14.html" _old)
if(NOT _old STREQUAL "old page\n")
  message(SEND_ERROR "a14.html changed although kpmc doc stopped before it")
  math(EXPR _failures "${_failures} + 1")
endif()
file(READ "${_site}/out/kpmc.css" _css)
if(NOT _css MATCHES "print-color-adjust")
  message(SEND_ERROR "kpmc.css, written before the failure, is not complete")
  math(EXPR _failures "${_failures} + 1")
endif()

# Success leaves no temporary file either.
file(REMOVE_RECURSE "${_site}/out/index.html")
expect("doc|--out|${_site}/out" 0 out "wrote [0-9]+ files")
file(GLOB _stray "${_site}/out/.*")
if(_stray)
  message(SEND_ERROR "temporary files left behind: ${_stray}")
  math(EXPR _failures "${_failures} + 1")
endif()

if(_failures GREATER 0)
  message(FATAL_ERROR "${_failures} checks failed")
endif()
