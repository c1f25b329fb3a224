# kpmc-gen tests (need the kpmc-gen target, i.e. libxml2, and most need
# python3).  Fixtures: tests/data/gen/ (written by us; see the list below and
# tests/data/gen/ok/ and the tables of tests/data/gen/tables/), the golden
# output: tests/data/golden/.  When the generator's output changes on
# purpose, regenerate the golden files with
#   kpmc-gen --out tests/data/golden --generic tests/data/gen/tables/generic.tsv \
#            --chips tests/data/gen/tables/chips.tsv tests/data/gen/ok
# and let gen_golden_check verify them.
if(NOT TARGET kpmc-gen)
  return()
endif()

set(_gen_data "${KPMC_TEST_DATA}/gen")
set(_gen_golden "${KPMC_TEST_DATA}/golden")
set(_gen_work "${CMAKE_CURRENT_BINARY_DIR}/gen_work")

# The kpep snapshot (catalog/kpep) must give the committed catalog byte for
# byte, in any input order.
add_test(NAME gen_kpep_snapshot
  COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_snapshot.sh" $<TARGET_FILE:kpmc-gen>
          "${KPMC_KPEP_SNAPSHOT}" "${CMAKE_SOURCE_DIR}/catalog" "${_gen_work}/snapshot")
# Label threads: kpmc-gen hashes on a second thread, so tsan_sessions runs
# this too (tests/build.cmake).
set_tests_properties(gen_kpep_snapshot PROPERTIES LABELS "gen;threads")

# The fixture template itself is valid: every failure below is its edit.
add_test(NAME gen_template_ok
  COMMAND kpmc-gen --out "${_gen_work}/template" "${_gen_data}/template.plist")
set_tests_properties(gen_template_ok PROPERTIES LABELS gen FAIL_REGULAR_EXPRESSION "error|warning|Sanitizer")

# gen/plist.c from the inside: kind_of() on exact-size names (under ASan, a
# read past a name's NUL fails), one-letter elements.
add_executable(test_gen_plist test_gen_plist.c "${CMAKE_SOURCE_DIR}/gen/util.c")
kpmc_target_flags(test_gen_plist)
target_include_directories(test_gen_plist PRIVATE "${CMAKE_SOURCE_DIR}/gen" "${CMAKE_SOURCE_DIR}/internal")
target_link_libraries(test_gen_plist PRIVATE LibXml2::LibXml2)
add_test(NAME gen_plist_unit COMMAND test_gen_plist)
set_tests_properties(gen_plist_unit PROPERTIES LABELS gen)

# gen/plist.c against libxml2 2.12 or later (const xmlError *,
# xmlNewSAXParserCtxt, nothing deprecated): compiled against the newer
# headers of an npm package, with this build's compiler and the other one.
add_test(NAME gen_libxml2_new_api
  COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_libxml2_api.sh" "${CMAKE_SOURCE_DIR}"
          "${CMAKE_SOURCE_DIR}/node_modules/@img/sharp-libvips-dev/include/libxml2"
          "${CMAKE_C_COMPILER}" gcc clang)
set_tests_properties(gen_libxml2_new_api PROPERTIES LABELS gen SKIP_RETURN_CODE 77)
# kpmc-gen's sources compiled (not linked) for both macOS architectures with
# zig cc against the same headers: macOS hides some POSIX 2008 names, and an
# arm64 Mac builds kpmc-gen natively.
add_test(NAME gen_macos_compile
  COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_macos.sh" "${CMAKE_SOURCE_DIR}" "${KPMC_ZIG}"
          "${CMAKE_SOURCE_DIR}/node_modules/@img/sharp-libvips-dev/include/libxml2" "${_gen_work}/macos")
set_tests_properties(gen_macos_compile PROPERTIES LABELS gen SKIP_RETURN_CODE 77 TIMEOUT 600)

if(NOT Python3_Interpreter_FOUND)
  message(STATUS "kpmc: python3 not found; most kpmc-gen tests are not run")
  return()
endif()

foreach(mode golden variants output)
  add_test(NAME gen_golden_${mode}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_golden.py" ${mode}
            --gen $<TARGET_FILE:kpmc-gen> --data "${_gen_data}" --golden "${_gen_golden}"
            --work "${_gen_work}/golden_${mode}")
  set_tests_properties(gen_golden_${mode} PROPERTIES LABELS gen)
endforeach()

