# Mitigate.cmake: mitigate_enable(), mitigate_add_test() and
# mitigate_check(), for projects that find_package(Mitigate).
#
# A build tree has one threat model, one facts folder and one
# `mitigate-check` target; everything mitigate writes goes under
# ${CMAKE_BINARY_DIR}/mitigate (facts/, results/, the SARIF log and the
# matrix).
# mitigate_enable() has the facts of a target's sources written: by the
# plugin while compiling, when the compiler is the clang the plugin was
# built for, and otherwise by `mitigate scan` over compile_commands.json
# when mitigate-check runs. mitigate_add_test() registers a test whose
# JUnit XML mitigate-check reads. The mitigate-check target itself is
# made once the top-level CMakeLists.txt has been read, so the calls may
# come in any order and from any folder. State lives in global
# properties named _MITIGATE_*, since imported targets and variables of
# the package are visible only below the folder that found it.
include_guard(GLOBAL)

if(CMAKE_VERSION VERSION_LESS 3.20)
  message(FATAL_ERROR "mitigate: the Mitigate package needs CMake 3.20 "
          "or newer (this is ${CMAKE_VERSION})")
endif()

set(MITIGATE_FACTS_FROM auto CACHE STRING
    "Where mitigate's facts come from: auto, plugin or scan")
set_property(CACHE MITIGATE_FACTS_FROM PROPERTY STRINGS auto plugin scan)

# Sets out to path made absolute against base.
function(_mitigate_absolute out path base)
  get_filename_component(path "${path}" ABSOLUTE BASE_DIR "${base}")
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# Records value under key the first time; later calls must agree, since
# a build tree has one model and one policy.
function(_mitigate_same key value what)
  get_property(known GLOBAL PROPERTY _MITIGATE_${key} SET)
  get_property(first GLOBAL PROPERTY _MITIGATE_${key})
  if(known AND NOT "${first}" STREQUAL "${value}")
    message(FATAL_ERROR "mitigate_enable: ${what} '${value}' differs from "
            "'${first}' given before; a build tree has one")
  endif()
  set_property(GLOBAL PROPERTY _MITIGATE_${key} "${value}")
endfunction()

# Why the compiler of lang cannot load the plugin, or "" when it can.
function(_mitigate_compiler_problem out lang)
  set(id "${CMAKE_${lang}_COMPILER_ID}")
  set(version "${CMAKE_${lang}_COMPILER_VERSION}")
  string(REGEX MATCH "^[0-9]+" major "${version}")
  set(problem "")
  if(NOT id STREQUAL "Clang")
    set(problem "the ${lang} compiler is ${id} ${version}")
  elseif(NOT major EQUAL MITIGATE_CLANG_VERSION_MAJOR)
    set(problem "the ${lang} compiler is clang ${version}")
  endif()
  set(${out} "${problem}" PARENT_SCOPE)
endfunction()

