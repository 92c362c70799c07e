/* virtuned — the description-parser fuzz target, shared by libFuzzer and the replay runner. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: parses @data as a description and checks the parser's
 * contract (exactly one of result/error; only InvalidDescription errors; a result
 * obeys the limits). Aborts on a contract violation so both drivers notice. */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