# The golden output and the committed catalog, read back by a second route
# (plistlib and a C lexer) and compared with their plists.
add_test(NAME gen_golden_check
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_golden_check.py"
          --plists "${_gen_data}/ok" --catalog "${_gen_golden}" --format "${CMAKE_SOURCE_DIR}/internal/catalog_format.h"
          --generic "${_gen_data}/tables/generic.tsv" --chips "${_gen_data}/tables/chips.tsv")
add_test(NAME catalog_check_kpep_snapshot
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_golden_check.py"
          --plists "${KPMC_KPEP_SNAPSHOT}" --catalog "${CMAKE_SOURCE_DIR}/catalog"
          --format "${CMAKE_SOURCE_DIR}/internal/catalog_format.h"
          --generic "${KPMC_GENERIC_TABLE}" --chips "${KPMC_CHIP_TABLE}")
set_tests_properties(gen_golden_check catalog_check_kpep_snapshot PROPERTIES LABELS gen)

# kpmc_gen_fail(NAME WHERE MESSAGE [RC n] [ERRORS n] [COPY src=dest...]
#               [SYMLINK dest=target...] [FIFO dest...] [SPARSE dest=bytes...]
#               [ALONE] INPUTS input...)
# kpmc-gen, run in tests/data/gen on INPUTS, must exit RC (1), print ERRORS
# (1) error lines, one "WHERE: error: ...MESSAGE..." (ALONE: and no other
# line), and leave its output
# folder as it was (see test_gen_fail.py).
function(kpmc_gen_fail name where message)
  cmake_parse_arguments(F "ALONE" "RC;ERRORS" "COPY;SYMLINK;FIFO;SPARSE;INPUTS" ${ARGN})
  set(opts "")
  if(F_ALONE)
    list(APPEND opts --alone)
  endif()
  if(DEFINED F_RC)
    list(APPEND opts --rc ${F_RC})
  endif()
  if(DEFINED F_ERRORS)
    list(APPEND opts --errors ${F_ERRORS})
  endif()
  foreach(c IN LISTS F_COPY)
    list(APPEND opts "--copy=${c}")
  endforeach()
  foreach(s IN LISTS F_SYMLINK)
    list(APPEND opts "--symlink=${s}")
  endforeach()
  foreach(s IN LISTS F_FIFO)
    list(APPEND opts "--fifo=${s}")
  endforeach()
  foreach(s IN LISTS F_SPARSE)
    list(APPEND opts "--sparse=${s}")
  endforeach()
  add_test(NAME gen_fail_${name}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_fail.py"
            --gen $<TARGET_FILE:kpmc-gen> --data "${_gen_data}" --work "${_gen_work}/fail_${name}"
            --golden "${_gen_golden}" "--where=${where}" "--message=${message}" ${opts} -- ${F_INPUTS})
  set_tests_properties(gen_fail_${name} PROPERTIES LABELS gen TIMEOUT 120)
endfunction()

# kpmc_gen_bad(NAME LINE MESSAGE): bad/NAME.plist fails at LINE ("" = no line).
function(kpmc_gen_bad name line message)
  set(where "bad/${name}.plist")
  if(NOT line STREQUAL "")
    set(where "${where}:${line}")
  endif()
  kpmc_gen_fail(${name} "${where}" "${message}" INPUTS "bad/${name}.plist")
endfunction()