# Decides, once per configure, whether facts come from the plugin or
# from `mitigate scan`, and says so. Sets out to "plugin" or "scan".
function(_mitigate_facts_source out)
  get_property(decided GLOBAL PROPERTY _MITIGATE_SOURCE)
  if(decided)
    set(${out} ${decided} PARENT_SCOPE)
    return()
  endif()

  set(choice "${MITIGATE_FACTS_FROM}")
  if(NOT choice MATCHES "^(auto|plugin|scan)$")
    message(FATAL_ERROR "mitigate: MITIGATE_FACTS_FROM is '${choice}'; "
            "use auto, plugin or scan")
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  set(problems "")
  set(other_clang FALSE)
  foreach(lang IN ITEMS C CXX)
    if(lang IN_LIST languages)
      _mitigate_compiler_problem(problem ${lang})
      if(problem)
        list(APPEND problems "${problem}")
        if(CMAKE_${lang}_COMPILER_ID STREQUAL "Clang")
          set(other_clang TRUE)
        endif()
      endif()
    endif()
  endforeach()
  list(JOIN problems " and " problems)

  set(plugin "clang ${MITIGATE_CLANG_VERSION_MAJOR}")
  if(choice STREQUAL "scan")
    set(source scan)
    message(STATUS "mitigate: facts from `mitigate scan` "
            "(MITIGATE_FACTS_FROM=scan)")
  elseif(NOT problems)
    set(source plugin)
    message(STATUS "mitigate: facts from the plugin, in ${plugin}")
  elseif(choice STREQUAL "plugin")
    message(FATAL_ERROR "mitigate: MITIGATE_FACTS_FROM is plugin, but "
            "${problems}, and the plugin runs only in ${plugin}; configure "
            "with -DCMAKE_C_COMPILER=clang-${MITIGATE_CLANG_VERSION_MAJOR}")
  else()
    set(source scan)
    string(CONCAT text "mitigate: ${problems}, and the plugin runs only "
           "in ${plugin}; mitigate-check takes the facts from `mitigate scan` "
           "over compile_commands.json instead")
    if(other_clang)
      message(WARNING "${text}. Configure with -DCMAKE_C_COMPILER=clang-"
              "${MITIGATE_CLANG_VERSION_MAJOR} to have the plugin check each "
              "unit as it compiles.")
    else()
      message(STATUS "${text}")
    endif()
  endif()
  set_property(GLOBAL PROPERTY _MITIGATE_SOURCE ${source})
  set(${out} ${source} PARENT_SCOPE)
endfunction()

# Adds the plugin's flags to the C and C++ sources of target t, and
# makes them recompile when the plugin or the policy changes (facts
# depend on both; the model only adds compile-time diagnostics, and
# mitigate-check always reads the current one).
function(_mitigate_plugin_flags t model policy werror)
  set(flags
      "-fplugin=${MITIGATE_PLUGIN}"
      "-fplugin-arg-mitigate-model=${model}"
      "-fplugin-arg-mitigate-facts=${CMAKE_BINARY_DIR}/mitigate/facts")
  set(depends "${MITIGATE_PLUGIN}")
  if(policy)
    list(APPEND flags "-fplugin-arg-mitigate-policy=${policy}")
    list(APPEND depends "${policy}")
  endif()
  if(werror)
    list(APPEND flags "-fplugin-arg-mitigate-werror")
  endif()
  target_compile_options(${t} PRIVATE "$<$<COMPILE_LANGUAGE:C,CXX>:${flags}>")

  get_target_property(sources ${t} SOURCES)
  list(FILTER sources EXCLUDE REGEX "^\\$<")
  if(sources)
    set_property(SOURCE ${sources} TARGET_DIRECTORY ${t}
                 APPEND PROPERTY OBJECT_DEPENDS ${depends})
  endif()
endfunction()

# Schedules the making of the mitigate-check target for the end of the
# top-level CMakeLists.txt.
function(_mitigate_defer_check_target)
  get_property(deferred GLOBAL PROPERTY _MITIGATE_DEFERRED)
  if(NOT deferred)
    set_property(GLOBAL PROPERTY _MITIGATE_DEFERRED TRUE)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}"
                   CALL _mitigate_make_check_target)
  endif()
endfunction()

#[[
mitigate_enable(TARGET target... MODEL threats.yaml
                [POLICY policy.yaml] [WERROR])

