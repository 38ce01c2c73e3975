/* command.c: acceptance of remote commands. */
#include "pump.h"

int command_accept(uint32_t *last_sequence, const struct command *cmd)
{
    if (cmd->sequence <= *last_sequence)
        return 0;
    if (!dose_within_limits(cmd->dose_ug_per_h, 5000))
        return 0;
    *last_sequence = cmd->sequence;
    return 1;
}

int dose_within_limits(uint16_t dose_ug_per_h, uint16_t hard_max)
{
    return dose_ug_per_h > 0 && dose_ug_per_h <= hard_max;
}