# Lines are counted by hand in each fixture (tests/data/gen/template.plist
# with one thing wrong): the line of the offending value, of the key naming
# a dict that lacks a required key, of the second of two duplicates.
# version
kpmc_gen_bad(version_2_0 7 "unsupported version 2.0")
kpmc_gen_bad(version_empty 7 "'version' must have 1 or 2 integers, not 0")
kpmc_gen_bad(version_three 7 "'version' must have 1 or 2 integers, not 3")
kpmc_gen_bad(version_string 7 "'version' must be <array>, not <string>")
kpmc_gen_bad(version_component_string 7 "must be <integer>, not <string>")
kpmc_gen_bad(version_component_too_big 7 "70000 is out of range")
# missing required keys
kpmc_gen_bad(missing_name 3 "has no 'name'")
kpmc_gen_bad(missing_version 3 "has no 'version'")
kpmc_gen_bad(missing_system 3 "has no 'system'")
kpmc_gen_bad(missing_cpu 8 "'system' has no 'cpu'")
kpmc_gen_bad(missing_marketing_name 10 "system.cpu has no 'marketing_name'")
kpmc_gen_bad(missing_architecture 10 "system.cpu has no 'architecture'")
kpmc_gen_bad(missing_fixed_counters 10 "system.cpu has no 'fixed_counters'")
kpmc_gen_bad(missing_config_counters 10 "system.cpu has no 'config_counters'")
kpmc_gen_bad(missing_events 10 "system.cpu has no 'events'")
kpmc_gen_bad(empty_events 25 "'events' is empty")
kpmc_gen_bad(event_no_number 34 "INST_ALL has neither 'number' nor 'fixed_counter'")
# mistyped keys
kpmc_gen_bad(name_integer 5 "'name' must be <string>, not <integer>")
kpmc_gen_bad(number_string 37 "'number' must be <integer>, not <string>")
kpmc_gen_bad(fixed_counters_string 17 "'fixed_counters' must be <integer>, not <string>")
kpmc_gen_bad(internal_string 7 "'internal' must be <true/> or <false/>")
kpmc_gen_bad(events_array 26 "'events' must be <dict>, not <array>")
kpmc_gen_bad(system_cpu_string 11 "'cpu' must be <dict>, not <string>")
kpmc_gen_bad(system_integer 9 "'system' must be <dict>, not <integer>")
kpmc_gen_bad(top_array 3 "the top level must be <dict>")
kpmc_gen_bad(integer_garbage 37 "'12abc' is not an integer")
kpmc_gen_bad(integer_empty 37 "'' is not an integer")
kpmc_gen_bad(integer_real 37 "'number' must be <integer>, not <real>")
kpmc_gen_bad(integer_huge 37 "'99999999999999999999999' is out of range")
kpmc_gen_bad(alias_target_integer 23 "'Cycles' must be <string>, not <integer>")
kpmc_gen_bad(description_dict 39 "'description' must be <string>, not <dict>")
kpmc_gen_bad(unknown_element 37 "'number' must be <integer>, not <number>")
kpmc_gen_bad(fallback_integer 39 "'fallback' must be <string>, not <integer>")
kpmc_gen_bad(event_not_dict 39 "'NOT_A_DICT' must be <dict>, not <integer>")
# numbers out of range (selectors are 16-bit, umask 8-bit, counters 0-15)
kpmc_gen_bad(number_too_big 37 "number 65536 is out of range (0..65535)")
kpmc_gen_bad(number_hex_too_big 37 "number 65536 is out of range (0..65535)")
kpmc_gen_bad(number_negative 37 "number -1 is out of range")
kpmc_gen_bad(umask_too_big 39 "umask 256 is out of range (0..255)")
kpmc_gen_bad(umask_negative 39 "umask -5 is out of range")
kpmc_gen_bad(other_too_big 39 "other 65536 is out of range (0..65535)")
kpmc_gen_bad(fixed_counter_too_big 30 "fixed_counter 16 is out of range (0..15)")
kpmc_gen_bad(fixed_counters_too_big 17 "fixed_counters 65536 is out of range")
kpmc_gen_bad(config_counters_zero 19 "config_counters 0 is out of range")
kpmc_gen_bad(counters_mask_zero 32 "counters_mask 0 is out of range")
kpmc_gen_bad(counters_mask_too_big 32 "counters_mask 65536 is out of range")
# counters outside the database's
kpmc_gen_bad(counters_mask_outside 39 "counters_mask 0x100 names counters the database does not have")
kpmc_gen_bad(counters_mask_fixed_only 34 "counters_mask 0x2 names no configurable counter")
kpmc_gen_bad(counters_overlap 10 "fixed_counters 0x3 and config_counters 0xfe overlap")
kpmc_gen_bad(power_outside 10 "power_counters 0x100 are not among config_counters 0xfc")
# names that lead nowhere, duplicates, identifier collisions
kpmc_gen_bad(fallback_missing 34 "fallback NO_SUCH_EVENT is not an event of bad")
kpmc_gen_bad(fallback_self 39 "INST_ALL is its own fallback")
kpmc_gen_bad(fallback_fixed 39 "fallback FIXED_CYCLES is itself a fixed event")
kpmc_gen_bad(alias_missing 22 "alias Cycles names NO_SUCH_EVENT, which is not an event of bad")
kpmc_gen_bad(alias_is_event 24 "alias INST_ALL has the name of event INST_ALL")
kpmc_gen_bad(alias_dup_case 24 "duplicate alias CYCLES (also Cycles at line 22)")
kpmc_gen_bad(dup_event_exact 39 "duplicate key 'INST_ALL' (first at line 34)")
kpmc_gen_bad(dup_event_case 39 "duplicate event INST_ALL (also inst_all at line 34")
kpmc_gen_bad(dup_key_cpu 18 "duplicate key 'fixed_counters' (first at line 16)")
kpmc_gen_bad(dup_key_top 6 "duplicate key 'name' (first at line 4)")
kpmc_gen_bad(dup_key_event 38 "duplicate key 'number' (first at line 36)")
kpmc_gen_bad(ident_collision 40 "FOO.BAR (line 39) and FOO-BAR (line 40) both become the identifier KPMC_BAD_FOO_BAR")
kpmc_gen_bad(ident_collision_alias 40 "both become the identifier KPMC_BAD_FOO_BAR")
kpmc_gen_bad(ident_event_count 39 "KPMC_BAD_EVENT_COUNT")
kpmc_gen_bad(event_name_space 39 "'BAD NAME' has a character that is not printable ASCII")
kpmc_gen_bad(event_name_utf8 39 "has a character that is not printable ASCII")
kpmc_gen_bad(event_name_empty 39 "an event has an empty name")
kpmc_gen_bad(db_name_invalid 5 "'bad name' has a character that is not printable ASCII")
kpmc_gen_bad(db_name_empty 5 "the database has an empty name")
kpmc_gen_bad(db_name_reserved 5 "database name ev would make identifiers KPMC_EV_*, which kpmc reserves")
kpmc_gen_bad(unsupported_arch 15 "unsupported architecture 'riscv64'")
kpmc_gen_bad(arch_empty 15 "unsupported architecture ''")
# malformed XML and hostile documents
kpmc_gen_bad(malformed_mismatch 37 "XML: Opening and ending tag mismatch")
kpmc_gen_bad(malformed_amp 13 "XML:")
kpmc_gen_bad(malformed_truncated 30 "XML: Premature end of data")
kpmc_gen_bad(blank_file 4 "XML:")
kpmc_gen_bad(empty_file "" "empty file")
kpmc_gen_bad(binary "" "binary property list")
kpmc_gen_bad(top_not_plist 2 "the root element is <html>, not <plist>")
kpmc_gen_bad(plist_empty 2 "<plist> is empty")
kpmc_gen_bad(plist_two_values 4 "<plist> holds more than one value")
kpmc_gen_bad(key_without_value 40 "<key> without a value")
kpmc_gen_bad(key_after_key 12 "<key> orphan has no value")
kpmc_gen_bad(value_without_key 12 "expected <key> in <dict>, found <string>")
kpmc_gen_bad(text_in_dict 12 "unexpected text in <dict>")
kpmc_gen_bad(element_in_string 13 "unexpected element <b>")
kpmc_gen_bad(entity_custom 3 "entity declarations are not supported (<!ENTITY co>)")
kpmc_gen_bad(entity_external 3 "entity declarations are not supported (<!ENTITY ext>)")
kpmc_gen_bad(entity_parameter 3 "entity declarations are not supported (<!ENTITY p>)")
kpmc_gen_bad(entity_billion_laughs 3 "entity declarations are not supported (<!ENTITY l0>)")
kpmc_gen_bad(entity_billion_laughs_attr 3 "entity declarations are not supported (<!ENTITY l0>)")
kpmc_gen_bad(entity_undefined 13 "Entity 'nbsp' not defined")
kpmc_gen_bad(entity_undefined_doctype 14 "nbsp")
# Encoding failures: libxml2's own messages on them stay out of the output,
# its parse error is one line.
kpmc_gen_fail(encoding_invalid bad/encoding_invalid.plist:13 "XML: Input is not proper UTF-8, indicate encoding ! Bytes: 0xD1"
  ALONE INPUTS bad/encoding_invalid.plist)
