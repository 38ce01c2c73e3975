# MitigateCheck.cmake: what the mitigate-check target runs.
#
#   cmake -DMITIGATE_SETTINGS=FILE -P MitigateCheck.cmake
#
# FILE is written by Mitigate.cmake at generate time. Takes the facts
# from `mitigate scan` when the plugin is not in use, gathers the JUnit
# results of the mitigate_add_test() tests (leaving out any that are
# missing or older than their program, so their tests count as not
# run), writes the matrix in each format, then runs `mitigate check`,
# which writes the SARIF log and decides the exit status.
include("${MITIGATE_SETTINGS}")

set(exe "${MITIGATE_EXECUTABLE}")

if(MITIGATE_SCAN)
  set(drivers "")
  foreach(compiler IN LISTS MITIGATE_SCAN_DRIVERS)
    list(APPEND drivers --query-driver "${compiler}")
  endforeach()
  execute_process(COMMAND "${exe}" scan -p "${MITIGATE_COMPILE_COMMANDS}"
                          --facts "${MITIGATE_FACTS_DIR}" ${drivers}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "mitigate-check: mitigate scan failed "
            "(exit status ${status})")
  endif()
endif()

set(inputs --model "${MITIGATE_MODEL}" --facts "${MITIGATE_FACTS_DIR}"
           --root "${MITIGATE_ROOT}")
foreach(test IN LISTS MITIGATE_TESTS)
  string(REPLACE "|" ";" fields "${test}")
  list(GET fields 0 name)
  list(GET fields 1 file)
  list(GET fields 2 program)
  if(NOT EXISTS "${file}")
    message(NOTICE "mitigate-check: warning: test '${name}' has no "
            "results in ${file}; run ctest first. Its tests count as not run.")
  elseif(program AND "${program}" IS_NEWER_THAN "${file}")
    message(NOTICE "mitigate-check: warning: the results of test '${name}' "
            "are older than ${program}; run ctest again. Its tests count "
            "as not run.")
  else()
    list(APPEND inputs --results "${file}")
  endif()
endforeach()
foreach(file IN LISTS MITIGATE_RESULTS)
  list(APPEND inputs --results "${file}")
endforeach()
if(MITIGATE_POLICY)
  list(APPEND inputs --policy "${MITIGATE_POLICY}")
endif()
if(MITIGATE_SUPPRESSIONS)
  list(APPEND inputs --suppressions "${MITIGATE_SUPPRESSIONS}")
endif()

set(matrices "")
foreach(format IN LISTS MITIGATE_MATRIX)
  set(output "${MITIGATE_OUTPUT_DIR}/matrix.${format}")
  execute_process(COMMAND "${exe}" matrix ${inputs} --format ${format}
                          --link-base "${MITIGATE_LINK_BASE}" -o "${output}"
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "mitigate-check: mitigate matrix failed "
            "(exit status ${status})")
  endif()
  list(APPEND matrices "${output}")
endforeach()

set(check "${exe}" check ${inputs} --sarif "${MITIGATE_SARIF}"
          --fail-on ${MITIGATE_FAIL_ON})
if(MITIGATE_CATEGORY)
  list(APPEND check --category "${MITIGATE_CATEGORY}")
endif()
if(MITIGATE_BASELINE)
  list(APPEND check --baseline "${MITIGATE_BASELINE}")
endif()
execute_process(COMMAND ${check} RESULT_VARIABLE status)
list(JOIN matrices ", " matrices)
if(status EQUAL 1)
  message(FATAL_ERROR "mitigate-check: the gate failed; the findings are "
          "above and in ${MITIGATE_SARIF}; the matrix: ${matrices}")
elseif(NOT status EQUAL 0)
  message(FATAL_ERROR "mitigate-check: mitigate check could not run "
          "(exit status ${status})")
endif()
message(NOTICE "mitigate-check: the gate passed; SARIF: ${MITIGATE_SARIF}; "
        "matrix: ${matrices}")
