/*
 * fuzz.h: the entry point every fuzz target defines.
 *
 * Each fuzz_*.c hands one input to one reader of untrusted input, as a
 * memory buffer, and frees everything it got back. Built with
 * MITIGATE_FUZZ, a target links libFuzzer, which calls the entry point
 * with generated inputs under AddressSanitizer and UBSan; otherwise it
 * links replay.c, which calls it once per file named on the command
 * line, so the seeds and the found crashes run as tests in every build.
 */
#ifndef MITIGATE_FUZZ_H
#define MITIGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Reads data (size bytes) as the target's kind of input; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* MITIGATE_FUZZ_H */