kpmc_gen_fail(encoding_conversion bad/encoding_conversion.plist:13 "XML:" ALONE INPUTS bad/encoding_conversion.plist)
kpmc_gen_bad(deep_dict 3 "depth")
kpmc_gen_bad(deep_array 3 "depth")
set_tests_properties(gen_fail_entity_billion_laughs gen_fail_entity_billion_laughs_attr
  gen_fail_deep_dict gen_fail_deep_array PROPERTIES TIMEOUT 30)

# several inputs: links, databases across files (tests/data/gen/sets)
kpmc_gen_fail(link_missing_db sets/link_missing/cpu_1_2_3.plist "links to nothere.plist, which is not a database"
  INPUTS sets/link_missing)
kpmc_gen_fail(link_dangling_symlink "{work}/in/cpu_1_2_3.plist" "links to missing.plist, which is not a database"
  COPY "template.plist={work}/in/bad.plist" SYMLINK "{work}/in/cpu_1_2_3.plist=missing.plist" INPUTS "{work}/in")
kpmc_gen_fail(link_garbage sets/link_garbage/cpu_1_2_3.plist "a cpu_* file must be a link to a database"
  INPUTS sets/link_garbage)
kpmc_gen_fail(link_empty sets/link_empty/cpu_1_2_3.plist "a cpu_* file must be a link to a database"
  INPUTS sets/link_empty)