Gets the facts of each target's sources written, and gives the targets
the include folder of mitigate.h. Enable the code that implements
mitigations and the tests that test them. Every call names the same
MODEL and POLICY.
#]]
function(mitigate_enable)
  cmake_parse_arguments(PARSE_ARGV 0 arg "WERROR" "MODEL;POLICY" "TARGET")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mitigate_enable: unexpected arguments "
            "'${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_TARGET)
    message(FATAL_ERROR "mitigate_enable: TARGET is required")
  endif()
  if(NOT arg_MODEL)
    message(FATAL_ERROR "mitigate_enable: MODEL is required "
            "(the threat model, threats.yaml)")
  endif()
  _mitigate_absolute(model "${arg_MODEL}" "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "mitigate_enable: threat model '${model}' not found")
  endif()
  set(policy "")
  if(arg_POLICY)
    _mitigate_absolute(policy "${arg_POLICY}" "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${policy}")
      message(FATAL_ERROR "mitigate_enable: policy '${policy}' not found")
    endif()
  endif()
  _mitigate_same(MODEL "${model}" "MODEL")
  _mitigate_same(POLICY "${policy}" "POLICY")
  set_property(GLOBAL PROPERTY _MITIGATE_EXECUTABLE "${MITIGATE_EXECUTABLE}")
  set_property(GLOBAL PROPERTY _MITIGATE_CLANG_MAJOR
               ${MITIGATE_CLANG_VERSION_MAJOR})

  _mitigate_facts_source(source)
  foreach(t IN LISTS arg_TARGET)
    if(NOT TARGET ${t})
      message(FATAL_ERROR "mitigate_enable: '${t}' is not a target")
    endif()
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    if(imported OR type STREQUAL "INTERFACE_LIBRARY")
      message(FATAL_ERROR "mitigate_enable: '${t}' compiles no sources "
              "of its own")
    endif()
    target_include_directories(${t} PUBLIC
                               "$<BUILD_INTERFACE:${MITIGATE_INCLUDE_DIR}>")
    if(source STREQUAL "plugin")
      _mitigate_plugin_flags(${t} "${model}" "${policy}" ${arg_WERROR})
    else()
      set_property(TARGET ${t} PROPERTY EXPORT_COMPILE_COMMANDS ON)
    endif()
    set_property(GLOBAL APPEND PROPERTY _MITIGATE_TARGETS ${t})
  endforeach()
  _mitigate_defer_check_target()
endfunction()

#[[
mitigate_add_test(NAME name COMMAND program [args...]
                  [WORKING_DIRECTORY dir])

add_test() for a test program whose results are evidence: it runs with
CMOCKA_MESSAGE_OUTPUT=xml and CMOCKA_XML_FILE (cmocka), GTEST_OUTPUT
(GoogleTest) and MITIGATE_JUNIT_FILE (anything else) naming
${CMAKE_BINARY_DIR}/mitigate/results/<name>.xml, and fails when the
program fails or writes no XML there. mitigate-check reads the file.
#]]
function(mitigate_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;WORKING_DIRECTORY"
                        "COMMAND")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mitigate_add_test: unexpected arguments "
            "'${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "mitigate_add_test: NAME '${arg_NAME}' must be "
            "letters, digits, '_', '.', '+' or '-', since it names the "
            "results file")
  endif()
  if(NOT arg_COMMAND)
    message(FATAL_ERROR "mitigate_add_test: COMMAND is required")
  endif()

  set(results "${CMAKE_BINARY_DIR}/mitigate/results/${arg_NAME}.xml")
  list(POP_FRONT arg_COMMAND program)
  set(program_file "")
  if(TARGET ${program})
    set(program "$<TARGET_FILE:${program}>")
    set(program_file "${program}")
  endif()
  set(workdir "")
  if(arg_WORKING_DIRECTORY)
    set(workdir WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
  endif()
  add_test(NAME ${arg_NAME}
           COMMAND "${CMAKE_COMMAND}" "-DMITIGATE_JUNIT=${results}"
                   -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/MitigateRunTest.cmake"
                   "${program}" ${arg_COMMAND}
           ${workdir})
  set_property(GLOBAL APPEND PROPERTY _MITIGATE_TESTS
               "${arg_NAME}|${results}|${program_file}")
  _mitigate_defer_check_target()
endfunction()

#[[
mitigate_check([RESULTS file...] [SUPPRESSIONS file] [BASELINE file]
               [SARIF file] [MATRIX format...] [CATEGORY name]
               [FAIL_ON level] [ROOT dir] [LINK_BASE url])

Sets how the mitigate-check target runs; call it at most once. Without
it: the results of every mitigate_add_test() test, the SARIF log in
${CMAKE_BINARY_DIR}/mitigate/mitigate.sarif, the matrix in every format
beside it, --fail-on error, and the enclosing git checkout (or the
top-level source folder) as the source root.
#]]
function(mitigate_check)
  cmake_parse_arguments(PARSE_ARGV 0 arg ""
    "SUPPRESSIONS;BASELINE;SARIF;CATEGORY;FAIL_ON;ROOT;LINK_BASE"
    "RESULTS;MATRIX")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mitigate_check: unexpected arguments "
            "'${arg_UNPARSED_ARGUMENTS}'")
  endif()
  get_property(called GLOBAL PROPERTY _MITIGATE_CHECK_CALLED)
  if(called)
    message(FATAL_ERROR "mitigate_check: called twice; a build tree has "
            "one mitigate-check target")
  endif()
  set_property(GLOBAL PROPERTY _MITIGATE_CHECK_CALLED TRUE)

  if(arg_FAIL_ON AND NOT arg_FAIL_ON MATCHES "^(error|warning|note|new|none)$")
    message(FATAL_ERROR "mitigate_check: FAIL_ON takes error, warning, "
            "note, new or none, not '${arg_FAIL_ON}'")
  endif()
  if(arg_FAIL_ON STREQUAL "new" AND NOT arg_BASELINE)
    message(FATAL_ERROR "mitigate_check: FAIL_ON new needs BASELINE")
  endif()
  foreach(format IN LISTS arg_MATRIX)
    if(NOT format MATCHES "^(html|md|csv|json)$")
      message(FATAL_ERROR "mitigate_check: MATRIX takes html, md, csv and "
              "json, not '${format}'")
    endif()
  endforeach()

  set(files "")
  foreach(file IN LISTS arg_RESULTS)
    _mitigate_absolute(file "${file}" "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND files "${file}")
  endforeach()
  set_property(GLOBAL PROPERTY _MITIGATE_CHECK_RESULTS "${files}")
  foreach(key IN ITEMS SUPPRESSIONS BASELINE ROOT)
    if(arg_${key})
      _mitigate_absolute(arg_${key} "${arg_${key}}"
                         "${CMAKE_CURRENT_SOURCE_DIR}")
    endif()
  endforeach()
  if(arg_SARIF)
    _mitigate_absolute(arg_SARIF "${arg_SARIF}" "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  foreach(key IN ITEMS SUPPRESSIONS BASELINE SARIF CATEGORY FAIL_ON ROOT
                       LINK_BASE MATRIX)
    set_property(GLOBAL PROPERTY _MITIGATE_CHECK_${key} "${arg_${key}}")
  endforeach()
  _mitigate_defer_check_target()
endfunction()

# The source root: the enclosing git checkout of the top-level source
# folder, else that folder.
function(_mitigate_default_root out)
  set(root "${CMAKE_SOURCE_DIR}")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --show-toplevel
                    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
                    OUTPUT_VARIABLE top OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE status ERROR_QUIET)
    if(status EQUAL 0 AND top)
      set(root "${top}")
    endif()
  endif()
  set(${out} "${root}" PARENT_SCOPE)
