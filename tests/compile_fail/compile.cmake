# Compile one file and check the outcome; run with cmake -P:
#   -DCC=compiler -DFLAGS=a|b -DSRC=file.c -DOBJ=out.o -DEXPECT=ok|fail [-DMENTIONS=regex]
# EXPECT=fail passes only if the compiler refuses the file with a message
# matching MENTIONS; EXPECT=ok only if it compiles.  FLAGS are separated by
# '|' (a ';' would split the test's command line).
string(REPLACE "|" ";" FLAGS "${FLAGS}")
execute_process(COMMAND ${CC} ${FLAGS} -c "${SRC}" -o "${OBJ}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(EXPECT STREQUAL "ok")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SRC} does not compile:\n${all}")
  endif()
elseif(EXPECT STREQUAL "fail")
  if(rc EQUAL 0)
    message(FATAL_ERROR "${SRC} compiled, but it must not")
  endif()
  if(NOT all MATCHES "${MENTIONS}")
    message(FATAL_ERROR "${SRC} failed to compile, but the message does not match '${MENTIONS}':\n${all}")
  endif()
  message(STATUS "refused as it must be:\n${all}")
else()
  message(FATAL_ERROR "EXPECT must be ok or fail")
endif()