kpmc_gen_fail(link_copy_of_nothing sets/link_copy_of_nothing/cpu_1_2_3.plist "is a copy of no database"
  INPUTS sets/link_copy_of_nothing)
kpmc_gen_fail(link_family_conflict sets/link_family_conflict/cpu_4_5_3.plist
  "CPU family 0x3 maps to other here but to bad in cpu_1_2_3.plist" INPUTS sets/link_family_conflict)
kpmc_gen_fail(link_name_not_hex sets/link_names/cpu_1_2_xyz.plist "not named cpu_<type>_<subtype>_<family>.plist in hexadecimal"
  INPUTS sets/link_names/bad.plist sets/link_names/cpu_1_2_xyz.plist)
kpmc_gen_fail(link_name_too_long sets/link_names/cpu_1_2_123456789.plist "in hexadecimal"
  INPUTS sets/link_names/bad.plist sets/link_names/cpu_1_2_123456789.plist)
kpmc_gen_fail(link_name_short sets/link_names/cpu_1_2.plist "in hexadecimal"
  INPUTS sets/link_names/bad.plist sets/link_names/cpu_1_2.plist)
kpmc_gen_fail(db_dup_name sets/db_dup_name/bad_again.plist:5 "database bad is also defined by sets/db_dup_name/bad.plist"
  INPUTS sets/db_dup_name)
kpmc_gen_fail(db_dup_name_case sets/db_dup_name_case/bad.plist:5 "database bad is also defined by sets/db_dup_name_case/upper.plist"
  INPUTS sets/db_dup_name_case)
kpmc_gen_fail(db_ident_collision sets/db_ident_collision/dot.plist:5 "both become the identifier KPMC_DB_BAD_X"
  INPUTS sets/db_ident_collision)
kpmc_gen_fail(db_same_file_name sets/same_basename/two/bad.plist "a second input named bad.plist"
  INPUTS sets/same_basename/one sets/same_basename/two)
kpmc_gen_fail(portable_id_collision sets/pid_collision/badb.plist:39
  "FOO.BAR (bada) and FOO_BAR (badb) both become the identifier KPMC_EV_FOO_BAR" INPUTS sets/pid_collision)
kpmc_gen_fail(no_database - "no database among the inputs" INPUTS sets/no_database)
kpmc_gen_fail(missing_input bad/no_such_file.plist "cannot read" INPUTS bad/no_such_file.plist)
# Regular files only, at most 16 MiB: a FIFO must not block, a device must
# not be read (/dev/zero never ends), a huge file is refused unread.
kpmc_gen_fail(input_fifo "{work}/in/fifo.plist" "not a regular file (a FIFO); kpmc-gen reads regular files only"
  COPY "template.plist={work}/in/bad.plist" FIFO "{work}/in/fifo.plist" INPUTS "{work}/in")
kpmc_gen_fail(input_fifo_link "{work}/in/cpu_1_2_3.plist" "not a regular file (a FIFO)"
  COPY "template.plist={work}/in/bad.plist" FIFO "{work}/in/cpu_1_2_3.plist" INPUTS "{work}/in")
kpmc_gen_fail(input_dev_zero_link "{work}/in/zero.plist" "not a regular file (a character device)"
  COPY "template.plist={work}/in/bad.plist" SYMLINK "{work}/in/zero.plist=/dev/zero" INPUTS "{work}/in")
