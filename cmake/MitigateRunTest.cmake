# MitigateRunTest.cmake: runs one test program of mitigate_add_test().
#
#   cmake -DMITIGATE_JUNIT=FILE -P MitigateRunTest.cmake PROGRAM [ARGS...]
#
# Deletes FILE (cmocka 1.1 does not replace an existing one), runs the
# program with the variables that make cmocka, GoogleTest and other
# runners write JUnit XML to FILE, and fails when the program fails or
# leaves no FILE. A failing test still leaves its results: they are the
# evidence that mitigate-check reports on.
if(NOT MITIGATE_JUNIT)
  message(FATAL_ERROR "MitigateRunTest.cmake: set -DMITIGATE_JUNIT=FILE")
endif()

# The command is every argument after the script's path.
set(command "")
set(start 0)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(start EQUAL 0 AND CMAKE_ARGV${i} STREQUAL "-P")
    math(EXPR start "${i} + 2")
  elseif(start GREATER 0 AND i GREATER_EQUAL start)
    list(APPEND command "${CMAKE_ARGV${i}}")
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "MitigateRunTest.cmake: no test program given")
endif()
list(GET command 0 program)

get_filename_component(folder "${MITIGATE_JUNIT}" DIRECTORY)
file(MAKE_DIRECTORY "${folder}")
file(REMOVE "${MITIGATE_JUNIT}")
set(ENV{CMOCKA_MESSAGE_OUTPUT} xml)
set(ENV{CMOCKA_XML_FILE} "${MITIGATE_JUNIT}")
set(ENV{GTEST_OUTPUT} "xml:${MITIGATE_JUNIT}")
set(ENV{MITIGATE_JUNIT_FILE} "${MITIGATE_JUNIT}")

execute_process(COMMAND ${command} RESULT_VARIABLE status)
if(NOT EXISTS "${MITIGATE_JUNIT}")
  message(FATAL_ERROR "${program} wrote no JUnit XML to ${MITIGATE_JUNIT} "
          "(exit status ${status}); it must honour CMOCKA_XML_FILE, "
          "GTEST_OUTPUT or MITIGATE_JUNIT_FILE")
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${program} failed (exit status ${status}); "
          "${MITIGATE_JUNIT} says which tests")
endif()