endfunction()

# Appends set(name [==[value]==]) to the variable content.
macro(_mitigate_setting name value)
  string(APPEND content "set(${name} [==[${value}]==])\n")
endmacro()

# Makes the mitigate-check target from everything the calls recorded.
function(_mitigate_make_check_target)
  get_property(targets GLOBAL PROPERTY _MITIGATE_TARGETS)
  if(NOT targets)
    message(FATAL_ERROR "mitigate: mitigate_add_test() or mitigate_check() "
            "was called, but no target was enabled with mitigate_enable()")
  endif()
  if(TARGET mitigate-check)
    message(FATAL_ERROR "mitigate: the project already has a target named "
            "mitigate-check")
  endif()
  foreach(key IN ITEMS SOURCE MODEL POLICY EXECUTABLE TESTS CHECK_RESULTS
                       CHECK_SUPPRESSIONS CHECK_BASELINE CHECK_SARIF
                       CHECK_CATEGORY CHECK_FAIL_ON CHECK_ROOT CHECK_LINK_BASE
                       CHECK_MATRIX)
    get_property(${key} GLOBAL PROPERTY _MITIGATE_${key})
  endforeach()

  set(out "${CMAKE_BINARY_DIR}/mitigate")
  set(root "${CHECK_ROOT}")
  if(NOT root)
    _mitigate_default_root(root)
  endif()
  set(link_base "${CHECK_LINK_BASE}")
  if(NOT link_base)
    file(RELATIVE_PATH link_base "${out}" "${root}")
    set(link_base "${link_base}/")
  endif()
  if(NOT CHECK_SARIF)
    set(CHECK_SARIF "${out}/mitigate.sarif")
  endif()
  if(NOT CHECK_MATRIX)
    set(CHECK_MATRIX html md csv json)
  endif()
  if(NOT CHECK_FAIL_ON)
    set(CHECK_FAIL_ON error)
  endif()

  set(content "# Written by Mitigate.cmake for MitigateCheck.cmake.\n")
  _mitigate_setting(MITIGATE_EXECUTABLE "${EXECUTABLE}")
  if(SOURCE STREQUAL "scan")
    _mitigate_setting(MITIGATE_SCAN TRUE)
    # The project's own compilers may be asked for their include folders
    # (a cross GCC's C library): the build runs them anyway.
    set(drivers "")
    foreach(lang C CXX)
      if(CMAKE_${lang}_COMPILER)
        list(APPEND drivers "${CMAKE_${lang}_COMPILER}")
      endif()
    endforeach()
    _mitigate_setting(MITIGATE_SCAN_DRIVERS "${drivers}")
  else()
    _mitigate_setting(MITIGATE_SCAN FALSE)
  endif()
  _mitigate_setting(MITIGATE_COMPILE_COMMANDS
                    "${CMAKE_BINARY_DIR}/compile_commands.json")
  _mitigate_setting(MITIGATE_MODEL "${MODEL}")
  _mitigate_setting(MITIGATE_POLICY "${POLICY}")
  _mitigate_setting(MITIGATE_FACTS_DIR "${out}/facts")
  _mitigate_setting(MITIGATE_TESTS "${TESTS}")
  _mitigate_setting(MITIGATE_RESULTS "${CHECK_RESULTS}")
  _mitigate_setting(MITIGATE_SUPPRESSIONS "${CHECK_SUPPRESSIONS}")
  _mitigate_setting(MITIGATE_BASELINE "${CHECK_BASELINE}")
  _mitigate_setting(MITIGATE_SARIF "${CHECK_SARIF}")
  _mitigate_setting(MITIGATE_CATEGORY "${CHECK_CATEGORY}")
  _mitigate_setting(MITIGATE_FAIL_ON "${CHECK_FAIL_ON}")
  _mitigate_setting(MITIGATE_ROOT "${root}")
  _mitigate_setting(MITIGATE_LINK_BASE "${link_base}")
  _mitigate_setting(MITIGATE_MATRIX "${CHECK_MATRIX}")
  _mitigate_setting(MITIGATE_OUTPUT_DIR "${out}")

  get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  set(settings "${out}/check-settings.cmake")
  if(multi)
    set(settings "${out}/check-settings-$<CONFIG>.cmake")
  endif()
  file(GENERATE OUTPUT "${settings}" CONTENT "${content}")
  if(SOURCE STREQUAL "scan")
    _mitigate_probe_scan()
  endif()

  add_custom_target(mitigate-check
    COMMAND "${CMAKE_COMMAND}" "-DMITIGATE_SETTINGS=${settings}"
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/MitigateCheck.cmake"
    WORKING_DIRECTORY "${root}"
    COMMENT "mitigate: checking the evidence"
    USES_TERMINAL VERBATIM)
  add_dependencies(mitigate-check ${targets})
endfunction()

# Warns when the installed mitigate has no `scan` command, which the
# facts must then come from.
function(_mitigate_probe_scan)
  get_property(exe GLOBAL PROPERTY _MITIGATE_EXECUTABLE)
  get_property(major GLOBAL PROPERTY _MITIGATE_CLANG_MAJOR)
  execute_process(COMMAND "${exe}" scan --help RESULT_VARIABLE status
                  OUTPUT_QUIET ERROR_QUIET)
  if(NOT status EQUAL 0)
    message(WARNING "mitigate: ${exe} has no `scan` command, and without "
            "the plugin the facts must come from it: mitigate-check will "
            "fail. Build with clang-${major}, or "
            "install a mitigate that has `mitigate scan`.")
  endif()
endfunction()