kpmc_gen_fail(input_dev_zero /dev/zero "not a regular file (a character device)" INPUTS /dev/zero)
kpmc_gen_fail(input_too_big "{work}/in/big.plist" "16777217 bytes, over kpmc-gen's limit of 16 MiB for an input file"
  COPY "template.plist={work}/in/bad.plist" SPARSE "{work}/in/big.plist=16777217" INPUTS "{work}/in")
set_tests_properties(gen_fail_input_fifo gen_fail_input_fifo_link gen_fail_input_dev_zero_link
  gen_fail_input_dev_zero gen_fail_input_too_big PROPERTIES TIMEOUT 90)
# usage errors: exit 2
kpmc_gen_fail(usage_unknown_option usage "unknown option '--bogus'" RC 2 ERRORS 0 INPUTS --bogus ok)
kpmc_gen_fail(usage_no_input usage "no input" RC 2 ERRORS 0)
kpmc_gen_fail(usage_out_without_folder usage "--out needs a folder" RC 2 ERRORS 0 INPUTS ok --out)

# The tables (--generic, --chips), one thing wrong in each
# tests/data/gen/tables/bad/*.tsv, against the golden fixtures.
function(kpmc_gen_table_bad name line message)
  if(name MATCHES "^g_")
    set(option --generic)
  else()
    set(option --chips)
  endif()
  set(where "tables/bad/${name}.tsv")
  if(NOT line STREQUAL "")
    set(where "${where}:${line}")
  endif()
  kpmc_gen_fail(table_${name} "${where}" "${message}" INPUTS ${option} "tables/bad/${name}.tsv" ok)
endfunction()
kpmc_gen_table_bad(g_no_event 3 "cycles: no event NO_SUCH in database fixture")
kpmc_gen_table_bad(g_event_case 3 "no event fixed_cycles in database fixture (it spells it FIXED_CYCLES)")
kpmc_gen_table_bad(g_alias 3 "Loads is an alias in database fixture; name its event LD_UNIT_UOP")
kpmc_gen_table_bad(g_user_fixed 3 "FIXED_CYCLES is a fixed event of fixture, and a fixed counter counts the kernel too")
kpmc_gen_table_bad(g_user_other 3 "LD_UNIT_UOP counts user mode as well; USER must be the same event, not INST_ALL")
kpmc_gen_table_bad(g_inconsistent 3 "CPU_CLK_UNHALTED.REF_TSC is described inconsistently in fixturex")
kpmc_gen_table_bad(g_event_name 2 "generic event only_two has the name of event ONLY_TWO of database fixture2")
kpmc_gen_table_bad(g_hides_alias 2 "would hide alias Loads of database fixturex, which names MEM.LOADS")
kpmc_gen_table_bad(g_dup 4 "duplicate generic event CYCLES (also cycles at line 2)")
kpmc_gen_table_bad(g_ident 3 "a-b (line 2) and a_b both become the identifier KPMC_GEN_A_B")
kpmc_gen_table_bad(g_count 2 "would make KPMC_GEN_COUNT")
kpmc_gen_table_bad(g_name 2 "generic event name '1cycles'")
kpmc_gen_table_bad(g_row_first 2 "a row before the first 'event' line")
kpmc_gen_table_bad(g_db_again 4 "a second row for database fixture (the first at line 3)")
kpmc_gen_table_bad(g_db_twice 3 "database fixture is listed twice")
kpmc_gen_table_bad(g_fields 3 "a row has 3 or 4 fields")
kpmc_gen_table_bad(g_empty_field 3 "field 2 is empty")
kpmc_gen_table_bad(g_space 3 "field 2 'FIXED_CYCLES ' starts or ends with a space")
kpmc_gen_table_bad(g_event_fields 2 "an 'event' line has 3 fields")
kpmc_gen_table_bad(g_not_ascii 2 "not printable ASCII")
kpmc_gen_table_bad(c_family 2 "'0xZZ' is not a CPU family")
kpmc_gen_table_bad(c_dup_family 3 "a second row for family 0x2 (the first at line 2)")
kpmc_gen_table_bad(c_dup_chip 3 "chip TWO is also Two at line 2")
kpmc_gen_table_bad(c_chip_twice 2 "chip two is listed twice")
kpmc_gen_table_bad(c_db_name 2 "chip fixture2 (database fixture) has the name of database fixture2")
kpmc_gen_table_bad(c_chip_name 2 "chip name '-Two'")
kpmc_gen_table_bad(c_fields 2 "a row has 3 fields (FAMILY, CHIPS, CODENAME), not 2")
kpmc_gen_table_bad(c_empty_chip 2 "an empty chip name in the list 'Two,, Three'")
kpmc_gen_fail(table_missing tables/bad/no_such.tsv "cannot read" INPUTS --generic tables/bad/no_such.tsv ok)
kpmc_gen_fail(table_folder tables "cannot read: not a regular file" INPUTS --chips tables ok)
# A table is read like an input: a FIFO must not block.
kpmc_gen_fail(table_fifo "{work}/fifo.tsv" "cannot read: not a regular file (a FIFO)" FIFO "{work}/fifo.tsv"
  INPUTS --generic "{work}/fifo.tsv" ok)
