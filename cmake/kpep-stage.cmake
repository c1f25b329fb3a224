# Stage a folder of kpep plists for kpmc-gen, which reads XML only:
#   cmake -DSRC=<folder> -DDST=<folder> -P cmake/kpep-stage.cmake
# Binary plists ("bplist00") are converted with plutil (macOS); every other
# file is copied byte for byte and symbolic links stay links, so the catalog
# of an XML folder is the same as when kpmc-gen reads it directly.
if(NOT SRC OR NOT DST)
  message(FATAL_ERROR "usage: cmake -DSRC=<kpep folder> -DDST=<staging folder> -P kpep-stage.cmake")
endif()
file(REMOVE_RECURSE "${DST}")
file(MAKE_DIRECTORY "${DST}")
file(GLOB _plists LIST_DIRECTORIES false "${SRC}/*.plist")
foreach(f IN LISTS _plists)
  get_filename_component(name "${f}" NAME)
  if(IS_SYMLINK "${f}")
    file(READ_SYMLINK "${f}" target)
    file(CREATE_LINK "${target}" "${DST}/${name}" SYMBOLIC)
    continue()
  endif()
  file(READ "${f}" head LIMIT 8 HEX)
  if(head STREQUAL "62706c6973743030")
    find_program(KPMC_PLUTIL plutil)
    if(NOT KPMC_PLUTIL)
      message(FATAL_ERROR "${f} is a binary property list and plutil, which converts it, was not found")
    endif()
    execute_process(COMMAND "${KPMC_PLUTIL}" -convert xml1 -o "${DST}/${name}" "${f}"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "plutil could not convert ${f} to XML")
    endif()
  else()
    file(COPY "${f}" DESTINATION "${DST}")
  endif()
endforeach()
