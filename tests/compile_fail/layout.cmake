# catalog_data.c against a catalog_format.h whose event row has two fields
# swapped (number and other, both uint16_t: same size, other order) must
# not compile: the catalog asserts the field order it was printed in.
# Run with cmake -P:
#   -DCC=compiler -DFLAGS=a|b -DFORMAT=catalog_format.h -DDATA=catalog_data.c -DWORK=folder
file(READ "${FORMAT}" text)
set(number "    uint16_t number;        /* selector */\n")
set(other "    uint16_t other;         /* Intel PERFEVTSEL bits 16-31 */\n")
string(FIND "${text}" "${number}${other}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FORMAT}: struct kpmc_cat_event no longer has number then other; update this test")
endif()
string(REPLACE "${number}${other}" "${other}${number}" text "${text}")
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/catalog_format.h" "${text}")
get_filename_component(internal "${FORMAT}" DIRECTORY)
set(FLAGS "-I${WORK}|-I${internal}|${FLAGS}")
set(SRC "${DATA}")
set(OBJ "${WORK}/catalog_data.o")
set(EXPECT fail)
set(MENTIONS "kpmc_cat_event: number is not where")
include("${CMAKE_CURRENT_LIST_DIR}/compile.cmake")