kpmc_gen_fail(usage_generic_without_file usage "--generic needs a file" RC 2 ERRORS 0 INPUTS ok --generic)

# The output folder under attack and under failure (test_gen_output.py):
# planted links at temporary names, a linked subfolder, FIFOs and devices
# among the outputs, a folder in the way; with kpmc-gen-faults (kpmc-gen
# whose rename, link and unlink calls fail or slow down on request, see
# gen_faults.c; GNU-style linkers only) a failure part-way and two runs
# into one folder.
set(_gen_faults "")
if(NOT APPLE AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  add_executable(kpmc-gen-faults "${CMAKE_SOURCE_DIR}/gen/main.c" gen_faults.c)
  kpmc_target_flags(kpmc-gen-faults)
  target_link_libraries(kpmc-gen-faults PRIVATE kpmc_gen_core)
  target_link_options(kpmc-gen-faults PRIVATE
    "LINKER:--wrap=rename,--wrap=renameat,--wrap=linkat,--wrap=unlinkat")
  set(_gen_faults "--faults=$<TARGET_FILE:kpmc-gen-faults>")
endif()
foreach(mode planted subfolder special in_the_way rollback concurrent interrupted)
  add_test(NAME gen_output_${mode}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_output.py" ${mode}
            --gen $<TARGET_FILE:kpmc-gen> ${_gen_faults} --data "${_gen_data}" --golden "${_gen_golden}"
            --work "${_gen_work}/output_${mode}")
  set_tests_properties(gen_output_${mode} PROPERTIES LABELS gen SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()

# Plist strings that try to end a comment or string literal, start a
# preprocessor line or splice lines stay inside the generated C.
add_test(NAME gen_inject
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_inject.py"
          --gen $<TARGET_FILE:kpmc-gen> --cc "${CMAKE_C_COMPILER}" --source "${CMAKE_SOURCE_DIR}"
          --work "${_gen_work}/inject")
set_tests_properties(gen_inject PROPERTIES LABELS gen)

# In a folder, a cpu_* file that is no link name is ignored with a warning.
add_test(NAME gen_link_names_in_folder
  COMMAND kpmc-gen --out "${_gen_work}/link_names" "${_gen_data}/sets/link_names")
set_tests_properties(gen_link_names_in_folder PROPERTIES LABELS gen
  PASS_REGULAR_EXPRESSION "cpu_1_2_xyz.plist: warning: ignored: not named cpu_<type>_<subtype>_<family>.plist"
  FAIL_REGULAR_EXPRESSION "error|Sanitizer")

# Every form of a cpu_* link (tests/data/gen/sets/link_forms: symbolic links,
# name files, copies): kpmc-gen maps each family to the database its README
# names, as a reading with plistlib finds it.
add_test(NAME gen_link_forms
  COMMAND kpmc-gen --out "${_gen_work}/link_forms" "${_gen_data}/sets/link_forms")
add_test(NAME gen_link_forms_check
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_golden_check.py"
          --plists "${_gen_data}/sets/link_forms" --catalog "${_gen_work}/link_forms"
          --format "${CMAKE_SOURCE_DIR}/internal/catalog_format.h")
add_test(NAME gen_link_forms_readme
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_kpep_snapshot.py"
          "${_gen_data}/sets/link_forms" --form any)
set_tests_properties(gen_link_forms PROPERTIES LABELS gen FIXTURES_SETUP gen_link_forms
  FAIL_REGULAR_EXPRESSION "error|warning|Sanitizer")
set_tests_properties(gen_link_forms_check PROPERTIES LABELS gen FIXTURES_REQUIRED gen_link_forms)
set_tests_properties(gen_link_forms_readme PROPERTIES LABELS gen)
